//! A boolean condition built at run time, checked against a FROM clause.

use core::marker::PhantomData;

use smallvec::SmallVec;

use crate::backend::Backend;
use crate::expression::grouping::Filterable;
use crate::expression::{Expression, ValidIn};
use crate::query::boxed::dyn_part::{DynPart, Leaf, leaf_if_bound};
use crate::query_fragment::Binds;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::BoolLike;

/// How a condition's text reads at its top level, which decides where it
/// needs parentheses when it is combined.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// One operand: a parenthesized expression, `NOT x`, or a constant.
    Atom,
    /// `a AND b AND ...`
    And,
    /// `a OR b OR ...`
    Or,
    /// `TRUE`.
    True,
    /// `FALSE`.
    False,
}

static OPEN: Part = Part::Str("(");
static CLOSE: Part = Part::Str(")");
static AND: Part = Part::Str(" AND ");
static OR: Part = Part::Str(" OR ");
static NOT: Part = Part::Str("NOT ");
static TRUE: Part = Part::Str("TRUE");
static FALSE: Part = Part::Str("FALSE");

fn op_part(op: Kind) -> &'static Part {
    if op == Kind::And { &AND } else { &OR }
}

/// A condition with its type erased, kept flat: the static parts of its
/// text in order, and its checked expressions, whose binds follow the same
/// order. Internal to boxed queries.
///
/// Chains of one operator stay flat (`(a) OR (b) OR (c)`), so folding a
/// list appends to the end, and a condition of a few terms lives without
/// an allocation.
#[doc(hidden)]
pub struct Cond<'a, DB: Backend> {
    parts: SmallVec<[&'static Part; 4]>,
    leaves: SmallVec<[Leaf<'a, DB>; 2]>,
    kind: Kind,
}

impl<'a, DB: Backend> Cond<'a, DB> {
    /// A checked boolean expression, in parentheses.
    pub(crate) fn leaf<T: QueryFragment<DB> + Send + Sync + 'a>(node: T) -> Self {
        let mut cond = Cond::constant(true);
        cond.and_leaf(node);
        cond
    }

    pub(crate) fn constant(value: bool) -> Self {
        let mut parts = SmallVec::new();
        parts.push(if value { &TRUE } else { &FALSE });
        Cond {
            parts,
            leaves: SmallVec::new(),
            kind: if value { Kind::True } else { Kind::False },
        }
    }

    /// Whether this is the constant `TRUE`.
    pub(crate) fn is_true(&self) -> bool {
        self.kind == Kind::True
    }

    /// The static parts of the text, in order.
    pub(crate) fn parts(&self) -> &[&'static Part] {
        &self.parts
    }

    /// Pushes the binds in the order of [`parts`](Self::parts).
    pub(crate) fn collect_binds<'b>(&'b self, out: &mut Binds<'b>) {
        for leaf in &self.leaves {
            leaf.collect_dyn_binds(out);
        }
    }

    /// Whether, as an operand of `op`, this needs parentheses.
    fn needs_parens_in(&self, op: Kind) -> bool {
        matches!(self.kind, Kind::And | Kind::Or) && self.kind != op
    }

    /// Wraps `self` in parentheses when it is to be an operand of `op`.
    #[inline]
    fn prepare_for(&mut self, op: Kind) {
        if self.needs_parens_in(op) {
            self.parts.insert(0, &OPEN);
            self.parts.push(&CLOSE);
        }
    }

    /// Whether `self op x` is just `x` (`TRUE AND x`, `FALSE OR x`).
    fn is_identity_of(&self, op: Kind) -> bool {
        matches!(
            (self.kind, op),
            (Kind::True, Kind::And) | (Kind::False, Kind::Or)
        )
    }

    /// `self op other`, in place: appends to `self`.
    fn combine(&mut self, other: Self, op: Kind) {
        if other.is_identity_of(op) {
            return;
        }
        if self.is_identity_of(op) {
            *self = other;
            return;
        }
        self.prepare_for(op);
        self.parts.push(op_part(op));
        let wrap = other.needs_parens_in(op);
        if wrap {
            self.parts.push(&OPEN);
        }
        self.parts.extend_from_slice(&other.parts);
        if wrap {
            self.parts.push(&CLOSE);
        }
        self.leaves.extend(other.leaves);
        self.kind = op;
    }

    /// `self op (node)`, in place, with no condition made for `node`.
    fn combine_leaf<T: QueryFragment<DB> + Send + Sync + 'a>(&mut self, node: T, op: Kind) {
        let part = DynPart::<DB>::wrapped_part(&node);
        if self.is_identity_of(op) {
            self.parts.clear();
            self.kind = Kind::Atom;
        } else {
            self.prepare_for(op);
            self.parts.push(op_part(op));
            self.kind = op;
        }
        self.parts.push(part);
        if let Some(node) = leaf_if_bound(node) {
            self.leaves.push(node);
        }
    }

    /// `self AND (node)`, in place.
    pub(crate) fn and_leaf<T: QueryFragment<DB> + Send + Sync + 'a>(&mut self, node: T) {
        self.combine_leaf(node, Kind::And);
    }

    fn not(mut self) -> Self {
        if matches!(self.kind, Kind::And | Kind::Or) {
            self.parts.insert(0, &OPEN);
            self.parts.push(&CLOSE);
        }
        self.parts.insert(0, &NOT);
        self.kind = Kind::Atom;
        self
    }
}

/// A boolean condition whose shape is decided at run time, for queries
/// whose FROM clause is `F`, on backend `DB`. Every part was checked when
/// it was boxed, so a column of a table not in `F` still does not compile.
///
/// ```
/// # quarry::table! { users (id) { id -> Integer, name -> Text, } }
/// use quarry::prelude::*;
/// use quarry::query::BoxedBool;
/// let names = ["Ada", "Grace"];
/// let any_name = names
///     .iter()
///     .fold(BoxedBool::<users::table, Sqlite>::false_(), |acc, n| acc.or(users::name.eq(*n)));
/// let q = users::table.into_boxed::<Sqlite>().filter(any_name);
/// assert_eq!(
///     q.sql()?,
///     r#"SELECT "users"."id", "users"."name" FROM "users" WHERE ("users"."name" = ?) OR ("users"."name" = ?)"#
/// );
/// # Ok::<(), quarry::Error>(())
/// ```
pub struct BoxedBool<'a, F, DB: Backend> {
    pub(crate) cond: Cond<'a, DB>,
    from: PhantomData<F>,
}

impl<'a, F, DB: Backend> BoxedBool<'a, F, DB> {
    fn new(cond: Cond<'a, DB>) -> Self {
        BoxedBool {
            cond,
            from: PhantomData,
        }
    }

    /// `FALSE`: the start of an `or` fold (no condition matches nothing).
    pub fn false_() -> Self {
        Self::new(Cond::constant(false))
    }

    /// `TRUE`: the start of an `and` fold (no condition matches everything).
    pub fn true_() -> Self {
        Self::new(Cond::constant(true))
    }

    /// `self AND other`.
    pub fn and<P, I>(mut self, other: P) -> Self
    where
        P: IntoCondition<'a, F, DB, I>,
    {
        other.and_into(&mut self.cond);
        self
    }

    /// `self OR other`.
    pub fn or<P, I>(mut self, other: P) -> Self
    where
        P: IntoCondition<'a, F, DB, I>,
    {
        other.or_into(&mut self.cond);
        self
    }
}

/// `!condition`: `NOT condition`.
impl<'a, F, DB: Backend> core::ops::Not for BoxedBool<'a, F, DB> {
    type Output = Self;
    fn not(self) -> Self {
        Self::new(self.cond.not())
    }
}

/// A condition for a query with FROM clause `F`: a checked boolean
/// expression, or a [`BoxedBool`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be used as a condition of this query",
    label = "expected a boolean expression over this query's tables",
    note = "a boxed condition takes boolean expressions whose columns are in the query's FROM clause"
)]
pub trait IntoCondition<'a, F, DB: Backend, I> {
    /// The condition, type erased.
    #[doc(hidden)]
    fn into_cond(self) -> Cond<'a, DB>;

    /// `cond AND self`, in place.
    #[doc(hidden)]
    fn and_into(self, cond: &mut Cond<'a, DB>)
    where
        Self: Sized,
    {
        cond.combine(self.into_cond(), Kind::And);
    }

    /// `cond OR self`, in place.
    #[doc(hidden)]
    fn or_into(self, cond: &mut Cond<'a, DB>)
    where
        Self: Sized,
    {
        cond.combine(self.into_cond(), Kind::Or);
    }
}

#[diagnostic::do_not_recommend]
impl<'a, F, DB: Backend> IntoCondition<'a, F, DB, ()> for BoxedBool<'a, F, DB> {
    fn into_cond(self) -> Cond<'a, DB> {
        self.cond
    }
}

impl<'a, F, DB, P, I, GI> IntoCondition<'a, F, DB, (I, GI)> for P
where
    DB: Backend,
    P: Expression + ValidIn<F, I> + Filterable<GI> + QueryFragment<DB> + Send + Sync + 'a,
    P::SqlType: BoolLike,
{
    fn into_cond(self) -> Cond<'a, DB> {
        Cond::leaf(self)
    }
    fn and_into(self, cond: &mut Cond<'a, DB>) {
        cond.combine_leaf(self, Kind::And);
    }
    fn or_into(self, cond: &mut Cond<'a, DB>) {
        cond.combine_leaf(self, Kind::Or);
    }
}

/// `.into_boxed()` on a boolean expression: a [`BoxedBool`] to fold with
/// others at run time.
#[diagnostic::on_unimplemented(message = "`{Self}` is not a boolean expression that can be boxed")]
pub trait BoxedConditionDsl: Sized {
    /// Boxes this condition for queries with FROM clause `F` on `DB`.
    fn into_boxed<'a, F, DB, I>(self) -> BoxedBool<'a, F, DB>
    where
        DB: Backend,
        Self: IntoCondition<'a, F, DB, I>,
    {
        BoxedBool::new(self.into_cond())
    }
}

impl<E: Expression> BoxedConditionDsl for E where E::SqlType: BoolLike {}
