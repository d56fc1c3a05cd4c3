//! sqlparser's syntax tree into the DSL calls a user would write. Every
//! generated token carries the literal's span, so the DSL's trait errors
//! (a type mismatch, a nullable column loaded into a non-`Option`, an
//! ungrouped column, PostgreSQL-only syntax on SQLite) point at the SQL.
//! What the DSL cannot express is an error here that says so.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use sqlparser::ast::{
    BinaryOperator, CastKind, Delete, DuplicateTreatment, Expr, FromTable, Function, FunctionArg,
    FunctionArgExpr, FunctionArguments, GroupByExpr, InTarget, Insert, Join, JoinConstraint,
    JoinOperator, LimitClause, OrderBy, OrderByExpr, OrderByKind, OrderBySort, Query, Select,
    SelectItem, SelectItemQualifiedWildcardKind, SetExpr, SetOperator, SetQuantifier, Statement,
    TableFactor, TableObject, UnaryOperator, Update, Value,
};

use super::parse::Parsed;
use super::resolve::{Scope, Source, import_name, position, single};

/// The expansion, or every error found, each on the literal.
pub fn expand(parsed: &Parsed) -> TokenStream {
    let mut cx = Cx {
        span: parsed.span,
        params: &parsed.params,
        errors: Vec::new(),
        lets: Vec::new(),
        imports: Vec::new(),
    };
    let body = cx.statement(&parsed.statement);
    let sp = parsed.span;
    if !cx.errors.is_empty() {
        return errors(cx.errors, sp);
    }
    let lets = &cx.lets;
    let imports = cx.imports.iter().map(|module| {
        let name = import_name(module);
        quote_spanned!(sp=> use #module as #name;)
    });
    quote_spanned! {sp=> {
        #(#imports)*
        #[allow(unused_imports)]
        use ::quarry::prelude::{
            BoolExpressionMethods as _, ExpressionMethods as _, JoinOnDsl as _,
            PgTextExpressionMethods as _, QueryDsl as _, SetOperationDsl as _,
            TextExpressionMethods as _,
        };
        #(#lets)*
        #body
    }}
}

/// `compile_error!`s as one expression: the last is the block's value, so
/// the `sql!` expression has the error type and causes no further errors.
pub fn errors(errors: Vec<syn::Error>, sp: Span) -> TokenStream {
    let mut errors: Vec<TokenStream> = errors.iter().map(syn::Error::to_compile_error).collect();
    let last = errors.pop().unwrap_or_default();
    quote_spanned!(sp=> { #(#errors;)* (#last) })
}

struct Cx<'a> {
    span: Span,
    params: &'a [TokenStream],
    errors: Vec<syn::Error>,
    /// `let` statements before the query: the `alias!` values.
    lets: Vec<TokenStream>,
    /// The `table!` modules the query names, each imported once.
    imports: Vec<syn::Ident>,
}

/// An expanded SQL expression.
enum Ex {
    /// A SQL expression of the DSL.
    Sql(TokenStream),
    /// A Rust value, bound as a parameter: it takes its SQL type from the
    /// other side of a comparison, or from its literal.
    Val(TokenStream, Lit),
    /// `NULL`.
    Null,
}

#[derive(Clone, Copy)]
enum Lit {
    Int,
    Float,
    Str,
    Bool,
    Param,
}

impl<'a> Cx<'a> {
    fn error(&mut self, message: impl Into<String>) -> TokenStream {
        self.errors.push(syn::Error::new(self.span, message.into()));
        let sp = self.span;
        quote_spanned!(sp=> ())
    }

    fn import(&mut self, module: &syn::Ident) -> syn::Ident {
        if !self.imports.contains(module) {
            self.imports.push(module.clone());
        }
        import_name(module)
    }

    fn unsupported(&mut self, what: impl std::fmt::Display, hint: &str) -> TokenStream {
        let hint = if hint.is_empty() {
            String::new()
        } else {
            format!("; {hint}")
        };
        self.error(format!("`sql!` cannot express `{what}` in the DSL{hint}"))
    }

    // ---- statements -----------------------------------------------------

    fn statement(&mut self, statement: &Statement) -> TokenStream {
        match statement {
            Statement::Query(query) => self.query(query, None),
            Statement::Insert(insert) => self.insert(insert),
            Statement::Update(update) => self.update(update),
            Statement::Delete(delete) => self.delete(delete),
            other => {
                let first = other.to_string();
                let word = first
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                self.error(format!(
                    "`sql!` takes SELECT, INSERT, UPDATE or DELETE, not `{word}`"
                ))
            }
        }
    }

    fn query(&mut self, query: &Query, parent: Option<&Scope<'_>>) -> TokenStream {
        let sp = self.span;
        if query.fetch.is_some() || !query.locks.is_empty() {
            return self.unsupported(query, "FETCH and FOR UPDATE are not supported by `sql!`");
        }
        let body = match &*query.body {
            SetExpr::Select(select) => self.select(
                select,
                parent,
                query.order_by.as_ref(),
                query.limit_clause.as_ref(),
            ),
            other => {
                if query.order_by.is_some() || query.limit_clause.is_some() {
                    return self.unsupported(
                        query,
                        "ORDER BY and LIMIT apply to a single SELECT, not to a set operation",
                    );
                }
                self.set_expr(other, parent)
            }
        };
        let Some(with) = &query.with else {
            return body;
        };
        let [cte] = with.cte_tables.as_slice() else {
            return self.unsupported(with, "one CTE per query");
        };
        let Some(table) = super::resolve::rust_ident(&cte.alias.name, sp) else {
            return self.error(format!("`{}` is not a name of a `table!`", cte.alias.name));
        };
        let table = self.import(&table);
        let cte_query = self.query(&cte.query, parent);
        if with.recursive {
            quote_spanned!(sp=> ::quarry::query::with_recursive(#table::table, #cte_query).query(#body))
        } else {
            quote_spanned!(sp=> ::quarry::query::with(#table::table, #cte_query).query(#body))
        }
    }

    fn set_expr(&mut self, set: &SetExpr, parent: Option<&Scope<'_>>) -> TokenStream {
        let sp = self.span;
        match set {
            SetExpr::Select(select) => self.select(select, parent, None, None),
            SetExpr::Query(query) => self.query(query, parent),
            SetExpr::SetOperation {
                left,
                op,
                set_quantifier,
                right,
            } => {
                let left = self.set_expr(left, parent);
                let right = self.set_expr(right, parent);
                let method = match (op, set_quantifier) {
                    (SetOperator::Union, SetQuantifier::None | SetQuantifier::Distinct) => "union",
                    (SetOperator::Union, SetQuantifier::All) => "union_all",
                    (SetOperator::Intersect, SetQuantifier::None | SetQuantifier::Distinct) => {
                        "intersect"
                    }
                    (SetOperator::Except, SetQuantifier::None | SetQuantifier::Distinct) => {
                        "except"
                    }
                    _ => return self.unsupported(set, "UNION [ALL], INTERSECT and EXCEPT are"),
                };
                let method = syn::Ident::new(method, sp);
                quote_spanned!(sp=> #left.#method(#right))
            }
            other => self.unsupported(other, ""),
        }
    }

    fn select(
        &mut self,
        select: &Select,
        parent: Option<&Scope<'_>>,
        order_by: Option<&OrderBy>,
        limit_clause: Option<&LimitClause>,
    ) -> TokenStream {
        let sp = self.span;
        let mut scope = Scope::new(parent);
        // FROM and joins.
        let mut from = match select.from.as_slice() {
            [] => None,
            [first, rest @ ..] => {
                let mut q = self.table_factor(&first.relation, &mut scope);
                for join in &first.joins {
                    q = self.join(q, join, &mut scope);
                }
                for more in rest {
                    // `FROM a, b` is a cross join.
                    let target = self.table_factor(&more.relation, &mut scope);
                    q = quote_spanned!(sp=> #q.cross_join(#target));
                    for join in &more.joins {
                        q = self.join(q, join, &mut scope);
                    }
                }
                Some(q)
            }
        };
        let filter = select.selection.as_ref().map(|e| self.condition(e, &scope));
        let group = match &select.group_by {
            GroupByExpr::Expressions(exprs, modifiers) if modifiers.is_empty() => {
                let exprs: Vec<_> = exprs.iter().map(|e| self.sql(e, &scope)).collect();
                tuple_or_single(exprs, sp)
            }
            other => Some(self.unsupported(other, "GROUP BY takes a list of expressions")),
        };
        let having = select.having.as_ref().map(|e| self.condition(e, &scope));
        let selection = self.projection(&select.projection, &scope);
        let distinct = match &select.distinct {
            None | Some(sqlparser::ast::Distinct::All) => false,
            Some(sqlparser::ast::Distinct::Distinct) => true,
            Some(sqlparser::ast::Distinct::On(_)) => {
                self.unsupported("DISTINCT ON", "use the DSL's `distinct_on`");
                false
            }
        };
        let order =
            order_by.and_then(|order| self.order_by(&order.kind, &select.projection, &scope));
        let (limit, offset) = match limit_clause {
            None => (None, None),
            Some(LimitClause::LimitOffset {
                limit,
                offset,
                limit_by,
            }) if limit_by.is_empty() => (
                limit.as_ref().map(|l| self.operand(l, &scope)),
                offset.as_ref().map(|o| self.operand(&o.value, &scope)),
            ),
            Some(other) => (
                None,
                Some(self.unsupported(other, "write LIMIT n OFFSET m")),
            ),
        };
        let unsupported_parts = [
            (select.top.is_some(), "TOP"),
            (select.into.is_some(), "SELECT INTO"),
            (!select.named_window.is_empty(), "WINDOW"),
            (select.qualify.is_some(), "QUALIFY"),
            (!select.lateral_views.is_empty(), "LATERAL VIEW"),
        ];
        for (present, what) in unsupported_parts {
            if present {
                self.unsupported(what, "");
            }
        }

        // The query, in the order the DSL reads best.
        let outer = scope.outer.borrow().clone();
        if let Some(q) = &mut from {
            for source in &outer {
                let value = source.value(sp);
                *q = quote_spanned!(sp=> #q.correlated_with(#value));
            }
        }
        let mut q = match from {
            Some(q) => q,
            None => {
                let Some(selection) = selection else {
                    return self.error("`SELECT *` needs a FROM clause");
                };
                let mut q = quote_spanned!(sp=> ::quarry::select(#selection));
                if let Some(filter) = filter {
                    q = quote_spanned!(sp=> #q.filter(#filter));
                }
                return q;
            }
        };
        if let Some(filter) = filter {
            q = quote_spanned!(sp=> #q.filter(#filter));
        }
        if let Some(group) = group {
            q = quote_spanned!(sp=> #q.group_by(#group));
        }
        if let Some(selection) = selection {
            q = quote_spanned!(sp=> #q.select(#selection));
        }
        if let Some(having) = having {
            q = quote_spanned!(sp=> #q.having(#having));
        }
        if distinct {
            q = quote_spanned!(sp=> #q.distinct());
        }
        if let Some(order) = order {
            q = quote_spanned!(sp=> #q.order(#order));
        }
        if let Some(limit) = limit {
            q = quote_spanned!(sp=> #q.limit(#limit));
        }
        if let Some(offset) = offset {
            q = quote_spanned!(sp=> #q.offset(#offset));
        }
        q
    }

    fn table_factor(&mut self, factor: &TableFactor, scope: &mut Scope<'_>) -> TokenStream {
        let sp = self.span;
        let TableFactor::Table {
            name, alias, args, ..
        } = factor
        else {
            return self.unsupported(
                factor,
                "FROM takes tables; a subquery in FROM is the DSL's `derived(table, query)`",
            );
        };
        let (Some(table), None) = (single(name), args) else {
            return self.unsupported(factor, "FROM takes a table's name");
        };
        if let Some(alias) = alias.as_ref().filter(|a| !a.columns.is_empty()) {
            return self.unsupported(alias, "an alias renames the table, not its columns");
        }
        match scope.add(table, alias.as_ref().map(|a| &a.name), sp) {
            Ok(source) => {
                self.import(&source.module);
                if let Some(var) = &source.alias {
                    let table = &source.table;
                    let name = syn::Ident::new(&source.name, sp);
                    self.lets
                        .push(quote_spanned!(sp=> let #var = ::quarry::alias!(#table as #name);));
                }
                source.value(sp)
            }
            Err(message) => self.error(message),
        }
    }

    fn join(&mut self, left: TokenStream, join: &Join, scope: &mut Scope<'_>) -> TokenStream {
        let sp = self.span;
        let target = self.table_factor(&join.relation, scope);
        let (method, constraint) = match &join.join_operator {
            JoinOperator::Join(c) | JoinOperator::Inner(c) => ("inner_join", c),
            JoinOperator::Left(c) | JoinOperator::LeftOuter(c) => ("left_join", c),
            JoinOperator::Right(c) | JoinOperator::RightOuter(c) => ("right_join", c),
            JoinOperator::FullOuter(c) => ("full_join", c),
            JoinOperator::CrossJoin(JoinConstraint::None) => {
                return quote_spanned!(sp=> #left.cross_join(#target));
            }
            _ => return self.unsupported(join, "joins are [INNER], LEFT, RIGHT, FULL and CROSS"),
        };
        let method = syn::Ident::new(method, sp);
        match constraint {
            JoinConstraint::On(on) => {
                let on = self.condition(on, scope);
                quote_spanned!(sp=> #left.#method(#target.on(#on)))
            }
            _ => self.unsupported(join, "a join takes `ON condition`"),
        }
    }

    fn projection(&mut self, items: &[SelectItem], scope: &Scope<'_>) -> Option<TokenStream> {
        let sp = self.span;
        if let [SelectItem::Wildcard(_)] = items {
            return None;
        }
        let exprs = items
            .iter()
            .map(|item| match item {
                SelectItem::UnnamedExpr(e) | SelectItem::ExprWithAlias { expr: e, .. } => {
                    self.sql(e, scope)
                }
                SelectItem::QualifiedWildcard(
                    SelectItemQualifiedWildcardKind::ObjectName(name),
                    _,
                ) => match single(name).and_then(|n| scope.source(n)) {
                    Some(Source {
                        alias: Some(var), ..
                    }) => quote_spanned!(sp=> #var.star()),
                    Some(Source { table, .. }) => quote_spanned!(sp=> #table::star),
                    None => self.error(format!(
                        "`{name}.*`: `{name}` is not a table of this FROM clause"
                    )),
                },
                other => self.unsupported(other, "SELECT takes expressions and `table.*`"),
            })
            .collect();
        tuple_or_single(exprs, sp)
    }

    fn order_by(
        &mut self,
        kind: &OrderByKind,
        projection: &[SelectItem],
        scope: &Scope<'_>,
    ) -> Option<TokenStream> {
        let sp = self.span;
        let OrderByKind::Expressions(terms) = kind else {
            return Some(self.unsupported("ORDER BY ALL", ""));
        };
        let terms = terms
            .iter()
            .map(|term| self.order_term(term, projection, scope))
            .collect();
        tuple_or_single(terms, sp)
    }

    fn order_term(
        &mut self,
        term: &OrderByExpr,
        projection: &[SelectItem],
        scope: &Scope<'_>,
    ) -> TokenStream {
        let sp = self.span;
        if term.options.nulls_first.is_some() || term.with_fill.is_some() {
            return self.unsupported(term, "ORDER BY takes ASC or DESC");
        }
        let expr = match &term.expr {
            // A position in the select list.
            Expr::Value(v) if matches!(&v.value, Value::Number(..)) => {
                let Value::Number(n, _) = &v.value else { unreachable!() };
                match n.parse::<usize>() {
                    Ok(i) if (1..=projection.len()).contains(&i) => {
                        let i = proc_macro2::Literal::usize_unsuffixed(i);
                        quote_spanned!(sp=> ::quarry::query::selected::<#i>())
                    }
                    _ => self.error(format!(
                        "ORDER BY {n}: the select list has {} columns",
                        projection.len()
                    )),
                }
            }
            // The alias of a selected expression.
            Expr::Identifier(name)
                if projection.iter().any(|item| matches!(item, SelectItem::ExprWithAlias { alias, .. } if alias.value == name.value)) =>
            {
                let expr = projection
                    .iter()
                    .find_map(|item| match item {
                        SelectItem::ExprWithAlias { expr, alias } if alias.value == name.value => Some(expr),
                        _ => None,
                    })
                    .expect("found above");
                self.sql(expr, scope)
            }
            other => self.sql(other, scope),
        };
        match term.options.sort {
            None => expr,
            Some(OrderBySort::Asc) => quote_spanned!(sp=> #expr.asc()),
            Some(OrderBySort::Desc) => quote_spanned!(sp=> #expr.desc()),
            Some(_) => self.unsupported(term, "ORDER BY takes ASC or DESC"),
        }
    }

    // ---- writes ---------------------------------------------------------

    fn write_scope(
        &mut self,
        name: &sqlparser::ast::ObjectName,
    ) -> Option<(Scope<'static>, TokenStream)> {
        let mut scope = Scope::new(None);
        let Some(table) = single(name) else {
            self.unsupported(
                name,
                "a statement writes one table, named by its `table!` name",
            );
            return None;
        };
        match scope.add(table, None, self.span) {
            Ok(source) => {
                self.import(&source.module);
                let value = source.value(self.span);
                Some((scope, value))
            }
            Err(message) => {
                self.error(message);
                None
            }
        }
    }

    fn returning(
        &mut self,
        q: TokenStream,
        returning: &Option<Vec<SelectItem>>,
        scope: &Scope<'_>,
    ) -> TokenStream {
        let sp = self.span;
        match returning {
            None => q,
            Some(items) => match self.projection(items, scope) {
                Some(selection) => quote_spanned!(sp=> #q.returning(#selection)),
                None => {
                    let table = &scope.sources[0].table;
                    quote_spanned!(sp=> #q.returning(#table::all_columns))
                }
            },
        }
    }

    fn insert(&mut self, insert: &Insert) -> TokenStream {
        let sp = self.span;
        let TableObject::TableName(name) = &insert.table else {
            return self.unsupported(&insert.table, "INSERT INTO takes a table");
        };
        let Some((scope, table)) = self.write_scope(name) else {
            return quote!(());
        };
        if insert.on.is_some() || insert.or.is_some() || insert.ignore {
            return self.unsupported(insert, "for upserts use the DSL's `on_conflict`");
        }
        let columns: Vec<TokenStream> = insert
            .columns
            .iter()
            .map(|c| match single(c) {
                Some(c) => self.column(std::slice::from_ref(c), &scope),
                None => self.unsupported(c, "INSERT names columns of its table"),
            })
            .collect();
        let Some(source) = &insert.source else {
            return self.unsupported(insert, "INSERT takes VALUES or a SELECT");
        };
        let mut q = quote_spanned!(sp=> ::quarry::insert_into(#table));
        match &*source.body {
            SetExpr::Values(values) => {
                let [row] = values.rows.as_slice() else {
                    return self.unsupported(
                        "INSERT of several rows",
                        "`sql!` inserts one row; for many use `insert_into(..).values(&rows)`",
                    );
                };
                if row.content.len() != columns.len() {
                    return self.error(format!(
                        "INSERT names {} columns and gives {} values",
                        columns.len(),
                        row.content.len()
                    ));
                }
                let assigns: Vec<_> = columns
                    .iter()
                    .zip(&row.content)
                    .map(|(column, value)| {
                        let value = self.operand(value, &scope);
                        quote_spanned!(sp=> #column.eq(#value))
                    })
                    .collect();
                let assigns = tuple_or_single(assigns, sp);
                q = quote_spanned!(sp=> #q.values(#assigns));
            }
            _ => {
                let query = self.query(source, None);
                let columns = tuple_or_single(columns, sp);
                q = quote_spanned!(sp=> #q.from_select(#columns, #query));
            }
        }
        self.returning(q, &insert.returning, &scope)
    }

    fn update(&mut self, update: &Update) -> TokenStream {
        let sp = self.span;
        let TableFactor::Table {
            name, alias: None, ..
        } = &update.table.relation
        else {
            return self.unsupported(&update.table, "UPDATE takes a table without alias");
        };
        if !update.table.joins.is_empty() || update.from.is_some() {
            return self.unsupported(update, "UPDATE writes one table, without FROM or joins");
        }
        let Some((scope, table)) = self.write_scope(name) else {
            return quote!(());
        };
        let mut q = quote_spanned!(sp=> ::quarry::update(#table));
        if let Some(selection) = &update.selection {
            let filter = self.condition(selection, &scope);
            q = quote_spanned!(sp=> #q.filter(#filter));
        }
        let assigns: Vec<_> = update
            .assignments
            .iter()
            .map(|a| match &a.target {
                sqlparser::ast::AssignmentTarget::ColumnName(c) => {
                    let parts: Vec<_> = c.0.iter().filter_map(|p| p.as_ident().cloned()).collect();
                    let column = self.column(&parts, &scope);
                    let value = self.operand(&a.value, &scope);
                    quote_spanned!(sp=> #column.eq(#value))
                }
                other => self.unsupported(other, "SET assigns one column at a time"),
            })
            .collect();
        let Some(assigns) = tuple_or_single(assigns, sp) else {
            return self.error("UPDATE needs SET");
        };
        q = quote_spanned!(sp=> #q.set(#assigns));
        self.returning(q, &update.returning, &scope)
    }

    fn delete(&mut self, delete: &Delete) -> TokenStream {
        let sp = self.span;
        let (FromTable::WithFromKeyword(tables) | FromTable::WithoutKeyword(tables)) = &delete.from;
        let [twj] = tables.as_slice() else {
            return self.unsupported(delete, "DELETE takes one table");
        };
        let TableFactor::Table {
            name, alias: None, ..
        } = &twj.relation
        else {
            return self.unsupported(delete, "DELETE takes one table without alias");
        };
        if !twj.joins.is_empty()
            || delete.using.is_some()
            || delete.limit.is_some()
            || !delete.order_by.is_empty()
        {
            return self.unsupported(delete, "DELETE takes one table, WHERE and RETURNING");
        }
        let Some((scope, table)) = self.write_scope(name) else {
            return quote!(());
        };
        let mut q = quote_spanned!(sp=> ::quarry::delete(#table));
        if let Some(selection) = &delete.selection {
            let filter = self.condition(selection, &scope);
            q = quote_spanned!(sp=> #q.filter(#filter));
        }
        self.returning(q, &delete.returning, &scope)
    }

    // ---- expressions ----------------------------------------------------

    fn column(&mut self, parts: &[sqlparser::ast::Ident], scope: &Scope<'_>) -> TokenStream {
        match scope.column(parts, self.span) {
            Ok(column) => column.tokens,
            Err(message) => self.error(message),
        }
    }

    /// A boolean condition: WHERE, ON, HAVING.
    fn condition(&mut self, e: &Expr, scope: &Scope<'_>) -> TokenStream {
        self.sql(e, scope)
    }

    /// An expression that must be SQL: a value gets the SQL type of its
    /// literal (an integer is `Integer`), a parameter has none.
    fn sql(&mut self, e: &Expr, scope: &Scope<'_>) -> TokenStream {
        let ex = self.expr(e, scope);
        self.force(ex, e)
    }

    fn force(&mut self, ex: Ex, e: &Expr) -> TokenStream {
        let sp = self.span;
        let ty = match ex {
            Ex::Sql(t) => return t,
            Ex::Null => {
                return self.error(format!(
                    "`NULL` has no SQL type in `{e}`; compare with `IS NULL`, or leave the column out"
                ));
            }
            Ex::Val(_, Lit::Param) => {
                return self.error(format!(
                    "parameter `{e}` has no SQL type here: compare it with a column, or write `CAST({e} AS INTEGER)` (or another type)"
                ));
            }
            Ex::Val(t, Lit::Int) => (quote_spanned!(sp=> Integer), t),
            Ex::Val(t, Lit::Float) => (quote_spanned!(sp=> Double), t),
            Ex::Val(t, Lit::Str) => (quote_spanned!(sp=> Text), t),
            Ex::Val(t, Lit::Bool) => (quote_spanned!(sp=> Bool), t),
        };
        let (ty, value) = ty;
        quote_spanned!(sp=> ::quarry::expression::Bound::<::quarry::sql_types::#ty, _>::new(#value))
    }

    /// A value or an expression, for a place whose SQL type is known: the
    /// right side of a comparison, a LIMIT, a SET.
    fn operand(&mut self, e: &Expr, scope: &Scope<'_>) -> TokenStream {
        match self.expr(e, scope) {
            Ex::Sql(t) | Ex::Val(t, _) => t,
            Ex::Null => self.error(format!(
                "`{e}`: `sql!` binds no untyped NULL here; compare with `IS NULL`, or leave the column out"
            )),
        }
    }

    fn expr(&mut self, e: &Expr, scope: &Scope<'_>) -> Ex {
        let sp = self.span;
        match e {
            Expr::Identifier(ident) => Ex::Sql(self.column(std::slice::from_ref(ident), scope)),
            Expr::CompoundIdentifier(parts) => Ex::Sql(self.column(parts, scope)),
            Expr::Nested(inner) => self.expr(inner, scope),
            Expr::Value(v) => self.value(&v.value),
            Expr::BinaryOp { left, op, right } => self.binary(e, left, op, right, scope),
            Expr::UnaryOp { op, expr } => match (op, self.expr(expr, scope)) {
                (UnaryOperator::Not, inner) => {
                    let inner = self.force(inner, expr);
                    Ex::Sql(quote_spanned!(sp=> ::quarry::not(#inner)))
                }
                (UnaryOperator::Minus, Ex::Val(t, lit)) => Ex::Val(quote_spanned!(sp=> -#t), lit),
                (UnaryOperator::Minus, Ex::Sql(t)) => {
                    Ex::Sql(quote_spanned!(sp=> ::quarry::__private::negate(#t)))
                }
                (UnaryOperator::Plus, inner) => inner,
                _ => Ex::Sql(self.unsupported(e, "")),
            },
            Expr::IsNull(inner) => {
                let inner = self.sql(inner, scope);
                Ex::Sql(quote_spanned!(sp=> #inner.is_null()))
            }
            Expr::IsNotNull(inner) => {
                let inner = self.sql(inner, scope);
                Ex::Sql(quote_spanned!(sp=> #inner.is_not_null()))
            }
            Expr::Between {
                expr,
                negated,
                low,
                high,
            } => {
                let expr = self.sql(expr, scope);
                let low = self.operand(low, scope);
                let high = self.operand(high, scope);
                let between = quote_spanned!(sp=> #expr.between(#low, #high));
                Ex::Sql(if *negated {
                    quote_spanned!(sp=> ::quarry::not(#between))
                } else {
                    between
                })
            }
            Expr::Like {
                negated,
                any: false,
                expr,
                pattern,
                escape_char: None,
            } => {
                let expr = self.sql(expr, scope);
                let pattern = self.operand(pattern, scope);
                Ex::Sql(if *negated {
                    quote_spanned!(sp=> #expr.not_like(#pattern))
                } else {
                    quote_spanned!(sp=> #expr.like(#pattern))
                })
            }
            Expr::ILike {
                negated,
                any: false,
                expr,
                pattern,
                escape_char: None,
            } => {
                let expr = self.sql(expr, scope);
                let pattern = self.operand(pattern, scope);
                Ex::Sql(if *negated {
                    quote_spanned!(sp=> #expr.not_ilike(#pattern))
                } else {
                    quote_spanned!(sp=> #expr.ilike(#pattern))
                })
            }
            Expr::In {
                expr,
                target: InTarget::List(list),
                negated,
                ..
            } => {
                let expr = self.sql(expr, scope);
                let mut values = Vec::new();
                for item in list {
                    match self.expr(item, scope) {
                        Ex::Val(t, _) => values.push(t),
                        _ => {
                            return Ex::Sql(self.unsupported(
                                e,
                                "an IN list holds values and parameters; compare with columns using OR",
                            ));
                        }
                    }
                }
                let method = if *negated {
                    quote_spanned!(sp=> ne_all)
                } else {
                    quote_spanned!(sp=> eq_any)
                };
                Ex::Sql(quote_spanned!(sp=> #expr.#method([#(#values),*])))
            }
            Expr::In {
                expr,
                target: InTarget::Subquery(subquery),
                negated,
                ..
            } => {
                let expr = self.sql(expr, scope);
                let subquery = self.query(subquery, Some(scope));
                let method = if *negated {
                    quote_spanned!(sp=> ne_all)
                } else {
                    quote_spanned!(sp=> eq_any)
                };
                Ex::Sql(quote_spanned!(sp=> #expr.#method(#subquery)))
            }
            Expr::AnyOp {
                left,
                compare_op: BinaryOperator::Eq,
                right,
                ..
            } => {
                let left = self.sql(left, scope);
                let right = self.operand(right, scope);
                Ex::Sql(quote_spanned!(sp=> #left.eq_any(#right)))
            }
            Expr::AllOp {
                left,
                compare_op: BinaryOperator::NotEq,
                right,
            } => {
                let left = self.sql(left, scope);
                let right = self.operand(right, scope);
                Ex::Sql(quote_spanned!(sp=> #left.ne_all(#right)))
            }
            Expr::Exists { subquery, negated } => {
                let subquery = self.query(subquery, Some(scope));
                Ex::Sql(if *negated {
                    quote_spanned!(sp=> ::quarry::expression::not_exists(#subquery))
                } else {
                    quote_spanned!(sp=> ::quarry::exists(#subquery))
                })
            }
            Expr::Subquery(subquery) => {
                let subquery = self.query(subquery, Some(scope));
                Ex::Sql(quote_spanned!(sp=> ::quarry::expression::scalar(#subquery)))
            }
            Expr::Case {
                operand: None,
                conditions,
                else_result,
                ..
            } => {
                let mut case = TokenStream::new();
                for (i, when) in conditions.iter().enumerate() {
                    let cond = self.condition(&when.condition, scope);
                    if i == 0 {
                        let value = self.sql(&when.result, scope);
                        case = quote_spanned!(sp=> ::quarry::expression::case_when(#cond, #value));
                    } else {
                        let value = self.operand(&when.result, scope);
                        case = quote_spanned!(sp=> #case.when(#cond, #value));
                    }
                }
                match else_result.as_deref() {
                    None
                    | Some(Expr::Value(sqlparser::ast::ValueWithSpan {
                        value: Value::Null, ..
                    })) => {}
                    Some(other) => {
                        let value = self.operand(other, scope);
                        case = quote_spanned!(sp=> #case.otherwise(#value));
                    }
                }
                Ex::Sql(case)
            }
            Expr::Cast {
                kind: CastKind::Cast | CastKind::DoubleColon,
                expr,
                data_type,
                format: None,
            } => {
                let Some(ty) = sql_type(data_type) else {
                    return Ex::Sql(self.unsupported(
                        data_type,
                        "CAST takes one of SMALLINT, INTEGER, BIGINT, REAL, DOUBLE PRECISION, NUMERIC, TEXT, BOOLEAN, DATE, TIME, TIMESTAMP",
                    ));
                };
                let ty = syn::Ident::new(ty, sp);
                let inner = match self.expr(expr, scope) {
                    Ex::Sql(t) => t,
                    Ex::Val(t, _) => {
                        quote_spanned!(sp=> ::quarry::expression::Bound::<::quarry::sql_types::#ty, _>::new(#t))
                    }
                    Ex::Null => return Ex::Sql(self.unsupported(e, "")),
                };
                Ex::Sql(
                    quote_spanned!(sp=> ::quarry::expression::cast::<::quarry::sql_types::#ty, _>(#inner)),
                )
            }
            Expr::Function(function) => self.function(function, scope),
            other => Ex::Sql(self.unsupported(other, "")),
        }
    }

    fn value(&mut self, value: &Value) -> Ex {
        let sp = self.span;
        match value {
            Value::Number(n, false) => {
                let is_float = n.contains(['.', 'e', 'E']);
                let lit = if is_float {
                    let text = if n.starts_with('.') {
                        format!("0{n}")
                    } else {
                        n.clone()
                    };
                    let text = if text.ends_with('.') {
                        format!("{text}0")
                    } else {
                        text
                    };
                    proc_macro2::Literal::f64_unsuffixed(text.parse().unwrap_or(0.0))
                } else {
                    match n.parse::<i128>() {
                        Ok(i) => proc_macro2::Literal::i128_unsuffixed(i),
                        Err(_) => {
                            return Ex::Sql(
                                self.error(format!("`{n}` is not a number `sql!` can bind")),
                            );
                        }
                    }
                };
                let mut lit = lit;
                lit.set_span(sp);
                Ex::Val(quote!(#lit), if is_float { Lit::Float } else { Lit::Int })
            }
            Value::SingleQuotedString(s) => {
                let lit = syn::LitStr::new(s, sp);
                Ex::Val(quote!(#lit), Lit::Str)
            }
            Value::Boolean(b) => {
                let lit = syn::LitBool::new(*b, sp);
                Ex::Val(quote!(#lit), Lit::Bool)
            }
            Value::Null => Ex::Null,
            Value::Placeholder(p) => {
                let index = p.strip_prefix('$').and_then(|n| n.parse::<usize>().ok());
                match index.and_then(|i| self.params.get(i.wrapping_sub(1))) {
                    Some(tokens) => Ex::Val(tokens.clone(), Lit::Param),
                    None => Ex::Sql(self.error(format!(
                        "`{p}`: parameters are Rust expressions in braces, such as `{{min}}`"
                    ))),
                }
            }
            other => Ex::Sql(self.unsupported(other, "")),
        }
    }

    fn binary(
        &mut self,
        e: &Expr,
        left: &Expr,
        op: &BinaryOperator,
        right: &Expr,
        scope: &Scope<'_>,
    ) -> Ex {
        let sp = self.span;
        let comparison = match op {
            BinaryOperator::Eq => Some(("eq", "eq")),
            BinaryOperator::NotEq => Some(("ne", "ne")),
            BinaryOperator::Lt => Some(("lt", "gt")),
            BinaryOperator::LtEq => Some(("le", "ge")),
            BinaryOperator::Gt => Some(("gt", "lt")),
            BinaryOperator::GtEq => Some(("ge", "le")),
            _ => None,
        };
        let l = self.expr(left, scope);
        let r = self.expr(right, scope);
        if let Some((method, flipped)) = comparison {
            return match (l, r) {
                (Ex::Null, _) | (_, Ex::Null) => Ex::Sql(self.error(format!(
                    "`{e}` is never true: NULL equals nothing; write `IS NULL` or `IS NOT NULL`"
                ))),
                (Ex::Sql(l), Ex::Sql(r) | Ex::Val(r, _)) => {
                    let method = syn::Ident::new(method, sp);
                    Ex::Sql(quote_spanned!(sp=> #l.#method(#r)))
                }
                (Ex::Val(l, _), Ex::Sql(r)) => {
                    let method = syn::Ident::new(flipped, sp);
                    Ex::Sql(quote_spanned!(sp=> #r.#method(#l)))
                }
                (Ex::Val(..), Ex::Val(..)) => Ex::Sql(self.error(format!(
                    "`{e}` compares two values; one side must be a column or an expression of the query"
                ))),
            };
        }
        match op {
            BinaryOperator::And | BinaryOperator::Or => {
                let l = self.force(l, left);
                let r = match r {
                    Ex::Sql(t) | Ex::Val(t, _) => t,
                    Ex::Null => self.force(Ex::Null, right),
                };
                let method = if *op == BinaryOperator::And {
                    quote_spanned!(sp=> and)
                } else {
                    quote_spanned!(sp=> or)
                };
                Ex::Sql(quote_spanned!(sp=> #l.#method(#r)))
            }
            BinaryOperator::Plus
            | BinaryOperator::Minus
            | BinaryOperator::Multiply
            | BinaryOperator::Divide => {
                let rust_op = match op {
                    BinaryOperator::Plus => quote_spanned!(sp=> +),
                    BinaryOperator::Minus => quote_spanned!(sp=> -),
                    BinaryOperator::Multiply => quote_spanned!(sp=> *),
                    _ => quote_spanned!(sp=> /),
                };
                let commutes = matches!(op, BinaryOperator::Plus | BinaryOperator::Multiply);
                match (l, r) {
                    (Ex::Val(l, lk), Ex::Val(r, _)) => {
                        Ex::Val(quote_spanned!(sp=> (#l #rust_op #r)), lk)
                    }
                    (Ex::Val(l, _), Ex::Sql(r)) if commutes => {
                        Ex::Sql(quote_spanned!(sp=> (#r #rust_op #l)))
                    }
                    (Ex::Sql(l), Ex::Sql(r) | Ex::Val(r, _)) => {
                        Ex::Sql(quote_spanned!(sp=> (#l #rust_op #r)))
                    }
                    (l, r) => {
                        let l = self.force(l, left);
                        let r = self.force(r, right);
                        Ex::Sql(quote_spanned!(sp=> (#l #rust_op #r)))
                    }
                }
            }
            BinaryOperator::StringConcat => {
                let l = self.force(l, left);
                let r = match r {
                    Ex::Sql(t) | Ex::Val(t, _) => t,
                    Ex::Null => self.force(Ex::Null, right),
                };
                Ex::Sql(quote_spanned!(sp=> #l.concat(#r)))
            }
            _ => Ex::Sql(self.unsupported(e, "")),
        }
    }

    fn function(&mut self, f: &Function, scope: &Scope<'_>) -> Ex {
        let sp = self.span;
        let name = single(&f.name)
            .map(|n| n.value.to_lowercase())
            .unwrap_or_default();
        if f.over.is_some() || f.filter.is_some() || !f.within_group.is_empty() {
            return Ex::Sql(
                self.unsupported(f, "window functions and FILTER are the DSL's `over`"),
            );
        }
        let FunctionArguments::List(list) = &f.args else {
            return Ex::Sql(self.unsupported(f, "a function takes a list of arguments"));
        };
        if !list.clauses.is_empty() {
            return Ex::Sql(self.unsupported(f, ""));
        }
        let distinct = matches!(list.duplicate_treatment, Some(DuplicateTreatment::Distinct));
        let mut args = Vec::new();
        let mut star = false;
        for arg in &list.args {
            match arg {
                FunctionArg::Unnamed(FunctionArgExpr::Expr(e)) => args.push(e),
                FunctionArg::Unnamed(FunctionArgExpr::Wildcard) => star = true,
                _ => return Ex::Sql(self.unsupported(f, "")),
            }
        }
        let path = |name: &str| {
            let name = syn::Ident::new(name, sp);
            quote_spanned!(sp=> ::quarry::expression::#name)
        };
        match (name.as_str(), args.as_slice(), star, distinct) {
            ("count", [], true, false) => {
                let f = path("count_star");
                Ex::Sql(quote_spanned!(sp=> #f()))
            }
            ("count", [arg], false, true) => {
                let arg = self.sql(arg, scope);
                let f = path("count_distinct");
                Ex::Sql(quote_spanned!(sp=> #f(#arg)))
            }
            ("count" | "sum" | "avg" | "min" | "max" | "lower" | "upper" | "length" | "char_length" | "trim", [arg], false, false) => {
                let arg = self.sql(arg, scope);
                let f = path(if name == "char_length" { "length" } else { &name });
                Ex::Sql(quote_spanned!(sp=> #f(#arg)))
            }
            ("coalesce", [first, fallback], false, false) => {
                let first = self.sql(first, scope);
                let fallback = self.operand(fallback, scope);
                let f = path("coalesce");
                Ex::Sql(quote_spanned!(sp=> #f(#first, #fallback)))
            }
            ("substring" | "substr", [text, start, len], false, false) => {
                let text = self.sql(text, scope);
                let start = self.operand(start, scope);
                let len = self.operand(len, scope);
                let f = path("substring");
                Ex::Sql(quote_spanned!(sp=> #f(#text, #start, #len)))
            }
            _ => Ex::Sql(self.error(format!(
                "`sql!` does not know the function `{}`{}: it knows COUNT, SUM, AVG, MIN, MAX, COALESCE, LOWER, UPPER, LENGTH, TRIM, SUBSTRING and CAST; declare others with `sql_function!` and use the DSL",
                f.name,
                single(&f.name).map(position).unwrap_or_default()
            ))),
        }
    }
}

/// `x` for one expression, `(a, b)` for several, nothing for none.
fn tuple_or_single(mut items: Vec<TokenStream>, sp: Span) -> Option<TokenStream> {
    match items.len() {
        0 => None,
        1 => items.pop(),
        _ => Some(quote_spanned!(sp=> (#(#items),*))),
    }
}

/// The `quarry::sql_types` name of a CAST target.
fn sql_type(ty: &sqlparser::ast::DataType) -> Option<&'static str> {
    let text = ty.to_string().to_uppercase();
    let base = text.split('(').next().unwrap_or_default().trim();
    Some(match base {
        "SMALLINT" | "INT2" => "SmallInt",
        "INT" | "INTEGER" | "INT4" => "Integer",
        "BIGINT" | "INT8" => "BigInt",
        "REAL" | "FLOAT4" => "Float",
        "DOUBLE PRECISION" | "DOUBLE" | "FLOAT8" | "FLOAT" => "Double",
        "NUMERIC" | "DECIMAL" => "Numeric",
        "TEXT" | "VARCHAR" | "CHARACTER VARYING" => "Text",
        "BOOLEAN" | "BOOL" => "Bool",
        "DATE" => "Date",
        "TIME" => "Time",
        "TIMESTAMP" => "Timestamp",
        _ => return None,
    })
}
