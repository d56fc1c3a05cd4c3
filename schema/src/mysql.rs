//! Reading a live MariaDB (or MySQL) database: tables, views, columns,
//! primary and foreign keys from `information_schema`, through
//! `mysql_async`.
//!
//! Column types are normalized by [`crate::types::mysql_name`]
//! (`int(10) unsigned` → `int unsigned`, `tinyint(1)` stays); MariaDB's
//! `JSON`, a `LONGTEXT` with a `json_valid` check, reads as `json`; an
//! `ENUM` column gets a marker type of its own, named `<table>.<column>`
//! (`UsersStatus` in Rust).

use std::time::Duration;

use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Opts, OptsBuilder};

use crate::defaults;
use crate::error::Error;
use crate::model::{Column, Database, DbType, Default, Dialect, ForeignKey, Kind, PgEnum, Table};
use crate::postgres::redact;
use crate::types::{builtin, is_numeric, mysql_name};

/// The URL's options; `redact`ed in errors.
pub fn opts(url: &str) -> Result<Opts, Error> {
    Opts::from_url(url).map_err(|e| Error::BadUrl {
        url: redact(url),
        reason: e.to_string(),
    })
}

/// `host:port/db` for messages, without credentials.
pub fn describe(opts: &Opts) -> String {
    format!(
        "{}:{}/{}",
        opts.ip_or_hostname(),
        opts.tcp_port(),
        opts.db_name().unwrap_or_default()
    )
}

/// Connects, giving up after ten seconds.
pub async fn connect(opts: Opts) -> Result<Conn, Error> {
    let target = describe(&opts);
    let opts = OptsBuilder::from_opts(opts).prefer_socket(false);
    match tokio::time::timeout(Duration::from_secs(10), Conn::new(opts)).await {
        Ok(Ok(conn)) => Ok(conn),
        Ok(Err(e)) => Err(Error::MySqlConnect {
            target,
            message: message(&e),
        }),
        Err(_) => Err(Error::MySqlConnect {
            target,
            message: "no answer within 10 seconds".to_owned(),
        }),
    }
}

/// The driver's error on one line: the server's own message for a server
/// error.
pub fn message(error: &mysql_async::Error) -> String {
    error
        .to_string()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn read(url: &str, database: Option<&str>) -> Result<Database, Error> {
    let opts = opts(url)?;
    let database = match database.or(opts.db_name()) {
        Some(name) => name.to_owned(),
        None => {
            return Err(Error::BadUrl {
                url: redact(url),
                reason: "it names no database: add `/dbname`".to_owned(),
            });
        }
    };
    crate::commands::block_on(async {
        let mut conn = connect(opts).await?;
        let read = read_schema(&mut conn, &database).await;
        let _ = conn.disconnect().await;
        read
    })
}

fn catalog(e: mysql_async::Error) -> Error {
    Error::MySql {
        what: "reading the catalog",
        message: message(&e),
    }
}

type ColumnRow = (
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
);

async fn read_schema(conn: &mut Conn, database: &str) -> Result<Database, Error> {
    let exists: Option<String> = conn
        .exec_first(
            "SELECT schema_name FROM information_schema.schemata WHERE schema_name = ?",
            (database,),
        )
        .await
        .map_err(catalog)?;
    if exists.is_none() {
        return Err(Error::NoSuchDatabase(database.to_owned()));
    }

    let rows: Vec<(String, String)> = conn
        .exec(
            // Not sequences, which MariaDB lists as tables too.
            "SELECT table_name, table_type FROM information_schema.tables
             WHERE table_schema = ?
               AND table_type IN ('BASE TABLE', 'VIEW', 'SYSTEM VERSIONED')
             ORDER BY table_name",
            (database,),
        )
        .await
        .map_err(catalog)?;
    let mut tables: Vec<Table> = rows
        .into_iter()
        .map(|(name, kind)| Table {
            name,
            kind: if kind == "VIEW" {
                Kind::View
            } else {
                Kind::Table
            },
            columns: Vec::new(),
            primary_key: Vec::new(),
            foreign_keys: Vec::new(),
        })
        .collect();
    let find = |tables: &[Table], name: &str| -> Option<usize> {
        tables.iter().position(|t| t.name == name)
    };

    let json_columns = json_columns(conn, database).await?;
    let columns: Vec<ColumnRow> = conn
        .exec(
            "SELECT table_name, column_name, data_type, column_type, is_nullable,
                    column_default, extra
             FROM information_schema.columns
             WHERE table_schema = ?
             ORDER BY table_name, ordinal_position",
            (database,),
        )
        .await
        .map_err(catalog)?;
    let mut enums = Vec::new();
    for (table, name, data_type, column_type, nullable, default, extra) in columns {
        let Some(index) = find(&tables, &table) else {
            continue;
        };
        let ty = if data_type.eq_ignore_ascii_case("enum") {
            let marker = format!("{table}.{name}");
            enums.push(PgEnum {
                name: marker.clone(),
                labels: enum_labels(&column_type),
            });
            DbType::Named(marker)
        } else if json_columns.iter().any(|(t, c)| *t == table && *c == name) {
            DbType::Named("json".to_owned())
        } else {
            DbType::Named(mysql_name(&column_type))
        };
        let numeric = match &ty {
            DbType::Named(n) => builtin(Dialect::Mysql, n).is_some_and(is_numeric),
            _ => false,
        };
        let extra = extra.to_ascii_lowercase();
        // A view's columns report their base columns' defaults, which do
        // not apply to it.
        let default = if tables[index].kind == Kind::View {
            None
        } else if extra.contains("auto_increment") {
            Some(Default::Identity { always: false })
        } else if extra.contains("generated") {
            Some(Default::Generated)
        } else {
            // MariaDB reports no default as NULL, `DEFAULT NULL` as `NULL`.
            default
                .filter(|d| !d.eq_ignore_ascii_case("null"))
                .map(|d| Default::Expr(defaults::normalize(&d, numeric)))
        };
        tables[index].columns.push(Column {
            name,
            ty,
            not_null: nullable == "NO",
            default,
        });
    }

    let keys: Vec<(String, String)> = conn
        .exec(
            "SELECT table_name, column_name FROM information_schema.key_column_usage
             WHERE table_schema = ? AND constraint_name = 'PRIMARY'
             ORDER BY table_name, ordinal_position",
            (database,),
        )
        .await
        .map_err(catalog)?;
    for (table, column) in keys {
        if let Some(index) = find(&tables, &table) {
            tables[index].primary_key.push(column);
        }
    }

    let foreign_keys: Vec<(String, String, String, String, String, String)> = conn
        .exec(
            "SELECT table_name, constraint_name, referenced_table_schema,
                    referenced_table_name, column_name, referenced_column_name
             FROM information_schema.key_column_usage
             WHERE table_schema = ? AND referenced_table_name IS NOT NULL
             ORDER BY table_name, constraint_name, ordinal_position",
            (database,),
        )
        .await
        .map_err(catalog)?;
    let mut current: Option<(String, String, ForeignKey)> = None;
    let mut finished: Vec<(String, ForeignKey)> = Vec::new();
    for (table, constraint, target_schema, target, from, to) in foreign_keys {
        match &mut current {
            Some((t, c, fk)) if *t == table && *c == constraint => {
                fk.columns.push(from);
                fk.target_columns.push(to);
            }
            _ => {
                finished.extend(current.take().map(|(t, _, fk)| (t, fk)));
                let target_table = if target_schema == database {
                    target
                } else {
                    format!("{target_schema}.{target}")
                };
                current = Some((
                    table,
                    constraint,
                    ForeignKey {
                        columns: vec![from],
                        target_table,
                        target_columns: vec![to],
                    },
                ));
            }
        }
    }
    finished.extend(current.map(|(t, _, fk)| (t, fk)));
    for (table, fk) in finished {
        if let Some(index) = find(&tables, &table) {
            tables[index].foreign_keys.push(fk);
        }
    }
    enums.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Database { tables, enums })
}

/// `(table, column)` of MariaDB's `JSON` columns: `LONGTEXT` with the check
/// `json_valid(`column`)` that `JSON` adds. (MySQL reports `json` itself.)
async fn json_columns(conn: &mut Conn, database: &str) -> Result<Vec<(String, String)>, Error> {
    let checks: Vec<(String, String)> = conn
        .exec(
            "SELECT table_name, check_clause FROM information_schema.check_constraints
             WHERE constraint_schema = ?",
            (database,),
        )
        .await
        .map_err(catalog)?;
    Ok(checks
        .into_iter()
        .filter_map(|(table, clause)| {
            let clause: String = clause.chars().filter(|c| !c.is_whitespace()).collect();
            let column = clause
                .to_ascii_lowercase()
                .starts_with("json_valid(`")
                .then(|| clause.get("json_valid(`".len()..)?.strip_suffix("`)"))
                .flatten()?
                .replace("``", "`");
            Some((table, column))
        })
        .collect())
}

/// The labels of `enum('a','b''c')`, in order.
fn enum_labels(column_type: &str) -> Vec<String> {
    let Some(inner) = column_type
        .find('(')
        .and_then(|start| column_type.get(start + 1..))
        .and_then(|rest| rest.strip_suffix(')'))
    else {
        return Vec::new();
    };
    let mut labels = Vec::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\'' {
            continue;
        }
        let mut label = String::new();
        while let Some(c) = chars.next() {
            match c {
                '\'' if chars.peek() == Some(&'\'') => {
                    chars.next();
                    label.push('\'');
                }
                '\'' => break,
                '\\' => label.extend(chars.next()),
                c => label.push(c),
            }
        }
        labels.push(label);
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::enum_labels;

    #[test]
    fn enum_labels_unquote() {
        assert_eq!(
            enum_labels("enum('a','b''c','d,e')"),
            ["a", "b'c", "d,e"].map(str::to_owned)
        );
        assert!(enum_labels("enum()").is_empty());
    }
}
