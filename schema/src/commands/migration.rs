//! `quarry migration run | revert | redo | list | check`.

use quarry_migrate::{Count, Status};

use super::{Context, Database, mysql};
use crate::error::Error;
use crate::shape::Shape;

/// Applies every pending migration, then regenerates `schema.rs`. Returns
/// the folders applied.
pub fn run(context: &Context) -> Result<Vec<String>, Error> {
    let migrations = &context.migrations()?;
    let ran = if let Database::Mysql(url) = &context.database {
        mysql::run(url, migrations)?
    } else {
        context.with_connection(
            |conn| Ok(quarry_migrate::sqlite::run_pending(conn, migrations)?),
            |client| async move {
                Ok(quarry_migrate::postgres::run_pending(&client, migrations).await?)
            },
        )?
    };
    context.regenerate_schema()?;
    Ok(ran)
}

/// Reverts the newest `count` applied migrations, then regenerates
/// `schema.rs`. Returns the folders reverted, newest first.
pub fn revert(context: &Context, count: Count) -> Result<Vec<String>, Error> {
    let migrations = &context.migrations()?;
    let reverted = if let Database::Mysql(url) = &context.database {
        mysql::revert(url, migrations, count)?
    } else {
        context.with_connection(
            |conn| Ok(quarry_migrate::sqlite::revert(conn, migrations, count)?),
            |client| async move {
                Ok(quarry_migrate::postgres::revert(&client, migrations, count).await?)
            },
        )?
    };
    context.regenerate_schema()?;
    Ok(reverted)
}

/// Reverts the newest `n` applied migrations and applies them again.
/// Others that are pending stay pending.
pub fn redo(context: &Context, n: usize) -> Result<(Vec<String>, Vec<String>), Error> {
    let reverted = revert(context, Count::Last(n))?;
    let again: Vec<_> = context
        .migrations()?
        .into_iter()
        .filter(|m| reverted.iter().any(|dir| dir == m.dir()))
        .collect();
    let again = &again;
    let ran = if let Database::Mysql(url) = &context.database {
        mysql::run(url, again)?
    } else {
        context.with_connection(
            |conn| Ok(quarry_migrate::sqlite::run_pending(conn, again)?),
            |client| async move { Ok(quarry_migrate::postgres::run_pending(&client, again).await?) },
        )?
    };
    context.regenerate_schema()?;
    Ok((reverted, ran))
}

/// Every migration of the folder and the database, applied or pending.
pub fn list(context: &Context) -> Result<Vec<Status>, Error> {
    let migrations = context.migrations()?;
    let applied = applied(context)?;
    Ok(quarry_migrate::statuses(&migrations, &applied))
}

/// What keeps the database from matching the folder and `schema.rs`: each
/// pending migration and each difference, one line each. Empty when all
/// agree.
pub fn check(context: &Context) -> Result<Vec<String>, Error> {
    let migrations = context.migrations()?;
    let applied = applied(context)?;
    quarry_migrate::verify(&migrations, &applied)?;
    let mut problems: Vec<String> = quarry_migrate::statuses(&migrations, &applied)
        .into_iter()
        .filter(|s| s.applied.is_none())
        .map(|s| format!("migration `{}` is pending", s.dir))
        .collect();
    let (live, wanted) = shapes(context, &context.config.schema_file())?;
    problems.extend(crate::diff::describe(&crate::diff::diff(&live, &wanted)));
    Ok(problems)
}

/// The database's shape and the schema file's.
pub(super) fn shapes(
    context: &Context,
    schema_file: &std::path::Path,
) -> Result<(Shape, Shape), Error> {
    let live = crate::read_live(&context.print_options())?;
    let text = std::fs::read_to_string(schema_file).map_err(|e| Error::SchemaFile {
        path: schema_file.to_owned(),
        message: e.to_string(),
    })?;
    let file = quarry_grammar::parse_file(&text).map_err(|e| Error::SchemaFile {
        path: schema_file.to_owned(),
        message: e.to_string(),
    })?;
    Ok((
        Shape::of(&live.schema, &live.views),
        Shape::of(&file, &live.views),
    ))
}

/// The applied-migrations table's rows.
fn applied(context: &Context) -> Result<Vec<quarry_migrate::Applied>, Error> {
    if let Database::Mysql(url) = &context.database {
        return mysql::applied(url);
    }
    context.with_connection(
        |conn| Ok(quarry_migrate::sqlite::applied(conn)?),
        |client| async move { Ok(quarry_migrate::postgres::applied(&client).await?) },
    )
}
