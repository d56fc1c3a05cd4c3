//! `into_boxed()`: a SELECT whose clauses are added at run time, still
//! checked against its FROM clause and still typed by its rows.

use core::marker::PhantomData;
use std::borrow::Cow;

use crate::backend::{Backend, Pg, Sqlite};
use crate::deserialize::{FromRow, RowReader};
use crate::expression::grouping::{Group, Grouping, NoGroup};
use crate::expression::{Expression, OrderSql, OrderTerm, Ordered, ValidIn};
use smallvec::SmallVec;

use crate::query::boxed::boxed_bool::{Cond, IntoCondition};
use crate::query::boxed::dyn_part::Term;
use crate::query::boxed::shape::{self, Found, Shape};
use crate::query::group_by_clause::{GroupBy, GroupClause, Having, NoGroupBy, NoHaving};
use crate::query::limit_clause::count_value;
use crate::query::select_statement::SelectList;
use crate::query::{Limit, NoLimit, NoOffset, NoOrder, NoWhere, Offset, OrderBy, Where};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::query_source::SourceSql;
use crate::sql_text::Part;
use crate::sql_types::BoolLike;
use quarry_runtime::{Error, ParamType, Value};

/// A SELECT statement boxed for backend `DB`: FROM clause `F`, rows of SQL
/// type `Row`, grouping context `G`. Its type stays the same as `filter`,
/// `or_filter`, `order`, `then_order_by`, `limit`, `offset` and `having`
/// add clauses, so it can be reassigned in a loop; each addition is checked
/// like on a static query.
///
/// The clauses live in one allocation, small nodes stored inline in it, so
/// a query of a few conditions and order terms allocates once, and moving
/// it as clauses are added moves a pointer.
pub struct BoxedSelect<'a, DB: Backend, F, Row, G = NoGroup> {
    clauses: Box<Clauses<'a, DB>>,
    types: PhantomData<(F, Row, G)>,
}

/// The clauses of a boxed query.
struct Clauses<'a, DB: Backend> {
    head: Term<'a, DB>,
    /// The WHERE condition; `TRUE` when there is none.
    filter: Cond<'a, DB>,
    group: BoxedGroupParts<'a, DB>,
    order: BoxedOrderParts<'a, DB>,
    limit: Option<i64>,
    offset: Option<i64>,
}

/// What a boxed query keeps of a GROUP BY clause: the grouped expressions
/// and the HAVING condition.
#[doc(hidden)]
pub struct GroupParts<'a, DB: Backend> {
    by: Option<Term<'a, DB>>,
    /// `TRUE` when there is no HAVING.
    having: Cond<'a, DB>,
}

/// What a boxed query keeps of a GROUP BY clause, if there is one.
pub type BoxedGroupParts<'a, DB> = Option<Box<GroupParts<'a, DB>>>;

/// What a boxed query keeps of an ORDER BY clause: its terms.
pub type BoxedOrderParts<'a, DB> = SmallVec<[Term<'a, DB>; 1]>;

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
    fn collect_binds<'a>(&'a self, out: &mut Binds<'a>) {
        self.distinct.collect_binds(out);
        self.select.collect_select_binds(out);
        self.from.collect_source_binds(out);
    }
}

static WHERE: Part = Part::Str(" WHERE ");
static GROUP_BY: Part = Part::Str(" GROUP BY ");
static HAVING: Part = Part::Str(" HAVING ");
static ORDER_BY: Part = Part::Str(" ORDER BY ");
static COMMA: Part = Part::Str(", ");
static LIMIT: Part = Part::Seq(&[Part::Str(" LIMIT "), Part::Param(ParamType::BigInt)]);
static OFFSET: Part = Part::Seq(&[Part::Str(" OFFSET "), Part::Param(ParamType::BigInt)]);
/// OFFSET with no LIMIT: SQLite's grammar needs a LIMIT first.
static ONLY_OFFSET: Part = Part::Seq(&[
    Part::ByDialect(&[
        Part::Str(" LIMIT -1 OFFSET "),
        Part::Str(" OFFSET "),
        Part::Str(" LIMIT 18446744073709551615 OFFSET "),
    ]),
    Part::Param(ParamType::BigInt),
]);

/// Clauses of a static statement that move into a boxed one.
#[diagnostic::on_unimplemented(message = "`{Self}` cannot be moved into a boxed query for {DB}")]
pub trait IntoBoxedParts<'a, DB: Backend> {
    /// Where the boxed query keeps it.
    type Boxed;
    /// Moves it.
    fn into_boxed_parts(self) -> Self::Boxed;
}

impl<'a, DB: Backend> IntoBoxedParts<'a, DB> for NoWhere {
    type Boxed = Cond<'a, DB>;
    fn into_boxed_parts(self) -> Self::Boxed {
        Cond::constant(true)
    }
}
impl<'a, DB: Backend, P: QueryFragment<DB> + Send + Sync + 'a> IntoBoxedParts<'a, DB> for Where<P> {
    type Boxed = Cond<'a, DB>;
    fn into_boxed_parts(self) -> Self::Boxed {
        Cond::leaf(self.0)
    }
}
impl<'a, DB: Backend> IntoBoxedParts<'a, DB> for NoOrder {
    type Boxed = BoxedOrderParts<'a, DB>;
    fn into_boxed_parts(self) -> Self::Boxed {
        SmallVec::new()
    }
}
impl<'a, DB: Backend, O: OrderSql<DB> + Send + Sync + 'a> IntoBoxedParts<'a, DB> for OrderBy<O> {
    type Boxed = BoxedOrderParts<'a, DB>;
    fn into_boxed_parts(self) -> Self::Boxed {
        let mut terms = SmallVec::new();
        terms.push(Term::new(Ordered(self.0)));
        terms
    }
}
impl<'a, DB: Backend> IntoBoxedParts<'a, DB> for NoGroupBy {
    type Boxed = BoxedGroupParts<'a, DB>;
    fn into_boxed_parts(self) -> Self::Boxed {
        None
    }
}
impl<'a, DB: Backend, E: QueryFragment<DB> + Send + Sync + 'a> IntoBoxedParts<'a, DB>
    for GroupBy<E, NoHaving>
{
    type Boxed = BoxedGroupParts<'a, DB>;
    fn into_boxed_parts(self) -> Self::Boxed {
        Some(Box::new(GroupParts {
            by: Some(Term::new(self.exprs)),
            having: Cond::constant(true),
        }))
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
        Some(Box::new(GroupParts {
            by: Some(Term::new(self.exprs)),
            having: Cond::leaf(self.having.0),
        }))
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
        W: IntoBoxedParts<'a, DB, Boxed = Cond<'a, DB>>,
        O: IntoBoxedParts<'a, DB, Boxed = BoxedOrderParts<'a, DB>>,
        GB: IntoBoxedParts<'a, DB, Boxed = BoxedGroupParts<'a, DB>>,
        L: Count,
        Off: Count,
    {
        // Allocated first and written in place: the clauses are a few
        // hundred bytes, and building them on the stack costs a copy.
        let clauses = Box::new_uninit();
        BoxedSelect {
            clauses: Box::write(
                clauses,
                Clauses {
                    head: Term::new(Head {
                        distinct,
                        select,
                        from,
                    }),
                    filter: where_clause.into_boxed_parts(),
                    group: group.into_boxed_parts(),
                    order: order.into_boxed_parts(),
                    limit: limit.count(),
                    offset: offset.count(),
                },
            ),
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
        condition.and_into(&mut self.clauses.filter);
        self
    }

    /// Keeps the rows for which `condition` or the earlier filters are true.
    pub fn or_filter<P, I>(mut self, condition: P) -> Self
    where
        P: IntoCondition<'a, F, DB, I>,
    {
        let filter = &mut self.clauses.filter;
        if filter.is_true() {
            // No filter yet: nothing is kept but what `condition` keeps.
            *filter = Cond::constant(false);
        }
        condition.or_into(filter);
        self
    }

    /// Sorts by `term`, replacing any earlier order.
    // The term's bound in the generics, as in `QueryDsl::order`.
    #[allow(clippy::multiple_bound_locations)]
    pub fn order<O: OrderTerm<F, I, Keyed = OK>, I, OK, GI, K>(mut self, term: O) -> Self
    where
        O: Grouping<G, GI> + crate::query::OrderFits<Row, K>,
        OK: OrderSql<DB> + Send + Sync + 'a,
    {
        self.clauses.order.clear();
        self.clauses.order.push(Term::new(Ordered(term.keyed())));
        self
    }

    /// Adds a sort key after the current ones.
    // The term's bound in the generics, as in `QueryDsl::order`.
    #[allow(clippy::multiple_bound_locations)]
    pub fn then_order_by<O: OrderTerm<F, I, Keyed = OK>, I, OK, GI, K>(mut self, term: O) -> Self
    where
        O: Grouping<G, GI> + crate::query::OrderFits<Row, K>,
        OK: OrderSql<DB> + Send + Sync + 'a,
    {
        self.clauses.order.push(Term::new(Ordered(term.keyed())));
        self
    }

    /// Sorts by a term chosen at run time: anything that turns into a
    /// boxed order term of this query, such as a user enum mapped to typed
    /// columns with [`BoxedOrder::new`].
    pub fn order_by_boxed(mut self, term: BoxedOrder<'a, F, DB, G>) -> Self {
        self.clauses.order.clear();
        self.clauses.order.push(term.0);
        self
    }

    /// Returns at most `count` rows. A negative count is an
    /// [`Error::Bind`] naming LIMIT when the query runs.
    pub fn limit(mut self, count: i64) -> Self {
        self.clauses.limit = Some(count);
        self
    }

    /// Skips the first `count` rows. A negative count is an
    /// [`Error::Bind`] naming OFFSET when the query runs.
    pub fn offset(mut self, count: i64) -> Self {
        self.clauses.offset = Some(count);
        self
    }

    /// The binds, in the order of the statement's parts.
    fn binds(&self, params: usize) -> Binds<'_> {
        self.clauses.binds(params)
    }

    /// The statement's text and number of placeholders.
    fn text(&self) -> Result<Found, Error> {
        shape::text_for(&*self.clauses, DB::DIALECT)
    }

    /// The statement's SQL text: rendered from its parts the first time
    /// this shape is seen, then looked up by the parts' identities. It is
    /// borrowed for the life of the process, or owned once the texts kept
    /// reach [`set_dynamic_sql_budget`](crate::query::set_dynamic_sql_budget).
    pub fn sql(&self) -> Result<Cow<'static, str>, Error> {
        Ok(self.text()?.into_sql())
    }

    /// The SQL text and binds, for reading.
    pub fn debug(&self) -> Result<(Cow<'static, str>, Vec<Value<'_>>), Error> {
        let text = self.text()?;
        let binds = self.binds(text.params());
        Ok((text.into_sql(), binds.into_vec()))
    }
}

impl<DB: Backend> Clauses<'_, DB> {
    /// The binds, in the order of the statement's parts.
    fn binds(&self, params: usize) -> Binds<'_> {
        let mut out = Binds::with_capacity(params);
        self.head.collect_binds(&mut out);
        self.filter.collect_binds(&mut out);
        if let Some(group) = &self.group {
            if let Some(by) = &group.by {
                by.collect_binds(&mut out);
            }
            group.having.collect_binds(&mut out);
        }
        for term in &self.order {
            term.collect_binds(&mut out);
        }
        out.extend(self.limit.map(|n| count_value("LIMIT", n)));
        out.extend(self.offset.map(|n| count_value("OFFSET", n)));
        out
    }
}

impl<DB: Backend> Shape for Clauses<'_, DB> {
    // Inlined, so that a hash of the parts is kept in a register.
    #[inline(always)]
    fn visit(&self, f: &mut impl FnMut(&'static Part)) {
        f(self.head.part());
        if !self.filter.is_true() {
            f(&WHERE);
            self.filter.parts().iter().for_each(|part| f(part));
        }
        if let Some(group) = &self.group {
            if let Some(by) = &group.by {
                f(&GROUP_BY);
                f(by.part());
            }
            if !group.having.is_true() {
                f(&HAVING);
                group.having.parts().iter().for_each(|part| f(part));
            }
        }
        for (i, term) in self.order.iter().enumerate() {
            f(if i == 0 { &ORDER_BY } else { &COMMA });
            f(term.part());
        }
        match (self.limit, self.offset) {
            (Some(_), Some(_)) => {
                f(&LIMIT);
                f(&OFFSET);
            }
            (Some(_), None) => f(&LIMIT),
            (None, Some(_)) => f(&ONLY_OFFSET),
            (None, None) => {}
        }
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
        // A grouped query always has its GROUP BY list; were it missing,
        // HAVING alone filters the one group of all rows.
        let group = self.clauses.group.get_or_insert_with(|| {
            Box::new(GroupParts {
                by: None,
                having: Cond::constant(true),
            })
        });
        group.having.and_leaf(condition);
        self
    }
}

/// An order term chosen at run time, for queries with FROM clause `F`:
/// build one per variant of a user enum from typed columns, with no column
/// names as strings.
pub struct BoxedOrder<'a, F, DB: Backend, G = NoGroup>(Term<'a, DB>, PhantomData<(F, G)>);

impl<'a, F, DB: Backend, G> BoxedOrder<'a, F, DB, G> {
    /// Boxes `term`, checked against the FROM clause `F`.
    // The term's bound in the generics, as in `QueryDsl::order`.
    #[allow(clippy::multiple_bound_locations)]
    pub fn new<O: OrderTerm<F, I, Keyed = OK>, I, OK, GI, K>(term: O) -> Self
    where
        // The rows are not known here, so no selected position is.
        O: Grouping<G, GI> + crate::query::OrderFits<crate::query::NoPositions, K>,
        OK: OrderSql<DB> + Send + Sync + 'a,
    {
        BoxedOrder(Term::new(Ordered(term.keyed())), PhantomData)
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
    #[cfg(feature = "sqlite")]
    fn sqlite_row<'r, 's>(row: &'r quarry_runtime::sqlite::Row<'s>) -> &'r Self::Row<'s>;
}
impl BoxedForSqlite for Sqlite {
    #[cfg(feature = "sqlite")]
    fn sqlite_row<'r, 's>(row: &'r quarry_runtime::sqlite::Row<'s>) -> &'r Self::Row<'s> {
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
    #[cfg(feature = "postgres")]
    fn pg_row(row: &quarry_runtime::postgres::Row) -> &Self::Row<'_>;
}
impl BoxedForPg for Pg {
    #[cfg(feature = "postgres")]
    fn pg_row(row: &quarry_runtime::postgres::Row) -> &Self::Row<'_> {
        row
    }
}

impl<'a, DB: Backend, F, Row: 'a, G> BoxedSelect<'a, DB, F, Row, G> {
    /// Every row, as `U`, from SQLite.
    #[cfg(feature = "sqlite")]
    pub fn load<U>(&self, conn: &mut quarry_runtime::sqlite::Connection) -> Result<Vec<U>, Error>
    where
        DB: BoxedForSqlite,
        U: FromRow<Row, DB>,
    {
        let mut rows = Vec::new();
        self.for_each_sqlite_row(conn, |row| {
            rows.push(U::from_row(&mut RowReader::new(DB::sqlite_row(row)))?);
            Ok(())
        })?;
        Ok(rows)
    }

    /// The first row, or [`Error::NotFound`], from SQLite.
    #[cfg(feature = "sqlite")]
    pub fn get_result<U>(&self, conn: &mut quarry_runtime::sqlite::Connection) -> Result<U, Error>
    where
        DB: BoxedForSqlite,
        U: FromRow<Row, DB>,
    {
        let mut first = None;
        self.for_each_sqlite_row(conn, |row| {
            if first.is_none() {
                first = Some(U::from_row(&mut RowReader::new(DB::sqlite_row(row)))?);
            }
            Ok(())
        })?;
        first.ok_or(Error::NotFound)
    }

    /// Runs the statement on SQLite and calls `each` with every row: a
    /// kept text through the statement cache, one past the budget prepared
    /// for this run.
    #[cfg(feature = "sqlite")]
    fn for_each_sqlite_row(
        &self,
        conn: &mut quarry_runtime::sqlite::Connection,
        each: impl FnMut(&quarry_runtime::sqlite::Row<'_>) -> Result<(), Error>,
    ) -> Result<u64, Error> {
        let text = self.text()?;
        let binds = self.binds(text.params());
        match text {
            Found::Kept(text) => conn.query_static(text.sql, &binds, each),
            Found::Once(sql, _) => conn.query_raw(&sql, &binds, each),
        }
    }

    /// Every row, as `U`, from PostgreSQL.
    #[cfg(feature = "postgres")]
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
            let text = self.text()?;
            let rows = {
                let binds = self.binds(text.params());
                match text {
                    Found::Kept(text) => conn.query_static(text.typed(), &binds).await?,
                    Found::Once(sql, types) => conn.query_raw_typed(&sql, &types, &binds).await?,
                }
            };
            rows.iter()
                .map(|row| U::from_row(&mut RowReader::new(DB::pg_row(row))))
                .collect()
        })
    }

    /// The first row, or [`Error::NotFound`], from PostgreSQL.
    #[cfg(feature = "postgres")]
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

/// The backend a boxed query was built for, for MariaDB/MySQL's
/// [`BoxedMysql`] runners.
#[cfg(feature = "mysql")]
#[diagnostic::on_unimplemented(
    message = "this boxed query was built for {Self}, and `BoxedMysql` runs on MariaDB/MySQL",
    label = "boxed for {Self}",
    note = "box it for the connection's backend: `into_boxed::<Mysql>()`"
)]
pub trait BoxedForMysql: Backend {
    /// The row as this backend reads it.
    #[doc(hidden)]
    fn mysql_row(row: &quarry_runtime::mysql::Row) -> &Self::Row<'_>;
}
#[cfg(feature = "mysql")]
impl BoxedForMysql for crate::Mysql {
    fn mysql_row(row: &quarry_runtime::mysql::Row) -> &Self::Row<'_> {
        row
    }
}

/// Running a boxed query on MariaDB/MySQL. The methods have the names of
/// the inherent PostgreSQL ones, so call them through the trait:
/// `BoxedMysql::load_async(&query, &conn)`.
///
/// ```no_run
/// # quarry::__doc_setup!();
/// # fn main() {}
/// # async fn demo(conn: &quarry::mysql::Connection) -> Result<(), quarry::Error> {
/// use quarry::mysql::BoxedMysql;
/// use quarry::query::QueryDsl;
/// use quarry::expression::ExpressionMethods;
/// let q = users::table.select(users::id).into_boxed::<quarry::Mysql>().filter(users::id.gt(1));
/// let ids: Vec<i32> = BoxedMysql::load_async(&q, conn).await?;
/// # Ok(()) }
/// ```
#[cfg(feature = "mysql")]
pub trait BoxedMysql<Row> {
    /// Every row, as `U`, on a connection or on `&Pool` (which checks a
    /// connection out for the statement).
    fn load_async<'c, U>(
        &'c self,
        conn: &'c (impl crate::mysql::Executor + ?Sized),
    ) -> crate::mysql::QueryFuture<'c, Vec<U>>
    where
        U: FromRow<Row, crate::Mysql> + Send + 'c;

    /// The first row, or [`Error::NotFound`].
    fn get_result_async<'c, U>(
        &'c self,
        conn: &'c (impl crate::mysql::Executor + ?Sized),
    ) -> crate::mysql::QueryFuture<'c, U>
    where
        U: FromRow<Row, crate::Mysql> + Send + 'c;
}

#[cfg(feature = "mysql")]
impl<'a, F, Row: 'a, G> BoxedMysql<Row> for BoxedSelect<'a, crate::Mysql, F, Row, G>
where
    Self: Sync,
{
    fn load_async<'c, U>(
        &'c self,
        conn: &'c (impl crate::mysql::Executor + ?Sized),
    ) -> crate::mysql::QueryFuture<'c, Vec<U>>
    where
        U: FromRow<Row, crate::Mysql> + Send + 'c,
    {
        Box::pin(async move {
            let text = self.text()?;
            let conn = conn.connection().await?;
            let binds = self.binds(text.params());
            let mut out = Vec::new();
            let each = |row: &quarry_runtime::mysql::Row| {
                out.push(U::from_row(&mut RowReader::new(row))?);
                Ok(())
            };
            match text {
                Found::Kept(text) => conn.query_static_each(text.sql, &binds, each).await?,
                Found::Once(sql, _) => conn.query_each(&sql, &binds, each).await?,
            };
            Ok(out)
        })
    }

    fn get_result_async<'c, U>(
        &'c self,
        conn: &'c (impl crate::mysql::Executor + ?Sized),
    ) -> crate::mysql::QueryFuture<'c, U>
    where
        U: FromRow<Row, crate::Mysql> + Send + 'c,
    {
        Box::pin(async move {
            let rows: Vec<U> = BoxedMysql::load_async(self, conn).await?;
            rows.into_iter().next().ok_or(Error::NotFound)
        })
    }
}

/// The grouping context a boxed query keeps from its static statement.
pub type BoxedGroup<G> = <G as GroupClause>::Context;
