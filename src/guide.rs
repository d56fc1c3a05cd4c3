//! The guide's chapters (`docs/guide/`), compiled and run as doctests so
//! that no example in them drifts from the code.

macro_rules! chapters {
    ($($(#[$attr:meta])* $name:ident = $file:literal;)*) => {$(
        $(#[$attr])*
        #[doc = include_str!(concat!("../docs/guide/", $file))]
        pub struct $name;
    )*};
}

chapters! {
    GettingStarted = "01-getting-started.md";
    Schema = "02-schema.md";
    Queries = "03-queries.md";
    Joins = "04-joins.md";
    Grouping = "05-grouping.md";
    Writes = "06-writes.md";
    Transactions = "07-transactions.md";
    // Chapters whose examples run on PostgreSQL compile with its feature
    // (CI's full-feature run); `cargo test` with the defaults skips them.
    #[cfg(feature = "postgres")]
    PostgresAndPools = "08-postgres-and-pools.md";
    DynamicQueries = "09-dynamic-queries.md";
    Migrations = "10-migrations.md";
    Types = "11-types.md";
    Relations = "12-relations.md";
    ComingFromDiesel = "13-coming-from-diesel.md";
    #[cfg(feature = "postgres")]
    ComingFromSqlx = "14-coming-from-sqlx.md";
}
