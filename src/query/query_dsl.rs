//! The query-building methods: `select`, `filter`, `order`, `limit`, ...

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::expression::grouping::{Filterable, Group, Grouping, SelectableIn};
use crate::expression::{And, AsExpression, Compare, Expression, OrderTerm, ValidIn, op};
use crate::query::Query;
use crate::query::boxed::{
    BoxedGroupParts, BoxedOrderParts, BoxedSelect, Cond, Count, Head, IntoBoxedParts,
};
use crate::query::correlated::Correlated;
use crate::query::count_rows::CountRows;
use crate::query::derived::Derived;
use crate::query::group_by_clause::{
    AddHaving, GroupBy, GroupClause, NoGroupBy, NoHaving, NotGrouped,
};
use crate::query::join::{
    Cross, Crossed, FullOuter, Inner, Join, JoinTarget, LeftOuter, Reselect, RightOuter,
    Unconditional,
};
use crate::query::joined_once::JoinsNew;
use crate::query::order_position::{OrderClauseFits, OrderFits, OrderedAgainst};
use crate::query::select_clause::{Selection, SelectionRow};
use crate::query::select_statement::{DefaultSelect, Picked, Selected};
use crate::query::where_clause::{AndWhere, Condition, NoWhere, Where};
use crate::query::{
    Distinct, Limit, NoDistinct, NoLimit, NoOffset, NoOrder, Offset, OrderBy, SelectStatement,
};
use crate::query_fragment::QueryFragment;
use crate::query_source::{Column, HasPrimaryKey, QuerySource, Table};
use crate::sql_types::BoolLike;

/// The statement a [`QueryDsl`] value builds.
pub type Statement<Q> = SelectStatement<
    <Q as QueryDsl>::From,
    <Q as QueryDsl>::Select,
    <Q as QueryDsl>::SelectIdx,
    <Q as QueryDsl>::Where,
    <Q as QueryDsl>::Order,
    <Q as QueryDsl>::Limit,
    <Q as QueryDsl>::Offset,
    <Q as QueryDsl>::Distinct,
    <Q as QueryDsl>::Group,
>;

/// The statement `Q` becomes with a LIMIT: what `first` runs.
pub type Limited<Q> = SelectStatement<
    <Q as QueryDsl>::From,
    <Q as QueryDsl>::Select,
    <Q as QueryDsl>::SelectIdx,
    <Q as QueryDsl>::Where,
    <Q as QueryDsl>::Order,
    Limit,
    <Q as QueryDsl>::Offset,
    <Q as QueryDsl>::Distinct,
    <Q as QueryDsl>::Group,
>;

/// The statement `Q` becomes when `J` is joined to it with kind `K`, along `V`.
pub type Joined<Q, J, K, V> = SelectStatement<
    Join<<Q as QueryDsl>::From, J, K, V>,
    <Q as QueryDsl>::Select,
    <<Q as QueryDsl>::SelectIdx as Reselect<
        <Q as QueryDsl>::Select,
        Join<<Q as QueryDsl>::From, J, K, V>,
    >>::Out,
    <Q as QueryDsl>::Where,
    <Q as QueryDsl>::Order,
    <Q as QueryDsl>::Limit,
    <Q as QueryDsl>::Offset,
    <Q as QueryDsl>::Distinct,
    <Q as QueryDsl>::Group,
>;

/// Methods that build a SELECT statement, on tables and on statements.
///
/// Every method checks its argument against the query's FROM clause: a
/// column of a table that is not in the query does not compile.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a table or a SELECT statement",
    label = "query methods need a table or a query"
)]
pub trait QueryDsl: Sized {
    /// The FROM clause.
    type From;
    /// The SELECT list.
    type Select;
    /// Where the selection's columns sit in the FROM clause (inferred).
    type SelectIdx;
    /// The WHERE clause.
    type Where;
    /// The ORDER BY clause.
    type Order;
    /// The LIMIT clause.
    type Limit;
    /// The OFFSET clause.
    type Offset;
    /// DISTINCT or not.
    type Distinct;
    /// The GROUP BY clause.
    type Group;

    /// The statement itself.
    fn into_statement(self) -> Statement<Self>;

    /// Chooses what each row holds: an expression, or a tuple of them.
    ///
    /// ```
    /// # quarry::__doc_setup!();
    /// # fn main() -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// # let mut db = db();
    /// let rows: Vec<(String, Option<String>)> = users::table
    ///     .select((users::name, users::email))
    ///     .order(users::id)
    ///     .load(&mut db)?;
    /// assert_eq!(rows[1], ("Brian".to_owned(), None));
    /// # Ok(()) }
    /// ```
    // The selection's bounds in the generics rather than the `where`
    // clause: rustc then quotes them on the line that names `select`, one
    // line shorter in every error about a selection, and on one line, which
    // rustfmt would break.
    #[rustfmt::skip]
    fn select<S: SelectionRow<Self::From, I, ST> + SelectableIn<GroupContext<Self>, GI>, I, ST, GI, K>(
        self,
        selection: S,
    ) -> SelectStatement<
        Self::From,
        Selected<S>,
        Picked<I, ST>,
        Self::Where,
        Self::Order,
        Self::Limit,
        Self::Offset,
        Self::Distinct,
        Self::Group,
    >
    where
        Self::Group: GroupClause,
        Self::Order: OrderClauseFits<Selected<S>, K>,
    {
        let q = self.into_statement();
        SelectStatement {
            from: q.from,
            select: Selected(selection),
            where_clause: q.where_clause,
            order: q.order,
            limit: q.limit,
            offset: q.offset,
            distinct: q.distinct,
            group: q.group,
            row: PhantomData,
        }
    }

    /// Keeps the rows for which `predicate` is true. Several calls are
    /// joined with `AND`.
    ///
    /// ```
    /// # quarry::__doc_setup!();
    /// # fn main() -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// # let mut db = db();
    /// let titles: Vec<String> = posts::table
    ///     .filter(posts::published.eq(true))
    ///     .filter(posts::views.gt(100)) // AND
    ///     .select(posts::title)
    ///     .load(&mut db)?;
    /// assert_eq!(titles, ["Engines"]);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "where")]
    // The condition's bounds in the generics, as in `select`.
    fn filter<P: Expression + Condition<Self::From, I> + Filterable<GI>, I, GI>(
        self,
        predicate: P,
    ) -> SelectStatement<
        Self::From,
        Self::Select,
        Self::SelectIdx,
        <Self::Where as AndWhere<P>>::Output,
        Self::Order,
        Self::Limit,
        Self::Offset,
        Self::Distinct,
        Self::Group,
    >
    where
        P::SqlType: BoolLike,
        Self::Where: AndWhere<P>,
    {
        let q = self.into_statement();
        SelectStatement {
            from: q.from,
            select: q.select,
            where_clause: q.where_clause.and_where(predicate),
            order: q.order,
            limit: q.limit,
            offset: q.offset,
            distinct: q.distinct,
            group: q.group,
            row: PhantomData,
        }
    }

    /// Sorts the rows: `order(posts::id.desc())`, or a tuple of terms.
    /// Replaces any earlier order. A term may also be a selected column's
    /// position, [`selected::<N>()`](crate::query::selected).
    ///
    /// ```
    /// # quarry::__doc_setup!();
    /// # fn main() -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// # let mut db = db();
    /// let titles: Vec<String> = posts::table.select(posts::title).order(posts::views.desc()).load(&mut db)?;
    /// assert_eq!(titles, ["Engines", "Lambda", "Numbers"]);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "order by")]
    // The term's bound in the generics, as in `select`: its keyed form is
    // then one obligation with it, not a second error at the method.
    #[allow(clippy::multiple_bound_locations)]
    fn order<O: OrderTerm<Self::From, I, Keyed = OK>, I, OK, GI, K>(
        self,
        order: O,
    ) -> SelectStatement<
        Self::From,
        Self::Select,
        Self::SelectIdx,
        Self::Where,
        OrderBy<OK>,
        Self::Limit,
        Self::Offset,
        Self::Distinct,
        Self::Group,
    >
    where
        O: Grouping<GroupContext<Self>, GI>,
        O: OrderFits<OrderRows<Self>, K>,
        Self::Group: GroupClause,
        Self::Select: Selection<Self::From, Self::SelectIdx> + OrderedAgainst<RowOf<Self>>,
    {
        let q = self.into_statement();
        SelectStatement {
            from: q.from,
            select: q.select,
            where_clause: q.where_clause,
            order: OrderBy(order.keyed()),
            limit: q.limit,
            offset: q.offset,
            distinct: q.distinct,
            group: q.group,
            row: PhantomData,
        }
    }

    /// [`order`](Self::order) under Diesel's name.
    ///
    /// ```
    /// # quarry::__doc_setup!();
    /// # fn main() -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// # let mut db = db();
    /// let names: Vec<String> = users::table.select(users::name).order_by(users::name.desc()).load(&mut db)?;
    /// assert_eq!(names, ["Cleo", "Brian", "Ada"]);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "order by")]
    // The term's bound in the generics, as in `select`: its keyed form is
    // then one obligation with it, not a second error at the method.
    #[allow(clippy::multiple_bound_locations)]
    fn order_by<O: OrderTerm<Self::From, I, Keyed = OK>, I, OK, GI, K>(
        self,
        order: O,
    ) -> SelectStatement<
        Self::From,
        Self::Select,
        Self::SelectIdx,
        Self::Where,
        OrderBy<OK>,
        Self::Limit,
        Self::Offset,
        Self::Distinct,
        Self::Group,
    >
    where
        O: Grouping<GroupContext<Self>, GI>,
        O: OrderFits<OrderRows<Self>, K>,
        Self::Group: GroupClause,
        Self::Select: Selection<Self::From, Self::SelectIdx> + OrderedAgainst<RowOf<Self>>,
    {
        self.order(order)
    }

    /// Adds a sort key after the current ones.
    ///
    /// ```
    /// # quarry::__doc_setup!();
    /// # fn main() -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// # let mut db = db();
    /// let ids: Vec<i32> = posts::table
    ///     .select(posts::id)
    ///     .order(posts::author_id.desc())
    ///     .then_order_by(posts::views)
    ///     .load(&mut db)?;
    /// assert_eq!(ids, [12, 11, 10]);
    /// # Ok(()) }
    /// ```
    // The term's bound in the generics, as in `select`: its keyed form is
    // then one obligation with it, not a second error at the method.
    #[allow(clippy::multiple_bound_locations)]
    fn then_order_by<O: OrderTerm<Self::From, I, Keyed = OK>, I, OK, GI, K>(
        self,
        order: O,
    ) -> SelectStatement<
        Self::From,
        Self::Select,
        Self::SelectIdx,
        Self::Where,
        <Self::Order as ThenOrder<OK>>::Output,
        Self::Limit,
        Self::Offset,
        Self::Distinct,
        Self::Group,
    >
    where
        O: Grouping<GroupContext<Self>, GI>,
        O: OrderFits<OrderRows<Self>, K>,
        Self::Group: GroupClause,
        Self::Select: Selection<Self::From, Self::SelectIdx> + OrderedAgainst<RowOf<Self>>,
        Self::Order: ThenOrder<OK>,
    {
        let q = self.into_statement();
        SelectStatement {
            from: q.from,
            select: q.select,
            where_clause: q.where_clause,
            order: q.order.then(order.keyed()),
            limit: q.limit,
            offset: q.offset,
            distinct: q.distinct,
            group: q.group,
            row: PhantomData,
        }
    }

    /// Returns at most `count` rows. The count is a bind value.
    ///
    /// ```
    /// # quarry::__doc_setup!();
    /// # fn main() -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// # let mut db = db();
    /// let first_two: Vec<i32> = users::table.select(users::id).order(users::id).limit(2).load(&mut db)?;
    /// assert_eq!(first_two, [1, 2]);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "top")]
    fn limit(
        self,
        count: i64,
    ) -> SelectStatement<
        Self::From,
        Self::Select,
        Self::SelectIdx,
        Self::Where,
        Self::Order,
        Limit,
        Self::Offset,
        Self::Distinct,
        Self::Group,
    > {
        let q = self.into_statement();
        SelectStatement {
            from: q.from,
            select: q.select,
            where_clause: q.where_clause,
            order: q.order,
            limit: Limit(count),
            offset: q.offset,
            distinct: q.distinct,
            group: q.group,
            row: PhantomData,
        }
    }

    /// Skips the first `count` rows. The count is a bind value.
    ///
    /// ```
    /// # quarry::__doc_setup!();
    /// # fn main() -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// # let mut db = db();
    /// let page_two: Vec<i32> = users::table.select(users::id).order(users::id).limit(2).offset(2).load(&mut db)?;
    /// assert_eq!(page_two, [3]);
    /// # Ok(()) }
    /// ```
    fn offset(
        self,
        count: i64,
    ) -> SelectStatement<
        Self::From,
        Self::Select,
        Self::SelectIdx,
        Self::Where,
        Self::Order,
        Self::Limit,
        Offset,
        Self::Distinct,
        Self::Group,
    > {
        let q = self.into_statement();
        SelectStatement {
            from: q.from,
            select: q.select,
            where_clause: q.where_clause,
            order: q.order,
            limit: q.limit,
            offset: Offset(count),
            distinct: q.distinct,
            group: q.group,
            row: PhantomData,
        }
    }

    /// `SELECT DISTINCT`.
    ///
    /// ```
    /// # quarry::__doc_setup!();
    /// # fn main() -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// # let mut db = db();
    /// let authors: Vec<i32> = posts::table.select(posts::author_id).distinct().order(posts::author_id).load(&mut db)?;
    /// assert_eq!(authors, [1, 2]);
    /// # Ok(()) }
    /// ```
    fn distinct(
        self,
    ) -> SelectStatement<
        Self::From,
        Self::Select,
        Self::SelectIdx,
        Self::Where,
        Self::Order,
        Self::Limit,
        Self::Offset,
        Distinct,
        Self::Group,
    > {
        let q = self.into_statement();
        SelectStatement {
            from: q.from,
            select: q.select,
            where_clause: q.where_clause,
            order: q.order,
            limit: q.limit,
            offset: q.offset,
            distinct: Distinct,
            group: q.group,
            row: PhantomData,
        }
    }

    /// `INNER JOIN`: a table along its one declared reference to the
    /// query, a reference such as `posts::author`, or `table.on(condition)`.
    ///
    /// ```
    /// # quarry::__doc_setup!();
    /// # fn main() -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// # let mut db = db();
    /// let rows: Vec<(String, String)> = posts::table
    ///     .inner_join(users::table) // along `author_id -> Integer references users(id)`
    ///     .select((posts::title, users::name))
    ///     .order(posts::id)
    ///     .load(&mut db)?;
    /// assert_eq!(rows[2], ("Lambda".to_owned(), "Brian".to_owned()));
    /// # Ok(()) }
    /// ```
    #[doc(alias = "inner join")]
    fn inner_join<J: JoinTarget<Self::From, V> + JoinsNew<Self::From>, V>(
        self,
        target: J,
    ) -> Joined<Self, J, Inner, V>
    where
        Self::SelectIdx: Reselect<Self::Select, Join<Self::From, J, Inner, V>>,
    {
        self.join_with(target)
    }

    /// `LEFT JOIN`: the joined table's columns come back nullable.
    ///
    /// ```
    /// # quarry::__doc_setup!();
    /// # fn main() -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// # let mut db = db();
    /// let rows: Vec<(String, Option<String>)> = users::table
    ///     .left_join(posts::table)
    ///     .select((users::name, posts::title)) // `title` loads as `Option` here
    ///     .filter(users::id.eq(3))
    ///     .load(&mut db)?;
    /// assert_eq!(rows, [("Cleo".to_owned(), None)]);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "left join")]
    fn left_join<J: JoinTarget<Self::From, V> + JoinsNew<Self::From>, V>(
        self,
        target: J,
    ) -> Joined<Self, J, LeftOuter, V>
    where
        Self::SelectIdx: Reselect<Self::Select, Join<Self::From, J, LeftOuter, V>>,
    {
        self.join_with(target)
    }

    /// `RIGHT JOIN`: the query's tables so far come back nullable.
    ///
    /// ```
    /// # quarry::__doc_setup!();
    /// # fn main() -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// # let mut db = db();
    /// let rows: Vec<(Option<String>, String)> = users::table
    ///     .right_join(posts::table)
    ///     .select((users::name, posts::title))
    ///     .order(posts::id)
    ///     .load(&mut db)?;
    /// assert_eq!(rows[0], (Some("Ada".to_owned()), "Engines".to_owned()));
    /// # Ok(()) }
    /// ```
    #[doc(alias = "right join")]
    fn right_join<J: JoinTarget<Self::From, V> + JoinsNew<Self::From>, V>(
        self,
        target: J,
    ) -> Joined<Self, J, RightOuter, V>
    where
        Self::SelectIdx: Reselect<Self::Select, Join<Self::From, J, RightOuter, V>>,
    {
        self.join_with(target)
    }

    /// `FULL JOIN`: every table comes back nullable.
    ///
    /// ```
    /// # quarry::__doc_setup!();
    /// # fn main() -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// # let mut db = db();
    /// let rows: Vec<(Option<String>, Option<String>)> = users::table
    ///     .full_join(posts::table)
    ///     .select((users::name, posts::title))
    ///     .filter(users::id.eq(3))
    ///     .load(&mut db)?;
    /// assert_eq!(rows, [(Some("Cleo".to_owned()), None)]);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "full join")]
    fn full_join<J: JoinTarget<Self::From, V> + JoinsNew<Self::From>, V>(
        self,
        target: J,
    ) -> Joined<Self, J, FullOuter, V>
    where
        Self::SelectIdx: Reselect<Self::Select, Join<Self::From, J, FullOuter, V>>,
    {
        self.join_with(target)
    }

    /// `CROSS JOIN`: every row of the query with every row of `source` (a
    /// table, an alias or a derived table), with no condition. Both sides'
    /// columns may be used and keep their nullability; further joins
    /// follow as usual.
    ///
    /// ```
    /// # quarry::table! { sizes (id) { id -> Integer, size -> Text, } colors (id) { id -> Integer, color -> Text, } }
    /// use quarry::prelude::*;
    /// let q = sizes::table.cross_join(colors::table).select((sizes::size, colors::color));
    /// assert_eq!(
    ///     quarry::debug_query::<Pg, _>(q).sql(),
    ///     r#"SELECT "sizes"."size", "colors"."color" FROM "sizes" CROSS JOIN "colors""#
    /// );
    /// ```
    #[doc(alias = "cross join")]
    fn cross_join<S, O>(self, source: S) -> Joined<Self, Crossed<S>, Cross, Unconditional<O>>
    where
        S: QuerySource,
        Crossed<S>: JoinTarget<Self::From, Unconditional<O>> + JoinsNew<Self::From>,
        Self::SelectIdx:
            Reselect<Self::Select, Join<Self::From, Crossed<S>, Cross, Unconditional<O>>>,
    {
        self.join_with(Crossed(source))
    }

    #[doc(hidden)]
    fn join_with<K, J, V>(self, target: J) -> Joined<Self, J, K, V>
    where
        J: JoinTarget<Self::From, V> + JoinsNew<Self::From>,
        Self::SelectIdx: Reselect<Self::Select, Join<Self::From, J, K, V>>,
    {
        let q = self.into_statement();
        SelectStatement {
            from: Join {
                left: q.from,
                target,
                kind: PhantomData,
            },
            select: q.select,
            where_clause: q.where_clause,
            order: q.order,
            limit: q.limit,
            offset: q.offset,
            distinct: q.distinct,
            group: q.group,
            row: PhantomData,
        }
    }

    /// Makes this query a correlated subquery of a query that has table
    /// `outer`: its conditions may use `outer`'s columns, and it may only
    /// be used inside a query whose FROM clause has `outer`.
    ///
    /// ```
    /// # quarry::__doc_setup!();
    /// # fn main() -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// # let mut db = db();
    /// // Users with a post of more than 100 views, through a correlated EXISTS.
    /// let popular = posts::table
    ///     .correlated_with(users::table)
    ///     .filter(posts::author_id.eq(users::id).and(posts::views.gt(100)));
    /// let names: Vec<String> = users::table.filter(quarry::exists(popular)).select(users::name).load(&mut db)?;
    /// assert_eq!(names, ["Ada"]);
    /// # Ok(()) }
    /// ```
    fn correlated_with<O>(
        self,
        outer: O,
    ) -> SelectStatement<
        Correlated<Self::From, O>,
        Self::Select,
        <Self::SelectIdx as Reselect<Self::Select, Correlated<Self::From, O>>>::Out,
        Self::Where,
        Self::Order,
        Self::Limit,
        Self::Offset,
        Self::Distinct,
        Self::Group,
    >
    where
        Self::SelectIdx: Reselect<Self::Select, Correlated<Self::From, O>>,
    {
        let _ = outer;
        let q = self.into_statement();
        SelectStatement {
            from: Correlated {
                source: q.from,
                outer: PhantomData,
            },
            select: q.select,
            where_clause: q.where_clause,
            order: q.order,
            limit: q.limit,
            offset: q.offset,
            distinct: q.distinct,
            group: q.group,
            row: PhantomData,
        }
    }

    /// `GROUP BY exprs`: one expression or a tuple. Afterwards every
    /// selected, ordered or `having` expression must be grouped or inside an
    /// aggregate function; grouping by a table's primary key makes its
    /// other columns usable.
    ///
    /// ```
    /// # quarry::__doc_setup!();
    /// # fn main() -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// # let mut db = db();
    /// use quarry::dsl::{count_star, sum};
    /// let rows: Vec<(i32, i64, Option<i64>)> = posts::table
    ///     .group_by(posts::author_id)
    ///     .select((posts::author_id, count_star(), sum(posts::views)))
    ///     .order(posts::author_id)
    ///     .load(&mut db)?;
    /// assert_eq!(rows, [(1, 2, Some(160)), (2, 1, Some(75))]);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "group by")]
    fn group_by<G, I, GI>(
        self,
        exprs: G,
    ) -> SelectStatement<
        Self::From,
        Self::Select,
        Self::SelectIdx,
        Self::Where,
        Self::Order,
        Self::Limit,
        Self::Offset,
        Self::Distinct,
        GroupBy<G, NoHaving>,
    >
    where
        G: Selection<Self::From, I>,
        Self::Group: NotGrouped,
        Self::Select: FitsGroup<G, GI>,
    {
        let q = self.into_statement();
        SelectStatement {
            from: q.from,
            select: q.select,
            where_clause: q.where_clause,
            order: q.order,
            limit: q.limit,
            offset: q.offset,
            distinct: q.distinct,
            group: GroupBy {
                exprs,
                having: NoHaving,
            },
            row: PhantomData,
        }
    }

    /// `HAVING condition`: a condition on groups, which may use aggregates.
    /// Several calls are joined with `AND`.
    ///
    /// ```
    /// # quarry::__doc_setup!();
    /// # fn main() -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// # let mut db = db();
    /// use quarry::dsl::count_star;
    /// let prolific: Vec<i32> = posts::table
    ///     .group_by(posts::author_id)
    ///     .having(count_star().gt(1_i64))
    ///     .select(posts::author_id)
    ///     .load(&mut db)?;
    /// assert_eq!(prolific, [1]);
    /// # Ok(()) }
    /// ```
    fn having<P, I, GI>(
        self,
        condition: P,
    ) -> SelectStatement<
        Self::From,
        Self::Select,
        Self::SelectIdx,
        Self::Where,
        Self::Order,
        Self::Limit,
        Self::Offset,
        Self::Distinct,
        <Self::Group as AddHaving<P>>::Output,
    >
    where
        Self::Group: AddHaving<P> + GroupClause,
        P: Expression + ValidIn<Self::From, I> + Grouping<GroupContext<Self>, GI>,
        P::SqlType: BoolLike,
    {
        let q = self.into_statement();
        SelectStatement {
            from: q.from,
            select: q.select,
            where_clause: q.where_clause,
            order: q.order,
            limit: q.limit,
            offset: q.offset,
            distinct: q.distinct,
            group: q.group.add_having(condition),
            row: PhantomData,
        }
    }

    /// Turns the query into one type, [`BoxedSelect`], that stays the same
    /// as clauses are added at run time: filters, `or_filter`, order terms
    /// chosen at run time, limits. It keeps the FROM clause (so columns are
    /// still checked), the row type and the backend `DB`.
    ///
    /// ```
    /// # quarry::__doc_setup!();
    /// # fn main() -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// # let mut db = db();
    /// let only_published = true;
    /// let mut q = posts::table.select(posts::id).into_boxed::<quarry::Sqlite>();
    /// if only_published {
    ///     q = q.filter(posts::published.eq(true)); // same type before and after
    /// }
    /// let ids: Vec<i32> = q.order(posts::id).load(&mut db)?;
    /// assert_eq!(ids, [10, 12]);
    /// # Ok(()) }
    /// ```
    fn into_boxed<'a, DB>(
        self,
    ) -> BoxedSelect<'a, DB, Self::From, <Statement<Self> as Query>::SqlType, GroupContext<Self>>
    where
        DB: Backend,
        Statement<Self>: Query,
        Self::Group: GroupClause + IntoBoxedParts<'a, DB, Boxed = BoxedGroupParts<'a, DB>>,
        Head<Self::Distinct, Self::Select, Self::From>: QueryFragment<DB> + Send + Sync + 'a,
        Self::Where: IntoBoxedParts<'a, DB, Boxed = Cond<'a, DB>>,
        Self::Order: IntoBoxedParts<'a, DB, Boxed = BoxedOrderParts<'a, DB>>,
        Self::Limit: Count,
        Self::Offset: Count,
    {
        let q = self.into_statement();
        BoxedSelect::from_parts(
            q.from,
            q.select,
            q.distinct,
            q.where_clause,
            q.order,
            q.limit,
            q.offset,
            q.group,
        )
    }

    /// The number of rows the query returns, `SELECT COUNT(*)`: load it as
    /// `i64`. A query with LIMIT, OFFSET, DISTINCT or GROUP BY is counted
    /// from the outside (`SELECT COUNT(*) FROM (...) AS "counted"`), so the
    /// count is of the rows it returns: of its distinct rows, of its groups,
    /// of no more than its limit.
    ///
    /// ```
    /// # quarry::__doc_setup!();
    /// # fn main() -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// # let mut db = db();
    /// let n: i64 = posts::table.filter(posts::published.eq(true)).count().get_result(&mut db)?;
    /// assert_eq!(n, 2);
    /// let authors: i64 = posts::table.select(posts::author_id).distinct().count().get_result(&mut db)?;
    /// assert_eq!(authors, 2);
    /// let at_most_one: i64 = posts::table.limit(1).count().get_result(&mut db)?;
    /// assert_eq!(at_most_one, 1);
    /// # Ok(()) }
    /// ```
    #[doc(alias = "count(*)")]
    fn count(self) -> <Statement<Self> as CountRows>::Out
    where
        Statement<Self>: CountRows,
    {
        self.into_statement().count_rows()
    }
}

/// The SQL type of the rows query `Q` selects now, for terms that order by
/// a selected column's position.
pub type RowOf<Q> = <<Q as QueryDsl>::Select as Selection<
    <Q as QueryDsl>::From,
    <Q as QueryDsl>::SelectIdx,
>>::SqlType;

/// What the order terms of query `Q` are checked against: its selection
/// `Selected<S>`, or the rows it selects by default.
pub type OrderRows<Q> = <<Q as QueryDsl>::Select as OrderedAgainst<RowOf<Q>>>::Rows;

/// The grouping context of query `Q`: [`NoGroup`] or [`Group`].
pub type GroupContext<Q> = <<Q as QueryDsl>::Group as GroupClause>::Context;

/// The selection a query had before `group_by` must be grouped too. A
/// default selection is not checked here: a grouped query must `select`.
#[diagnostic::on_unimplemented(
    message = "the selection of this query does not fit its `group_by`",
    note = "every selected expression must be grouped or inside an aggregate function"
)]
pub trait FitsGroup<G, GI> {}
impl<G> FitsGroup<G, ()> for DefaultSelect {}
impl<S, G, GI> FitsGroup<G, GI> for Selected<S> where S: Grouping<Group<G>, GI> {}

/// Adding a sort key after the current ones.
#[diagnostic::on_unimplemented(message = "`then_order_by` cannot extend `{Self}`")]
pub trait ThenOrder<O> {
    /// The ORDER BY clause with `O` added.
    type Output;
    /// Adds `order`.
    fn then(self, order: O) -> Self::Output;
}

impl<O> ThenOrder<O> for NoOrder {
    type Output = OrderBy<O>;
    fn then(self, order: O) -> OrderBy<O> {
        OrderBy(order)
    }
}

impl<P, O> ThenOrder<O> for OrderBy<P> {
    type Output = OrderBy<(P, O)>;
    fn then(self, order: O) -> OrderBy<(P, O)> {
        OrderBy((self.0, order))
    }
}

impl<F, S, ST, W, O, L, Off, D, G> QueryDsl for SelectStatement<F, S, ST, W, O, L, Off, D, G> {
    type From = F;
    type Select = S;
    type SelectIdx = ST;
    type Where = W;
    type Order = O;
    type Limit = L;
    type Offset = Off;
    type Distinct = D;
    type Group = G;
    fn into_statement(self) -> Self {
        self
    }
}

/// `QueryDsl` for a FROM source on its own: a table or a derived table,
/// every column of it and no clause yet.
macro_rules! source_query_dsl {
    ([$($generics:tt)*] $source:ty) => {
        impl<$($generics)*> QueryDsl for $source {
            type From = Self;
            type Select = DefaultSelect;
            type SelectIdx = ();
            type Where = NoWhere;
            type Order = NoOrder;
            type Limit = NoLimit;
            type Offset = NoOffset;
            type Distinct = NoDistinct;
            type Group = NoGroupBy;
            fn into_statement(self) -> Statement<Self> {
                SelectStatement {
                    from: self,
                    select: DefaultSelect,
                    where_clause: NoWhere,
                    order: NoOrder,
                    limit: NoLimit,
                    offset: NoOffset,
                    distinct: NoDistinct,
                    group: NoGroupBy,
                    row: PhantomData,
                }
            }
        }
    };
}

source_query_dsl!([T: Table] T);
source_query_dsl!([T: Table, Q] Derived<T, Q>);

/// `find(key)`: the row whose primary key equals `key`.
#[diagnostic::on_unimplemented(message = "`find` needs a table, and `{Self}` is not one")]
pub trait FindDsl: Table {
    /// `table.filter(primary_key.eq(key))`; a composite key takes a tuple.
    /// Load it with `get_result`, and add `.optional()` to get `None` for a
    /// missing row.
    ///
    /// ```
    /// # quarry::__doc_setup!();
    /// # fn main() -> Result<(), quarry::Error> {
    /// use quarry::prelude::*;
    /// # let mut db = db();
    /// let ada: User = users::table.find(1).get_result(&mut db)?;
    /// assert_eq!(ada.name, "Ada");
    /// let nobody: Option<User> = users::table.find(9).get_result(&mut db).optional()?;
    /// assert!(nobody.is_none());
    /// # Ok(()) }
    /// ```
    fn find<K>(self, key: K) -> SelectStatement<Self, DefaultSelect, (), Where<Self::Predicate>>
    where
        Self: FindKey<K>,
    {
        SelectStatement {
            from: self,
            select: DefaultSelect,
            where_clause: Where(Self::key_predicate(key)),
            order: NoOrder,
            limit: NoLimit,
            offset: NoOffset,
            distinct: NoDistinct,
            group: NoGroupBy,
            row: PhantomData,
        }
    }
}

impl<T: Table> FindDsl for T {}

/// A table's primary key compared with `K`: one value, or a tuple for a
/// composite key. `table!` implements it once per table.
#[diagnostic::on_unimplemented(
    message = "cannot `find` a row of `{Self}` by `{K}`",
    label = "not a value of the table's primary key",
    note = "`find` takes a value of the primary key's type, or a tuple for a composite key; a table declared without a primary key has no `find`"
)]
pub trait FindKey<K>: HasPrimaryKey {
    /// `pk = key`, or `a = ka AND b = kb`.
    type Predicate;
    /// Builds the predicate.
    fn key_predicate(key: K) -> Self::Predicate;
}

/// `column = key`, for `find`.
#[doc(hidden)]
pub fn key_eq<C, K>(column: C, key: K) -> Compare<C, K::Expr, op::Eq>
where
    C: Column,
    K: AsExpression<C::SqlType>,
{
    Compare {
        left: column,
        right: key.as_expression(),
        op: op::Eq,
    }
}

/// `left AND right`, for `find` on a composite key.
#[doc(hidden)]
pub fn key_and<L, R>(left: L, right: R) -> And<L, R> {
    And { left, right }
}
