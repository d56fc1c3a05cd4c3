//! SQL types of PostgreSQL's that quarry maps to Rust types of its own:
//! `interval` and the network types.

use crate::sql_types::{NotNull, Nullable, SqlType};
use quarry_runtime::ParamType;

macro_rules! named_sql_types {
    ($($(#[$doc:meta])* $name:ident = $pg:literal;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $name;

        impl SqlType for $name {
            type Nullability = NotNull;
            type NotNull = Self;
            type Nullable = Nullable<Self>;
            const NAME: &'static str = stringify!($name);
            const PARAM: ParamType = ParamType::Named($pg);
        }
    )*};
}

named_sql_types! {
    /// `INTERVAL`: [`types::Interval`](crate::types::Interval), exactly.
    /// TEXT on SQLite.
    Interval = "interval";
    /// `INET`: an address and its network,
    /// [`types::IpNetwork`](crate::types::IpNetwork). TEXT on SQLite.
    Inet = "inet";
    /// `CIDR`: a network, [`types::IpNetwork`](crate::types::IpNetwork).
    /// TEXT on SQLite.
    Cidr = "cidr";
}
