//! A boolean condition built at run time, checked against a FROM clause.

use core::marker::PhantomData;

use crate::backend::Backend;
use crate::expression::grouping::Filterable;
use crate::expression::{Expression, ValidIn};
use crate::query::boxed::dyn_part::DynPart;
use crate::query_fragment::QueryFragment;
use crate::sql_text::Part;
use crate::sql_types::BoolLike;
use quarry_runtime::Value;

/// A condition tree with its type erased. Internal to boxed queries.
#[doc(hidden)]
pub enum Node<'a, DB: Backend> {
    /// A checked condition.
    Leaf(Box<dyn DynPart<DB> + 'a>),
    /// `l AND r`.
    And(Box<Node<'a, DB>>, Box<Node<'a, DB>>),
    /// `l OR r`.
    Or(Box<Node<'a, DB>>, Box<Node<'a, DB>>),
    /// `NOT c`.
    Not(Box<Node<'a, DB>>),
    /// `TRUE` or `FALSE`.
    Const(bool),
}

const OPEN: Part = Part::Str("(");
const CLOSE: Part = Part::Str(")");
const AND: Part = Part::Str(" AND ");
const OR: Part = Part::Str(" OR ");
const NOT: Part = Part::Str("NOT ");
const TRUE: Part = Part::Str("TRUE");
const FALSE: Part = Part::Str("FALSE");

impl<'a, DB: Backend> Node<'a, DB> {
    /// Visits the condition's parts in order, each operand in parentheses.
    pub(crate) fn visit(&self, f: &mut dyn FnMut(Part)) {
        match self {
            Node::Leaf(leaf) => {
                f(OPEN);
                f(*leaf.part());
                f(CLOSE);
            }
            Node::And(l, r) | Node::Or(l, r) => {
                f(OPEN);
                l.visit(f);
                f(if matches!(self, Node::And(..)) {
                    AND
                } else {
                    OR
                });
                r.visit(f);
                f(CLOSE);
            }
            Node::Not(inner) => {
                f(NOT);
                inner.visit(f);
            }
            Node::Const(true) => f(TRUE),
            Node::Const(false) => f(FALSE),
        }
    }

    /// Pushes the binds in the order of [`visit`](Self::visit).
    pub(crate) fn collect_binds<'b>(&'b self, out: &mut Vec<Value<'b>>) {
        match self {
            Node::Leaf(leaf) => leaf.collect_dyn_binds(out),
            Node::And(l, r) | Node::Or(l, r) => {
                l.collect_binds(out);
                r.collect_binds(out);
            }
            Node::Not(inner) => inner.collect_binds(out),
            Node::Const(_) => {}
        }
    }

    pub(crate) fn and(self, other: Self) -> Self {
        match (self, other) {
            (Node::Const(true), x) | (x, Node::Const(true)) => x,
            (l, r) => Node::And(Box::new(l), Box::new(r)),
        }
    }

    pub(crate) fn or(self, other: Self) -> Self {
        match (self, other) {
            (Node::Const(false), x) | (x, Node::Const(false)) => x,
            (l, r) => Node::Or(Box::new(l), Box::new(r)),
        }
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
///     r#"SELECT "users"."id", "users"."name" FROM "users" WHERE (("users"."name" = ?) OR ("users"."name" = ?))"#
/// );
/// # Ok::<(), quarry::Error>(())
/// ```
pub struct BoxedBool<'a, F, DB: Backend> {
    pub(crate) node: Node<'a, DB>,
    from: PhantomData<F>,
}

impl<'a, F, DB: Backend> BoxedBool<'a, F, DB> {
    fn new(node: Node<'a, DB>) -> Self {
        BoxedBool {
            node,
            from: PhantomData,
        }
    }

    /// `FALSE`: the start of an `or` fold (no condition matches nothing).
    pub fn false_() -> Self {
        Self::new(Node::Const(false))
    }

    /// `TRUE`: the start of an `and` fold (no condition matches everything).
    pub fn true_() -> Self {
        Self::new(Node::Const(true))
    }

    /// `self AND other`.
    pub fn and<P, I>(self, other: P) -> Self
    where
        P: IntoCondition<'a, F, DB, I>,
    {
        Self::new(self.node.and(other.into_node()))
    }

    /// `self OR other`.
    pub fn or<P, I>(self, other: P) -> Self
    where
        P: IntoCondition<'a, F, DB, I>,
    {
        Self::new(self.node.or(other.into_node()))
    }
}

/// `!condition`: `NOT condition`.
impl<'a, F, DB: Backend> core::ops::Not for BoxedBool<'a, F, DB> {
    type Output = Self;
    fn not(self) -> Self {
        Self::new(Node::Not(Box::new(self.node)))
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
    /// The condition's node.
    #[doc(hidden)]
    fn into_node(self) -> Node<'a, DB>;
}

impl<'a, F, DB: Backend> IntoCondition<'a, F, DB, ()> for BoxedBool<'a, F, DB> {
    fn into_node(self) -> Node<'a, DB> {
        self.node
    }
}

impl<'a, F, DB, P, I, GI> IntoCondition<'a, F, DB, (I, GI)> for P
where
    DB: Backend,
    P: Expression + ValidIn<F, I> + Filterable<GI> + QueryFragment<DB> + Send + Sync + 'a,
    P::SqlType: BoolLike,
{
    fn into_node(self) -> Node<'a, DB> {
        Node::Leaf(Box::new(self))
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
        BoxedBool::new(self.into_node())
    }
}

impl<E: Expression> BoxedConditionDsl for E where E::SqlType: BoolLike {}
