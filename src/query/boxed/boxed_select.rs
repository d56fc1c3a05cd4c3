//! `into_boxed()`: a SELECT whose clauses are added at run time, still
//! checked against its FROM clause and still typed by its rows.

use core::marker::PhantomData;

use crate::backend::{Backend, Pg, Sqlite};
use crate::deserialize::{FromRow, RawRow, RowReader};
use crate::expression::grouping::{Group, Grouping, NoGroup};
use crate::expression::{Expression, OrderTerm, ValidIn};
use crate::query::boxed::boxed_bool::{IntoCondition, Node};
use crate::query::boxed::dyn_part::DynPart;
use crate::query::boxed::shape;
use crate::query::group_by_clause::{GroupBy, GroupClause, Having, NoGroupBy, NoHaving};
use crate::query::select_statement::SelectList;
use crate::query::{Limit, NoLimit, NoOffset, NoOrder, NoWhere, Offset, OrderBy, Where};
use crate::query_fragment::QueryFragment;
use crate::query_source::SourceSql;
use crate::sql_text::Part;
use crate::sql_types::BoolLike;
use quarry_runtime::{Error, Value};

/// A SELECT statement boxed for backend `DB`: FROM clause `F`, rows of SQL
/// type `Row`, grouping context `G`. Its type stays the same as `filter`,
/// `or_filter`, `order`, `then_order_by`, `limit`, `offset` and `having`
/// add clauses, so it can be reassigned in a loop; each addition is checked
/// like on a static query.
pub struct BoxedSelect<'a, DB: Backend, F, Row, G = NoGroup> {
    head: Box<dyn DynPart<DB> + 'a>,
    /// Conditions joined with `AND`.
    filter: Vec<Node<'a, DB>>,
    group: Option<Box<dyn DynPart<DB> + 'a>>,
    having: Option<Node<'a, DB>>,
    order: Vec<Box<dyn DynPart<DB> + 'a>>,
    limit: Option<i64>,
    offset: Option<i64>,
    types: PhantomData<(F, Row, G)>,
}

/// What a boxed query keeps of a GROUP BY clause.
pub type BoxedGroupParts<'a, DB> = (Option<Box<dyn DynPart<DB> + 'a>>, Option<Node<'a, DB>>);

/// `SELECT [DISTINCT] list FROM source`: the fixed head of a boxed query.
#[doc(hidden)]
pub struct Head<D, S, F> {
    distinct: D,
    select: S,
    from: F,
}

impl<DB, D, S, F> QueryFragment<DB> for Head<D, S, F>
where
    DB: Backend,
    D: QueryFragment<DB>,
    S: SelectList<F, DB>,
    F: SourceSql<DB>,
{
    const FRAG: Part = Part::Seq(&[Part::Str("SELECT "), D::FRAG, S::FRAG, F::FROM]);
    fn collect_binds<'a>(&'a self, out: &mut Vec<Value<'a>>) {
        self.distinct.collect_binds(out);
        self.select.collect_select_binds(out);
        self.from.collect_source_binds(out);
    }
}

const WHERE: Part = Part::Str(" WHERE ");
const AND: Part = Part::Str(" AND ");
const GROUP_BY: Part = Part::Str(" GROUP BY ");
const HAVING: Part = Part::Str(" HAVING ");
const ORDER_BY: Part = Part::Str(" ORDER BY ");
const COMMA: Part = Part::Str(", ");
const LIMIT: Part = Part::Str(" LIMIT ");
const OFFSET: Part = Part::Str(" OFFSET ");
const NO_LIMIT_OFFSET: Part =
    Part::ByDialect(&[Part::Str(" LIMIT -1 OFFSET "), Part::Str(" OFFSET ")]);

/// Clauses of a static statement that move into a boxed one.
#[diagnostic::on_unimplemented(message = "`{Self}` cannot be moved into a boxed query for {DB}")]
pub trait IntoBoxedParts<'a, DB: Backend> {
    /// Where the boxed query keeps it.
    type Boxed;
    /// Moves it.
    fn into_boxed_parts(self) -> Self::Boxed;
}

impl<'a, DB: Backend> IntoBoxedParts<'a, DB> for NoWhere {
    type Boxed = Option<Node<'a, DB>>;
    fn into_boxed_parts(self) -> Self::Boxed {
        None
    }
}
impl<'a, DB: Backend, P: QueryFragment<DB> + Send + Sync + 'a> IntoBoxedParts<'a, DB> for Where<P> {
    type Boxed = Option<Node<'a, DB>>;
    fn into_boxed_parts(self) -> Self::Boxed {
        Some(Node::Leaf(Box::new(self.0)))
    }
}
impl<'a, DB: Backend> IntoBoxedParts<'a, DB> for NoOrder {
    type Boxed = Vec<Box<dyn DynPart<DB> + 'a>>;
    fn into_boxed_parts(self) -> Self::Boxed {
        Vec::new()
    }
}
impl<'a, DB: Backend, O: QueryFragment<DB> + Send + Sync + 'a> IntoBoxedParts<'a, DB>
    for OrderBy<O>
{
    type Boxed = Vec<Box<dyn DynPart<DB> + 'a>>;
    fn into_boxed_parts(self) -> Self::Boxed {
        vec![Box::new(self.0)]
    }
}
impl<'a, DB: Backend> IntoBoxedParts<'a, DB> for NoGroupBy {
    type Boxed = BoxedGroupParts<'a, DB>;
    fn into_boxed_parts(self) -> Self::Boxed {
        (None, None)
    }
}
impl<'a, DB: Backend, E: QueryFragment<DB> + Send + Sync + 'a> IntoBoxedParts<'a, DB>
    for GroupBy<E, NoHaving>
{
    type Boxed = BoxedGroupParts<'a, DB>;
    fn into_boxed_parts(self) -> Self::Boxed {
        (Some(Box::new(self.exprs)), None)
    }
}
impl<'a, DB, E, P> IntoBoxedParts<'a, DB> for GroupBy<E, Having<P>>
where
    DB: Backend,
    E: QueryFragment<DB> + Send + Sync + 'a,
    P: QueryFragment<DB> + Send + Sync + 'a,
{
    type Boxed = BoxedGroupParts<'a, DB>;
    fn into_boxed_parts(self) -> Self::Boxed {
        (
            Some(Box::new(self.exprs)),
            Some(Node::Leaf(Box::new(self.having.0))),
        )
    }
}

/// A LIMIT or OFFSET count, or none.
#[diagnostic::on_unimplemented(message = "`{Self}` is not a LIMIT or OFFSET clause")]
pub trait Count: Copy {
    /// The count.
    fn count(self) -> Option<i64>;
}
impl Count for NoLimit {
    fn count(self) -> Option<i64> {
        None
    }
}
impl Count for Limit {
    fn count(self) -> Option<i64> {
        Some(self.0)
    }
}
impl Count for NoOffset {
    fn count(self) -> Option<i64> {
        None
    }
}
impl Count for Offset {
    fn count(self) -> Option<i64> {
        Some(self.0)
    }
}

impl<'a, DB: Backend, F, Row, G> BoxedSelect<'a, DB, F, Row, G> {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn from_parts<D, S, W, O, L, Off, GB>(
        from: F,
        select: S,
        distinct: D,
        where_clause: W,
        order: O,
        limit: L,
        offset: Off,
        group: GB,
    ) -> Self
    where
        Head<D, S, F>: QueryFragment<DB> + Send + Sync + 'a,
        W: IntoBoxedParts<'a, DB, Boxed = Option<Node<'a, DB>>>,
        O: IntoBoxedParts<'a, DB, Boxed = Vec<Box<dyn DynPart<DB> + 'a>>>,
        GB: IntoBoxedParts<'a, DB, Boxed = BoxedGroupParts<'a, DB>>,
        L: Count,
        Off: Count,
    {
        let (group, having) = group.into_boxed_parts();
        BoxedSelect {
            head: Box::new(Head {
                distinct,
                select,
                from,
            }),
            filter: where_clause.into_boxed_parts().into_iter().collect(),
            group,
            having,
            order: order.into_boxed_parts(),
            limit: limit.count(),
            offset: offset.count(),
            types: PhantomData,
        }
    }

    /// Keeps the rows for which `condition` is true; joined with `AND` to
    /// earlier filters. `condition` is a boolean expression over this
    /// query's tables, or a [`BoxedBool`](crate::query::BoxedBool).
    #[doc(alias = "where")]
    pub fn filter<P, I>(mut self, condition: P) -> Self
    where
        P: IntoCondition<'a, F, DB, I>,
    {
        match condition.into_node() {
            Node::Const(true) => {}
            node => self.filter.push(node),
        }
        self
    }

    /// Keeps the rows for which `condition` or the earlier filters are true.
    pub fn or_filter<P, I>(mut self, condition: P) -> Self
    where
        P: IntoCondition<'a, F, DB, I>,
    {
        let node = condition.into_node();
        let earlier = self
            .filter
            .drain(..)
            .reduce(Node::and)
            .unwrap_or(Node::Const(false));
        self.filter = vec![earlier.or(node)];
        self
    }

    /// Sorts by `term`, replacing any earlier order.
    pub fn order<O, I, GI>(mut self, term: O) -> Self
    where
        O: OrderTerm<F, I> + Grouping<G, GI> + QueryFragment<DB> + Send + Sync + 'a,
    {
        self.order = vec![Box::new(term)];
        self
    }

    /// Adds a sort key after the current ones.
    pub fn then_order_by<O, I, GI>(mut self, term: O) -> Self
    where
        O: OrderTerm<F, I> + Grouping<G, GI> + QueryFragment<DB> + Send + Sync + 'a,
    {
        self.order.push(Box::new(term));
        self
    }

    /// Sorts by a term chosen at run time: anything that turns into a
    /// boxed order term of this query, such as a user enum mapped to typed
    /// columns with [`BoxedOrder::new`].
    pub fn order_by_boxed(mut self, term: BoxedOrder<'a, F, DB, G>) -> Self {
        self.order = vec![term.0];
        self
    }

    /// Returns at most `count` rows.
    pub fn limit(mut self, count: i64) -> Self {
        self.limit = Some(count);
        self
    }

    /// Skips the first `count` rows.
    pub fn offset(mut self, count: i64) -> Self {
        self.offset = Some(count);
        self
    }

    /// Visits the parts of the statement as it is now, in order.
    fn visit(&self, f: &mut dyn FnMut(Part)) {
        f(*self.head.part());
        for (i, condition) in self.filter.iter().enumerate() {
            f(if i == 0 { WHERE } else { AND });
            condition.visit(f);
        }
        if let Some(group) = &self.group {
            f(GROUP_BY);
            f(*group.part());
        }
        if let Some(having) = &self.having {
            f(HAVING);
            having.visit(f);
        }
        for (i, term) in self.order.iter().enumerate() {
            f(if i == 0 { ORDER_BY } else { COMMA });
            f(*term.part());
        }
        let tail: &[Part] = match (self.limit, self.offset) {
            (Some(_), Some(_)) => &[LIMIT, Part::Param, OFFSET, Part::Param],
            (Some(_), None) => &[LIMIT, Part::Param],
            (None, Some(_)) => &[NO_LIMIT_OFFSET, Part::Param],
            (None, None) => &[],
        };
        for part in tail {
            f(*part);
        }
    }

    /// The binds, in the order of [`visit`](Self::visit).
    fn binds(&self) -> Vec<Value<'_>> {
        let mut out = Vec::with_capacity(8);
        self.head.collect_dyn_binds(&mut out);
        for condition in &self.filter {
            condition.collect_binds(&mut out);
        }
        if let Some(group) = &self.group {
            group.collect_dyn_binds(&mut out);
        }
        if let Some(having) = &self.having {
            having.collect_binds(&mut out);
        }
        for term in &self.order {
            term.collect_dyn_binds(&mut out);
        }
        out.extend(self.limit.map(Value::BigInt));
        out.extend(self.offset.map(Value::BigInt));
        out
    }

    /// The statement's SQL text: rendered from its parts the first time
    /// this shape is seen, then looked up by the parts' identities.
    pub fn sql(&self) -> Result<&'static str, Error> {
        shape::sql_for(&|f: &mut dyn FnMut(Part)| self.visit(f), DB::DIALECT)
    }

    /// The SQL text and binds, for reading.
    pub fn debug(&self) -> Result<(&'static str, Vec<Value<'_>>), Error> {
        Ok((self.sql()?, self.binds()))
    }
}

impl<'a, DB: Backend, F, Row, G> BoxedSelect<'a, DB, F, Row, Group<G>> {
    /// `HAVING condition`, joined with `AND` to earlier ones. The condition
    /// may use aggregates and the grouped expressions.
    pub fn having<P, I, GI>(mut self, condition: P) -> Self
    where
        P: Expression
            + ValidIn<F, I>
            + Grouping<Group<G>, GI>
            + QueryFragment<DB>
            + Send
            + Sync
            + 'a,
        P::SqlType: BoolLike,
    {
        let node = Node::Leaf(Box::new(condition));
        self.having = Some(match self.having.take() {
            Some(existing) => existing.and(node),
            None => node,
        });
        self
    }
}

/// An order term chosen at run time, for queries with FROM clause `F`:
/// build one per variant of a user enum from typed columns, with no column
/// names as strings.
pub struct BoxedOrder<'a, F, DB: Backend, G = NoGroup>(
    Box<dyn DynPart<DB> + 'a>,
    PhantomData<(F, G)>,
);

impl<'a, F, DB: Backend, G> BoxedOrder<'a, F, DB, G> {
    /// Boxes `term`, checked against the FROM clause `F`.
    pub fn new<O, I, GI>(term: O) -> Self
    where
        O: OrderTerm<F, I> + Grouping<G, GI> + QueryFragment<DB> + Send + Sync + 'a,
    {
        BoxedOrder(Box::new(term), PhantomData)
    }
}

/// The backend a boxed query was built for, for `load` (SQLite).
#[diagnostic::on_unimplemented(
    message = "this boxed query was built for {Self}, and `load` runs on SQLite",
    label = "boxed for {Self}",
    note = "box it for the connection's backend: `into_boxed::<Sqlite>()`, or run it with `load_async`"
)]
pub trait BoxedForSqlite: Backend {
    /// The row as this backend reads it.
    #[doc(hidden)]
    fn sqlite_row<'r, 's>(row: &'r quarry_runtime::sqlite::Row<'s>) -> &'r (dyn RawRow<Self> + 's);
}
impl BoxedForSqlite for Sqlite {
    fn sqlite_row<'r, 's>(row: &'r quarry_runtime::sqlite::Row<'s>) -> &'r (dyn RawRow<Self> + 's) {
        row
    }
}

/// The backend a boxed query was built for, for `load_async` (PostgreSQL).
#[diagnostic::on_unimplemented(
    message = "this boxed query was built for {Self}, and `load_async` runs on PostgreSQL",
    label = "boxed for {Self}",
    note = "box it for the connection's backend: `into_boxed::<Pg>()`, or run it with `load`"
)]
pub trait BoxedForPg: Backend {
    /// The row as this backend reads it.
    #[doc(hidden)]
    fn pg_row(row: &quarry_runtime::postgres::Row) -> &dyn RawRow<Self>;
}
impl BoxedForPg for Pg {
    fn pg_row(row: &quarry_runtime::postgres::Row) -> &dyn RawRow<Self> {
        row
    }
}

impl<'a, DB: Backend, F, Row: 'a, G> BoxedSelect<'a, DB, F, Row, G> {
    /// Every row, as `U`, from SQLite.
    pub fn load<U>(&self, conn: &mut quarry_runtime::sqlite::Connection) -> Result<Vec<U>, Error>
    where
        DB: BoxedForSqlite,
        U: FromRow<Row, DB>,
    {
        let sql = self.sql()?;
        let binds = self.binds();
        let mut rows = Vec::new();
        conn.query_static(sql, &binds, |row| {
            rows.push(U::from_row(&mut RowReader::new(DB::sqlite_row(row)))?);
            Ok(())
        })?;
        Ok(rows)
    }

    /// The first row, or [`Error::NotFound`], from SQLite.
    pub fn get_result<U>(&self, conn: &mut quarry_runtime::sqlite::Connection) -> Result<U, Error>
    where
        DB: BoxedForSqlite,
        U: FromRow<Row, DB>,
    {
        let sql = self.sql()?;
        let binds = self.binds();
        let mut first = None;
        conn.query_static(sql, &binds, |row| {
            if first.is_none() {
                first = Some(U::from_row(&mut RowReader::new(DB::sqlite_row(row)))?);
            }
            Ok(())
        })?;
        first.ok_or(Error::NotFound)
    }

    /// Every row, as `U`, from PostgreSQL.
    pub fn load_async<'c, U>(
        &'c self,
        conn: &'c quarry_runtime::postgres::Connection,
    ) -> crate::pg::QueryFuture<'c, Vec<U>>
    where
        DB: BoxedForPg,
        U: FromRow<Row, DB> + Send + 'c,
        Self: Sync,
    {
        Box::pin(async move {
            let sql = self.sql()?;
            let rows = {
                let binds = self.binds();
                conn.query_static(sql, &binds).await?
            };
            rows.iter()
                .map(|row| U::from_row(&mut RowReader::new(DB::pg_row(row))))
                .collect()
        })
    }

    /// The first row, or [`Error::NotFound`], from PostgreSQL.
    pub fn get_result_async<'c, U>(
        &'c self,
        conn: &'c quarry_runtime::postgres::Connection,
    ) -> crate::pg::QueryFuture<'c, U>
    where
        DB: BoxedForPg,
        U: FromRow<Row, DB> + Send + 'c,
        Self: Sync,
    {
        Box::pin(async move {
            let rows: Vec<U> = self.load_async(conn).await?;
            rows.into_iter().next().ok_or(Error::NotFound)
        })
    }
}

/// The grouping context a boxed query keeps from its static statement.
pub type BoxedGroup<G> = <G as GroupClause>::Context;
