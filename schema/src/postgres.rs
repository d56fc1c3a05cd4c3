//! Reading a live PostgreSQL schema: tables, views and columns from
//! `information_schema` (which resolves domains to their base types),
//! keys from `pg_catalog` (which keeps a composite key's column order).

use tokio_postgres::{Client, Config};

use crate::defaults;
use crate::error::Error;
use crate::model::{Column, Database, DbType, Default, Dialect, ForeignKey, Kind, PgEnum, Table};
use crate::types::{builtin, is_numeric};

/// The URL with its password hidden, for messages.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

pub fn read(url: &str, schema: &str) -> Result<Database, Error> {
    let config = crate::pg_connect::config(url)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(Error::Runtime)?;
    runtime.block_on(async {
        let client = crate::pg_connect::connect(&config).await?;
        read_schema(&client, schema).await
    })
}

/// `host:port/dbname` for messages, without credentials.
pub fn describe(config: &Config) -> String {
    let host = config
        .get_hosts()
        .first()
        .map(|host| match host {
            tokio_postgres::config::Host::Tcp(name) => name.clone(),
            #[cfg(unix)]
            tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
        })
        .unwrap_or_else(|| "localhost".to_owned());
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let db = config
        .get_dbname()
        .or(config.get_user())
        .unwrap_or_default();
    format!("{host}:{port}/{db}")
}

async fn read_schema(client: &Client, schema: &str) -> Result<Database, Error> {
    let pg = |source| Error::Pg { source };
    let exists = client
        .query_opt(
            "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1",
            &[&schema],
        )
        .await
        .map_err(pg)?;
    if exists.is_none() {
        return Err(Error::NoSuchSchema(schema.to_owned()));
    }

    let mut tables: Vec<Table> = client
        .query(
            "SELECT t.table_name::text, t.table_type::text
             FROM information_schema.tables t
             WHERE t.table_schema = $1
               AND t.table_type IN ('BASE TABLE', 'VIEW', 'FOREIGN')
               AND NOT EXISTS (
                 SELECT 1 FROM pg_catalog.pg_class c
                 JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                 WHERE n.nspname = t.table_schema AND c.relname = t.table_name
                   AND c.relispartition)
             ORDER BY 1",
            &[&schema],
        )
        .await
        .map_err(pg)?
        .into_iter()
        .map(|row| {
            let kind: String = row.get(1);
            Table {
                name: row.get(0),
                kind: if kind == "VIEW" {
                    Kind::View
                } else {
                    Kind::Table
                },
                columns: Vec::new(),
                primary_key: Vec::new(),
                foreign_keys: Vec::new(),
            }
        })
        .collect();
    let find = |tables: &mut Vec<Table>, name: &str| -> Option<usize> {
        tables.iter().position(|t| t.name == name)
    };

    let columns = client
        .query(
            "SELECT c.table_name::text, c.column_name::text, c.udt_name::text,
                    c.data_type::text = 'ARRAY', c.is_nullable::text = 'NO',
                    c.column_default::text, c.is_identity::text = 'YES',
                    c.identity_generation::text = 'ALWAYS', c.is_generated::text = 'ALWAYS'
             FROM information_schema.columns c
             WHERE c.table_schema = $1
             ORDER BY c.table_name, c.ordinal_position",
            &[&schema],
        )
        .await
        .map_err(pg)?;
    for row in columns {
        let table: String = row.get(0);
        let Some(index) = find(&mut tables, &table) else {
            continue;
        };
        let udt: String = row.get(2);
        let is_array: bool = row.get(3);
        let ty = if is_array {
            DbType::Array(udt.strip_prefix('_').unwrap_or(&udt).to_owned())
        } else {
            DbType::Named(udt.clone())
        };
        let numeric = builtin(Dialect::Postgres, &udt).is_some_and(is_numeric);
        let default_text: Option<String> = row.get(5);
        let identity: Option<bool> = row.get(6);
        let always: Option<bool> = row.get(7);
        let generated: Option<bool> = row.get(8);
        let default = if generated == Some(true) {
            Some(Default::Generated)
        } else if identity == Some(true) {
            Some(Default::Identity {
                always: always == Some(true),
            })
        } else {
            default_text.map(|text| {
                if text.starts_with("nextval(") {
                    Default::Sequence
                } else {
                    Default::Expr(defaults::normalize(&text, numeric))
                }
            })
        };
        tables[index].columns.push(Column {
            name: row.get(1),
            ty,
            not_null: row.get::<_, Option<bool>>(4) == Some(true),
            default,
        });
    }

    let keys = client
        .query(
            "SELECT cl.relname::text, a.attname::text
             FROM pg_catalog.pg_constraint con
             JOIN pg_catalog.pg_class cl ON cl.oid = con.conrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = cl.relnamespace
             CROSS JOIN LATERAL unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
             WHERE n.nspname = $1 AND con.contype = 'p'
             ORDER BY cl.relname, k.ord",
            &[&schema],
        )
        .await
        .map_err(pg)?;
    for row in keys {
        let table: String = row.get(0);
        if let Some(index) = find(&mut tables, &table) {
            tables[index].primary_key.push(row.get(1));
        }
    }

    let foreign_keys = client
        .query(
            "SELECT cl.relname::text, con.conname::text, fn.nspname::text, fcl.relname::text,
                    a.attname::text, fa.attname::text
             FROM pg_catalog.pg_constraint con
             JOIN pg_catalog.pg_class cl ON cl.oid = con.conrelid
             JOIN pg_catalog.pg_namespace n ON n.oid = cl.relnamespace
             JOIN pg_catalog.pg_class fcl ON fcl.oid = con.confrelid
             JOIN pg_catalog.pg_namespace fn ON fn.oid = fcl.relnamespace
             CROSS JOIN LATERAL unnest(con.conkey, con.confkey)
                  WITH ORDINALITY AS k(attnum, fattnum, ord)
             JOIN pg_catalog.pg_attribute a
                  ON a.attrelid = con.conrelid AND a.attnum = k.attnum
             JOIN pg_catalog.pg_attribute fa
                  ON fa.attrelid = con.confrelid AND fa.attnum = k.fattnum
             WHERE n.nspname = $1 AND con.contype = 'f'
             ORDER BY cl.relname, con.conname, k.ord",
            &[&schema],
        )
        .await
        .map_err(pg)?;
    let mut current: Option<(String, String, ForeignKey)> = None;
    let mut finished: Vec<(String, ForeignKey)> = Vec::new();
    for row in foreign_keys {
        let (table, constraint): (String, String) = (row.get(0), row.get(1));
        let (target_schema, target): (String, String) = (row.get(2), row.get(3));
        let (from, to): (String, String) = (row.get(4), row.get(5));
        match &mut current {
            Some((t, c, fk)) if *t == table && *c == constraint => {
                fk.columns.push(from);
                fk.target_columns.push(to);
            }
            _ => {
                finished.extend(current.take().map(|(t, _, fk)| (t, fk)));
                let target_table = if target_schema == schema {
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
        if let Some(index) = find(&mut tables, &table) {
            tables[index].foreign_keys.push(fk);
        }
    }

    let enums = read_enums(client, schema).await?;
    Ok(Database { tables, enums })
}

/// The enum types of `schema`, each with its labels in their order.
async fn read_enums(client: &Client, schema: &str) -> Result<Vec<PgEnum>, Error> {
    let rows = client
        .query(
            "SELECT t.typname::text, array_agg(e.enumlabel::text ORDER BY e.enumsortorder)
             FROM pg_catalog.pg_type t
             JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
             JOIN pg_catalog.pg_enum e ON e.enumtypid = t.oid
             WHERE n.nspname = $1
             GROUP BY t.typname
             ORDER BY 1",
            &[&schema],
        )
        .await
        .map_err(|source| Error::Pg { source })?;
    Ok(rows
        .into_iter()
        .map(|row| PgEnum {
            name: row.get(0),
            labels: row.get(1),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_stay_out_of_messages() {
        assert_eq!(
            redact("postgres://me:secret@db.example:5432/app"),
            "postgres://me:***@db.example:5432/app"
        );
        assert_eq!(
            redact("postgres://me@db.example/app"),
            "postgres://me@db.example/app"
        );
        assert_eq!(redact("postgres://db/app?x=@"), "postgres://db/app?x=@");
    }
}
