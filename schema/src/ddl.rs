//! Reading DDL with sqlparser into the same model as a live database:
//! `CREATE TABLE`, `CREATE VIEW`, `ALTER TABLE ... ADD` (constraints and
//! columns, as `pg_dump` writes them), `ALTER COLUMN` defaults and NOT
//! NULL, and PostgreSQL's `CREATE DOMAIN`. Other statements are skipped.

use std::path::Path;

use sqlparser::ast::{
    AlterColumnOperation, AlterTableOperation, ColumnDef, ColumnOption, CreateTable, CreateView,
    DataType, Expr, GeneratedAs, ObjectName, ObjectNamePart, Query, SelectItem,
    SelectItemQualifiedWildcardKind, SetExpr, SqliteTableOption, Statement, TableConstraint,
    TableFactor,
};
use sqlparser::dialect::{PostgreSqlDialect, SQLiteDialect};
use sqlparser::parser::Parser;

use crate::defaults;
use crate::error::Error;
use crate::model::{Column, Database, DbType, Default, Dialect, ForeignKey, Kind, Table};
use crate::types::{builtin, is_numeric, normalize_name, postgres_name};

/// Reads the tables and views of `schema` (PostgreSQL; `public` when
/// `None`) or of `main` (SQLite) from a DDL file.
pub fn read(path: &Path, dialect: Dialect, schema: Option<&str>) -> Result<Database, Error> {
    let text = std::fs::read_to_string(path).map_err(|source| Error::ReadDdl {
        path: path.to_owned(),
        source,
    })?;
    let dialect_name = match dialect {
        Dialect::Sqlite => "SQLite",
        Dialect::Postgres => "PostgreSQL",
        Dialect::Mysql => {
            return Err(Error::Usage(
                "`--from-sql` reads PostgreSQL and SQLite DDL; for MariaDB, run the DDL on a \
                 database and use `--database-url mysql://...`"
                    .to_owned(),
            ));
        }
    };
    let statements = match dialect {
        Dialect::Sqlite => Parser::parse_sql(&SQLiteDialect {}, &text),
        Dialect::Postgres | Dialect::Mysql => Parser::parse_sql(&PostgreSqlDialect {}, &text),
    }
    .map_err(|source| Error::ParseDdl {
        path: path.to_owned(),
        dialect: dialect_name,
        source,
    })?;
    let wanted = schema.unwrap_or(match dialect {
        Dialect::Sqlite | Dialect::Mysql => "main",
        Dialect::Postgres => "public",
    });
    let mut reader = Reader {
        dialect,
        wanted,
        tables: Vec::new(),
        domains: Vec::new(),
    };
    for statement in &statements {
        reader.statement(statement).map_err(|message| Error::Ddl {
            path: path.to_owned(),
            message,
        })?;
    }
    Ok(Database {
        tables: reader.tables,
        enums: Vec::new(),
    })
}

struct Reader<'a> {
    dialect: Dialect,
    wanted: &'a str,
    tables: Vec<Table>,
    /// PostgreSQL domains and their base types.
    domains: Vec<(String, DbType)>,
}

impl Reader<'_> {
    fn statement(&mut self, statement: &Statement) -> Result<(), String> {
        match statement {
            Statement::CreateTable(create) => self.create_table(create),
            Statement::CreateView(view) => self.create_view(view),
            Statement::AlterTable(alter) => {
                let Some(name) = self.local_name(&alter.name) else {
                    return Ok(());
                };
                for operation in &alter.operations {
                    self.alter_table(&name, operation)?;
                }
                Ok(())
            }
            Statement::CreateDomain(domain) if self.dialect == Dialect::Postgres => {
                if let Some(name) = self.local_name(&domain.name) {
                    let (ty, _) = self.db_type(&domain.data_type);
                    self.domains.push((name, ty));
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// The object's name when it lives in the schema being printed.
    fn local_name(&self, name: &ObjectName) -> Option<String> {
        let parts: Vec<String> = name
            .0
            .iter()
            .map(|part| match part {
                ObjectNamePart::Identifier(ident) => Some(self.ident(ident)),
                ObjectNamePart::Function(_) => None,
            })
            .collect::<Option<_>>()?;
        match parts.as_slice() {
            [name] => Some(name.clone()),
            [schema, name] if schema == self.wanted => Some(name.clone()),
            _ => None,
        }
    }

    /// The referenced table: its name when local, else qualified, so that it
    /// matches no printed table (as the live path does).
    fn target_name(&self, name: &ObjectName) -> String {
        self.local_name(name).unwrap_or_else(|| name.to_string())
    }

    /// An identifier as the database stores it: PostgreSQL folds unquoted
    /// names to lower case; SQLite keeps them as written.
    fn ident(&self, ident: &sqlparser::ast::Ident) -> String {
        match (self.dialect, ident.quote_style) {
            (Dialect::Postgres, None) => ident.value.to_lowercase(),
            _ => ident.value.clone(),
        }
    }

    /// The model's type and whether it is a PostgreSQL `serial`.
    fn db_type(&self, data_type: &DataType) -> (DbType, bool) {
        match self.dialect {
            Dialect::Sqlite | Dialect::Mysql => {
                let name = match data_type {
                    DataType::Unspecified => String::new(),
                    other => normalize_name(&other.to_string()),
                };
                if name.is_empty() {
                    (DbType::Untyped, false)
                } else {
                    (DbType::Named(name), false)
                }
            }
            Dialect::Postgres => {
                let mut spelled = match data_type {
                    DataType::Custom(name, _) => name
                        .0
                        .last()
                        .and_then(|part| part.as_ident())
                        .map_or_else(|| name.to_string(), |ident| self.ident(ident)),
                    other => other.to_string(),
                };
                let mut array = false;
                while let Some(stripped) = strip_array_suffix(&spelled) {
                    spelled = stripped;
                    array = true;
                }
                if let DataType::Array(element) = data_type {
                    array = true;
                    spelled = match element {
                        sqlparser::ast::ArrayElemTypeDef::SquareBracket(inner, _)
                        | sqlparser::ast::ArrayElemTypeDef::AngleBracket(inner)
                        | sqlparser::ast::ArrayElemTypeDef::Parenthesis(inner) => {
                            return match self.db_type(inner) {
                                (DbType::Named(name), _) => (DbType::Array(name), false),
                                other => other,
                            };
                        }
                        _ => spelled,
                    };
                }
                let (name, serial) = postgres_name(&spelled);
                let base = self
                    .domains
                    .iter()
                    .rev()
                    .find(|(domain, _)| *domain == name)
                    .map(|(_, base)| base.clone());
                let ty = match (base, array) {
                    (Some(DbType::Named(base)), true) => DbType::Array(base),
                    (Some(base), _) => base,
                    (None, true) => DbType::Array(name),
                    (None, false) => DbType::Named(name),
                };
                (ty, serial)
            }
        }
    }

    fn create_table(&mut self, create: &CreateTable) -> Result<(), String> {
        let Some(name) = self.local_name(&create.name) else {
            return Ok(());
        };
        if self.tables.iter().any(|t| t.name == name) {
            if create.if_not_exists {
                return Ok(());
            }
            return Err(format!("table `{name}` is created twice"));
        }
        if create.query.is_some() {
            return Err(format!(
                "`CREATE TABLE {name} AS SELECT` is not supported: declare its columns"
            ));
        }
        let mut table = Table {
            name,
            kind: Kind::Table,
            columns: Vec::new(),
            primary_key: Vec::new(),
            foreign_keys: Vec::new(),
        };
        let mut declared = Vec::new();
        for column in &create.columns {
            declared.push(column.data_type.to_string());
            self.add_column(&mut table, column);
        }
        for constraint in &create.constraints {
            self.constraint(&mut table, constraint);
        }
        let without_rowid = create
            .sqlite_table_options
            .options
            .contains(&SqliteTableOption::WithoutRowid);
        finish_keys(&mut table);
        if self.dialect == Dialect::Sqlite
            && !without_rowid
            && let [only] = table.primary_key.as_slice()
            && let Some(index) = table.columns.iter().position(|c| &c.name == only)
            && declared[index].trim().eq_ignore_ascii_case("integer")
            && table.columns[index].default.is_none()
        {
            table.columns[index].default = Some(Default::Rowid);
        }
        self.tables.push(table);
        Ok(())
    }

    fn add_column(&self, table: &mut Table, def: &ColumnDef) {
        let name = self.ident(&def.name);
        let (ty, serial) = self.db_type(&def.data_type);
        let numeric = match &ty {
            DbType::Named(n) => builtin(self.dialect, n).is_some_and(is_numeric),
            _ => false,
        };
        let mut column = Column {
            name: name.clone(),
            ty,
            not_null: serial,
            default: serial.then_some(Default::Sequence),
        };
        for option in &def.options {
            match &option.option {
                ColumnOption::NotNull => column.not_null = true,
                ColumnOption::Null => column.not_null = false,
                ColumnOption::Default(expr) => column.default = Some(default_of(expr, numeric)),
                ColumnOption::PrimaryKey(_) => table.primary_key = vec![name.clone()],
                ColumnOption::ForeignKey(fk) => table.foreign_keys.push(ForeignKey {
                    columns: vec![name.clone()],
                    target_table: self.target_name(&fk.foreign_table),
                    target_columns: fk.referred_columns.iter().map(|c| self.ident(c)).collect(),
                }),
                ColumnOption::Generated {
                    generated_as,
                    generation_expr,
                    ..
                } => {
                    column.default = Some(if generation_expr.is_some() {
                        Default::Generated
                    } else {
                        Default::Identity {
                            always: matches!(generated_as, GeneratedAs::Always),
                        }
                    });
                    if generation_expr.is_none() {
                        // An identity column is NOT NULL.
                        column.not_null = true;
                    }
                }
                _ => {}
            }
        }
        table.columns.push(column);
    }

    fn constraint(&self, table: &mut Table, constraint: &TableConstraint) {
        match constraint {
            TableConstraint::PrimaryKey(pk) => {
                table.primary_key = pk
                    .columns
                    .iter()
                    .filter_map(|c| match &c.column.expr {
                        Expr::Identifier(ident) => Some(self.ident(ident)),
                        _ => None,
                    })
                    .collect();
            }
            TableConstraint::ForeignKey(fk) => table.foreign_keys.push(ForeignKey {
                columns: fk.columns.iter().map(|c| self.ident(c)).collect(),
                target_table: self.target_name(&fk.foreign_table),
                target_columns: fk.referred_columns.iter().map(|c| self.ident(c)).collect(),
            }),
            _ => {}
        }
    }

    fn alter_table(&mut self, name: &str, operation: &AlterTableOperation) -> Result<(), String> {
        let Some(index) = self.tables.iter().position(|t| t.name == name) else {
            return Ok(());
        };
        let mut table = std::mem::replace(
            &mut self.tables[index],
            Table {
                name: String::new(),
                kind: Kind::Table,
                columns: Vec::new(),
                primary_key: Vec::new(),
                foreign_keys: Vec::new(),
            },
        );
        match operation {
            AlterTableOperation::AddConstraint { constraint, .. } => {
                self.constraint(&mut table, constraint);
                finish_keys(&mut table);
            }
            AlterTableOperation::AddColumn { column_def, .. } => {
                self.add_column(&mut table, column_def);
                finish_keys(&mut table);
            }
            AlterTableOperation::AlterColumn { column_name, op } => {
                let column_name = self.ident(column_name);
                if let Some(column) = table.columns.iter_mut().find(|c| c.name == column_name) {
                    let numeric = match &column.ty {
                        DbType::Named(n) => builtin(self.dialect, n).is_some_and(is_numeric),
                        _ => false,
                    };
                    match op {
                        AlterColumnOperation::SetNotNull => column.not_null = true,
                        AlterColumnOperation::DropNotNull => column.not_null = false,
                        AlterColumnOperation::SetDefault { value } => {
                            column.default = Some(default_of(value, numeric));
                        }
                        AlterColumnOperation::DropDefault => column.default = None,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
        self.tables[index] = table;
        Ok(())
    }

    fn create_view(&mut self, view: &CreateView) -> Result<(), String> {
        let Some(name) = self.local_name(&view.name) else {
            return Ok(());
        };
        if view.materialized {
            // Not in information_schema, so not printed from a live
            // database either.
            return Ok(());
        }
        if self.tables.iter().any(|t| t.name == name) {
            if view.if_not_exists || view.or_replace {
                self.tables.retain(|t| t.name != name);
            } else {
                return Err(format!("view `{name}` is created twice"));
            }
        }
        let mut columns = self.query_columns(&view.query)?;
        if !view.columns.is_empty() {
            if view.columns.len() != columns.len() {
                return Err(format!(
                    "view `{name}` names {} columns but selects {}",
                    view.columns.len(),
                    columns.len()
                ));
            }
            for (column, def) in columns.iter_mut().zip(&view.columns) {
                column.name = self.ident(&def.name);
            }
        }
        self.tables.push(Table {
            name,
            kind: Kind::View,
            columns,
            primary_key: Vec::new(),
            foreign_keys: Vec::new(),
        });
        Ok(())
    }

    /// A view's columns: each selected column keeps its table's type; a
    /// computed one is untyped (unless it is a `CAST`). All are nullable,
    /// as both databases report them.
    fn query_columns(&self, query: &Query) -> Result<Vec<Column>, String> {
        let mut body = query.body.as_ref();
        loop {
            match body {
                SetExpr::Query(inner) => body = inner.body.as_ref(),
                SetExpr::SetOperation { left, .. } => body = left.as_ref(),
                _ => break,
            }
        }
        let SetExpr::Select(select) = body else {
            return Err("a view's query must be a SELECT".to_owned());
        };
        // (name or alias, the table when it is one of ours)
        let mut sources: Vec<(String, Option<&Table>)> = Vec::new();
        for from in &select.from {
            let factors =
                std::iter::once(&from.relation).chain(from.joins.iter().map(|j| &j.relation));
            for factor in factors {
                if let TableFactor::Table { name, alias, .. } = factor {
                    let table = self.local_name(name).and_then(|n| self.find_table(&n));
                    let label = match alias {
                        Some(alias) => self.ident(&alias.name),
                        None => self.local_name(name).unwrap_or_else(|| name.to_string()),
                    };
                    sources.push((label, table));
                } else {
                    let label = match factor {
                        TableFactor::Derived {
                            alias: Some(alias), ..
                        } => self.ident(&alias.name),
                        _ => String::new(),
                    };
                    sources.push((label, None));
                }
            }
        }
        let untyped = |name: String| Column {
            name,
            ty: DbType::Untyped,
            not_null: false,
            default: None,
        };
        let copy = |column: &Column, name: Option<String>| Column {
            name: name.unwrap_or_else(|| column.name.clone()),
            ty: column.ty.clone(),
            not_null: false,
            default: None,
        };

        let mut columns = Vec::new();
        for item in &select.projection {
            match item {
                SelectItem::Wildcard(_) => {
                    for (label, table) in &sources {
                        let table = table.ok_or_else(|| {
                            format!("cannot tell the columns of `{label}` in a view's `*`")
                        })?;
                        columns.extend(table.columns.iter().map(|c| copy(c, None)));
                    }
                }
                SelectItem::QualifiedWildcard(
                    SelectItemQualifiedWildcardKind::ObjectName(q),
                    _,
                ) => {
                    let label = self.local_name(q).unwrap_or_else(|| q.to_string());
                    let table = sources
                        .iter()
                        .find(|(l, _)| *l == label)
                        .and_then(|(_, t)| *t)
                        .ok_or_else(|| {
                            format!("cannot tell the columns of `{label}.*` in a view")
                        })?;
                    columns.extend(table.columns.iter().map(|c| copy(c, None)));
                }
                SelectItem::QualifiedWildcard(..) => {
                    return Err("cannot tell the columns of an expression's `.*` in a view".into());
                }
                SelectItem::UnnamedExpr(expr) => {
                    columns.push(self.expr_column(expr, None, &sources, &copy, &untyped));
                }
                SelectItem::ExprWithAlias { expr, alias } => {
                    let alias = self.ident(alias);
                    columns.push(self.expr_column(expr, Some(alias), &sources, &copy, &untyped));
                }
                SelectItem::ExprWithAliases { expr, aliases } => {
                    let alias = aliases.first().map(|a| self.ident(a));
                    columns.push(self.expr_column(expr, alias, &sources, &copy, &untyped));
                }
            }
        }
        Ok(columns)
    }

    fn expr_column(
        &self,
        expr: &Expr,
        alias: Option<String>,
        sources: &[(String, Option<&Table>)],
        copy: &dyn Fn(&Column, Option<String>) -> Column,
        untyped: &dyn Fn(String) -> Column,
    ) -> Column {
        let found = match expr {
            Expr::Identifier(ident) => {
                let name = self.ident(ident);
                sources
                    .iter()
                    .filter_map(|(_, t)| *t)
                    .find_map(|t| self.find_column(t, &name))
            }
            Expr::CompoundIdentifier(parts) if parts.len() >= 2 => {
                let column = self.ident(&parts[parts.len() - 1]);
                let qualifier = self.ident(&parts[parts.len() - 2]);
                sources
                    .iter()
                    .filter(|(label, _)| self.same(label, &qualifier))
                    .filter_map(|(_, t)| *t)
                    .find_map(|t| self.find_column(t, &column))
            }
            _ => None,
        };
        if let Some(column) = found {
            return copy(column, alias);
        }
        let name = alias.unwrap_or_else(|| match expr {
            Expr::Identifier(ident) => self.ident(ident),
            Expr::CompoundIdentifier(parts) => {
                parts.last().map(|p| self.ident(p)).unwrap_or_default()
            }
            other => other.to_string(),
        });
        match expr {
            Expr::Cast { data_type, .. } => Column {
                name,
                ty: self.db_type(data_type).0,
                not_null: false,
                default: None,
            },
            _ => untyped(name),
        }
    }

    fn find_table(&self, name: &str) -> Option<&Table> {
        self.tables
            .iter()
            .find(|t| t.name == name)
            .or_else(|| self.tables.iter().find(|t| self.same(&t.name, name)))
    }

    fn find_column<'t>(&self, table: &'t Table, name: &str) -> Option<&'t Column> {
        table
            .columns
            .iter()
            .find(|c| c.name == name)
            .or_else(|| table.columns.iter().find(|c| self.same(&c.name, name)))
    }

    /// SQLite compares names without regard to ASCII case.
    fn same(&self, a: &str, b: &str) -> bool {
        match self.dialect {
            Dialect::Sqlite | Dialect::Mysql => a.eq_ignore_ascii_case(b),
            Dialect::Postgres => a == b,
        }
    }
}

/// PostgreSQL's `[]` suffixes: `integer[]`, `text[3]`.
fn strip_array_suffix(spelled: &str) -> Option<String> {
    let trimmed = spelled.trim_end();
    let without = trimmed.strip_suffix(']')?;
    let open = without.rfind('[')?;
    Some(without[..open].trim_end().to_owned())
}

fn default_of(expr: &Expr, numeric: bool) -> Default {
    let text = expr.to_string();
    if text.to_ascii_lowercase().starts_with("nextval(") {
        Default::Sequence
    } else {
        Default::Expr(defaults::normalize(&text, numeric))
    }
}

/// A primary key's columns are NOT NULL, in both databases' eyes.
fn finish_keys(table: &mut Table) {
    for column in &mut table.columns {
        if table.primary_key.contains(&column.name) {
            column.not_null = true;
        }
    }
}
