//! `Json<T>` of a serde struct on both backends, and the schema
//! print-schema writes for a PostgreSQL database with an enum, `jsonb`,
//! `interval`, `inet` and arrays (`schema/tests/snapshots/pg_types.rs`),
//! compiled here and loading real rows.
#![cfg(feature = "serde_json")]
// Row types spelled out as tuples read as the columns they load.
#![allow(clippy::type_complexity)]

mod common;

use common::two_backends;
use quarry::expression::CastExpressionMethods;
use quarry::pg::JsonExpressionMethods;
use quarry::prelude::*;
use quarry::types::{Json, SqlRaw, SqlValue};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
struct Settings {
    theme: String,
    width: u32,
}

quarry::table! {
    prefs (id) {
        id -> Integer,
        settings -> Json,
        extra -> Nullable<Json>,
    }
}

two_backends! {
    reason = "`->` and `->>` on JSON do not compile for MariaDB (its `->>` reads a JSON null as the text null)";
    async fn serde_struct_round_trips(db) {
        db.batch(
            "CREATE TABLE prefs (id INTEGER PRIMARY KEY, settings JSON NOT NULL, extra JSON)",
            "CREATE TABLE prefs (id INTEGER PRIMARY KEY, settings JSONB NOT NULL, extra JSON)",
        )
        .await?;
        let dark = Settings { theme: "dark".into(), width: 80 };
        db.run(quarry::insert_into(prefs::table).values((
            prefs::id.eq(1),
            prefs::settings.eq(Json(&dark)),
            prefs::extra.eq(Some(Json(vec![1, 2]))),
        )))
        .await?;
        db.run(quarry::insert_into(prefs::table).values((
            prefs::id.eq(2),
            prefs::settings.eq(Json(Settings { theme: "light".into(), width: 100 })),
            prefs::extra.eq(None::<Json<Vec<i32>>>),
        )))
        .await?;
        let back: Vec<(Json<Settings>, Option<Json<Vec<i32>>>)> = db
            .load(prefs::table.select((prefs::settings, prefs::extra)).order(prefs::id))
            .await?;
        assert_eq!(back[0], (Json(dark.clone()), Some(Json(vec![1, 2]))));
        assert_eq!(back[1].1, None);
        // `->>` on both backends.
        let ids: Vec<i32> = db
            .load(
                prefs::table
                    .filter(prefs::settings.json_field_text("theme").eq("light"))
                    .select(prefs::id),
            )
            .await?;
        assert_eq!(ids, [2]);
        // `@>` and `?` on PostgreSQL's jsonb.
        if let Some(conn) = db.pg() {
            let ids: Vec<i32> = prefs::table
                .filter(prefs::settings.json_contains(serde_json::json!({"width": 80})))
                .filter(prefs::settings.has_key("theme"))
                .select(prefs::id)
                .load_async(conn)
                .await?;
            assert_eq!(ids, [1]);
        }
        // A document that does not fit the type is a decode error naming the column.
        let err = db
            .load::<_, Json<Vec<String>>>(prefs::table.select(prefs::settings))
            .await
            .unwrap_err();
        match err {
            quarry::Error::Decode { column, found, .. } => {
                assert_eq!(column, "settings");
                assert!(!found.contains("dark"), "{found}");
            }
            other => panic!("{other:?}"),
        }
        Ok(())
    }
}

/// What `quarry print-schema` printed for `schema/tests/fixtures/pg_types.sql`.
mod printed {
    include!("../schema/tests/snapshots/pg_types.rs");
}

use printed::{accounts, sql_types};

#[derive(quarry::SqlEnum, Debug, Clone, Copy, PartialEq)]
#[sql(sql_type = sql_types::Mood, rename_all = "snake_case")]
enum Mood {
    Happy,
    #[sql(rename = "so-so")]
    SoSo,
    VerySad,
}

/// `inet` in its text form, as the marker's doc says.
#[derive(Debug, Clone, PartialEq)]
struct Inet(String);

impl SqlValue for Inet {
    type SqlType = sql_types::Inet;
    fn encode(&self) -> Value<'_> {
        Value::Text(&self.0)
    }
    fn decode(raw: SqlRaw<'_>) -> Option<Self> {
        raw.as_text().map(|s| Inet(s.to_owned()))
    }
}
quarry::impl_sql_value!(Inet);

#[tokio::test]
async fn the_printed_postgres_schema_loads_real_rows() {
    let Some(schema) = common::db::PgSchema::create("printed_pg_types").await else {
        return;
    };
    let result = async {
        let conn = &quarry::pg::Connection::connect(&schema.url).await?;
        conn.batch_execute(include_str!("../schema/tests/fixtures/pg_types.sql"))
            .await?;
        let rows: Vec<(
            i32,
            Mood,
            Json<Settings>,
            String,
            String,
            Vec<Option<String>>,
        )> = accounts::table
            .filter(
                accounts::address
                    .eq(Inet("10.0.0.0/8".into()))
                    .or(accounts::mood.eq(Mood::SoSo)),
            )
            .select((
                accounts::id,
                accounts::mood,
                accounts::settings,
                accounts::idle.cast::<quarry::sql_types::Text>(),
                accounts::address.cast::<quarry::sql_types::Text>(),
                accounts::tags,
            ))
            .order(accounts::id)
            .load_async(conn)
            .await?;
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].1, Mood::SoSo);
        assert_eq!(
            rows[0].2.0,
            Settings {
                theme: "dark".into(),
                width: 80
            }
        );
        assert_eq!(rows[0].3, "1 day 02:00:00");
        assert_eq!(rows[0].4, "192.168.0.1/32");
        assert_eq!(rows[0].5, [Some("a".to_owned()), Some("b".to_owned())]);
        assert_eq!(rows[1].1, Mood::Happy);
        Ok::<(), quarry::Error>(())
    }
    .await;
    schema.drop_schema().await;
    result.unwrap();
}
