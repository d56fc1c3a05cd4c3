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

use printed::{accounts, extras, sql_types};
use quarry::types::{Interval, IpNetwork};

#[derive(quarry::SqlEnum, Debug, Clone, Copy, PartialEq)]
#[sql(sql_type = sql_types::Mood, rename_all = "snake_case")]
enum Mood {
    Happy,
    #[sql(rename = "so-so")]
    SoSo,
    VerySad,
}

/// A type quarry has no Rust type for, in its text form: the hint
/// print-schema's marker doc gives, followed.
macro_rules! text_form {
    ($($name:ident: $marker:ty;)*) => {$(
        #[derive(Debug, Clone, PartialEq)]
        struct $name(&'static str);
        impl SqlValue for $name {
            type SqlType = $marker;
            fn encode(&self) -> Value<'_> {
                Value::Text(self.0)
            }
            fn decode(_: SqlRaw<'_>) -> Option<Self> {
                None
            }
        }
        quarry::impl_sql_value!($name);
    )*};
}

text_form! {
    Money: sql_types::Money;
    Range: sql_types::Int4range;
    TimeTz: sql_types::Timetz;
    Bits: sql_types::Bit;
    Xml: sql_types::Xml;
}

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
            Interval,
            IpNetwork,
            Vec<Option<String>>,
        )> = accounts::table
            .filter(
                accounts::address
                    .eq("10.0.0.0/8".parse::<IpNetwork>().unwrap())
                    .or(accounts::mood.eq(Mood::SoSo)),
            )
            .select((
                accounts::id,
                accounts::mood,
                accounts::settings,
                accounts::idle,
                accounts::address,
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
        let day_and_two_hours = Interval {
            months: 0,
            days: 1,
            microseconds: 2 * 3_600_000_000,
        };
        assert_eq!(rows[0].3, day_and_two_hours);
        assert_eq!(rows[0].4, "192.168.0.1/32".parse().unwrap());
        assert_eq!(rows[0].5, [Some("a".to_owned()), Some("b".to_owned())]);
        assert_eq!(rows[1].1, Mood::Happy);
        assert_eq!(rows[1].4, "10.0.0.0/8".parse().unwrap());
        let idle: Vec<i32> = accounts::table
            .filter(accounts::idle.eq(day_and_two_hours))
            .select(accounts::id)
            .load_async(conn)
            .await?;
        assert_eq!(idle, [1]);
        // An array of the enum: loaded, and filtered with `@>`.
        use quarry::pg::PgArrayExpressionMethods;
        let past: Vec<(i32, Vec<Option<Mood>>)> = accounts::table
            .filter(accounts::past_moods.contains(vec![Mood::Happy]))
            .select((accounts::id, accounts::past_moods))
            .load_async(conn)
            .await?;
        assert_eq!(past, [(1, vec![Some(Mood::Happy)])]);

        // Each marker's hint, followed: written and filtered through a
        // `SqlValue` of the text form, loaded with `.cast::<Text>()`.
        use quarry::sql_types::Text;
        quarry::insert_into(extras::table)
            .values((
                extras::id.eq(3),
                extras::price.eq(Money("7.25")),
                extras::span.eq(Range("[2,4]")),
                extras::at.eq(TimeTz("01:02:03+04")),
                extras::flags.eq(Bits("1111")),
                extras::doc.eq(Xml("<c>3</c>")),
                extras::code.eq("q"),
                extras::net.eq("192.168.0.0/16".parse::<IpNetwork>().unwrap()),
            ))
            .execute_async(conn)
            .await?;
        let loaded: Vec<(
            i32,
            String,
            String,
            String,
            String,
            String,
            String,
            IpNetwork,
        )> = extras::table
            .filter(extras::price.ne(Money("3")))
            .filter(extras::span.ne(Range("empty")))
            .filter(extras::at.ne(TimeTz("00:00:00+00")))
            .filter(extras::flags.ne(Bits("0000")))
            .order(extras::id)
            .select((
                extras::id,
                extras::price.cast::<Text>(),
                extras::span.cast::<Text>(),
                extras::at.cast::<Text>(),
                extras::flags.cast::<Text>(),
                extras::doc.cast::<Text>(),
                extras::code,
                extras::net,
            ))
            .load_async(conn)
            .await?;
        let row = |id,
                   price: &str,
                   span: &str,
                   at: &str,
                   bits: &str,
                   doc: &str,
                   code: &str,
                   net: &str| {
            (
                id,
                price.to_owned(),
                span.to_owned(),
                at.to_owned(),
                bits.to_owned(),
                doc.to_owned(),
                code.to_owned(),
                net.parse::<IpNetwork>().unwrap(),
            )
        };
        assert_eq!(
            loaded,
            [
                row(
                    1,
                    "$12.50",
                    "[1,5)",
                    "10:00:00+02",
                    "1010",
                    "<a>1</a>",
                    "ab ",
                    "10.0.0.0/8"
                ),
                row(
                    3,
                    "$7.25",
                    "[2,5)",
                    "01:02:03+04",
                    "1111",
                    "<c>3</c>",
                    "q  ",
                    "192.168.0.0/16"
                ),
            ]
        );
        // `xml` has no `=`: its filter compares the text.
        let docs: Vec<i32> = extras::table
            .filter(extras::doc.cast::<Text>().eq("<b/>"))
            .select(extras::id)
            .load_async(conn)
            .await?;
        assert_eq!(docs, [2]);
        Ok::<(), quarry::Error>(())
    }
    .await;
    schema.drop_schema().await;
    result.unwrap();
}

// JSON paths: `#>` and `#>>` on PostgreSQL, `->` with a path and a
// `json_tree` walk on SQLite.

use quarry::pg::{JsonPath, JsonPathMethods};

#[test]
fn json_path_sql_on_both_backends() {
    let q = || {
        prefs::table
            .filter(prefs::settings.json_path_text(["theme"]).eq("dark"))
            .select(prefs::settings.json_path(JsonPath::new().key("sizes").index(1)))
    };
    assert_eq!(
        quarry::debug_query::<quarry::Sqlite, _>(q()).sql(),
        r#"SELECT "prefs"."settings" -> ? FROM "prefs" WHERE ((SELECT CASE "type" WHEN 'true' THEN 'true' WHEN 'false' THEN 'false' ELSE CAST("value" AS TEXT) END FROM json_tree("prefs"."settings", ?) WHERE "parent" IS NULL)) = ?"#
    );
    assert_eq!(
        quarry::debug_query::<quarry::Pg, _>(q()).sql(),
        r#"SELECT "prefs"."settings" #> $1 FROM "prefs" WHERE ("prefs"."settings" #>> $2) = $3"#
    );
}

two_backends! {
    reason = "JSON paths (`#>`, `#>>`) do not compile for MariaDB yet";
    async fn json_paths_agree(db) {
        db.batch(
            "CREATE TABLE prefs (id INTEGER PRIMARY KEY, settings TEXT NOT NULL, extra TEXT)",
            "CREATE TABLE prefs (id INTEGER PRIMARY KEY, settings JSONB NOT NULL, extra JSON)",
        )
        .await?;
        for (id, doc) in [
            (1, serde_json::json!({"theme": "dark", "width": 80, "big": true, "sizes": [10, 12], "o": {"k": null}})),
            (2, serde_json::json!({"theme": "light", "width": 100.5, "big": false, "sizes": []})),
        ] {
            db.run(quarry::insert_into(prefs::table).values((prefs::id.eq(id), prefs::settings.eq(doc))))
                .await?;
        }
        let texts: Vec<(Option<String>, Option<String>, Option<String>, Option<String>, Option<String>)> = db
            .load(
                prefs::table.order(prefs::id).select((
                    prefs::settings.json_path_text(["theme"]),
                    prefs::settings.json_path_text(["width"]),
                    prefs::settings.json_path_text(["big"]),
                    prefs::settings.json_path_text(JsonPath::new().key("sizes").index(1)),
                    prefs::settings.json_path_text(["o", "k"]),
                )),
            )
            .await?;
        let some = |s: &str| Some(s.to_owned());
        assert_eq!(
            texts,
            [
                (some("dark"), some("80"), some("true"), some("12"), None),
                (some("light"), some("100.5"), some("false"), None, None),
            ],
            "on {}",
            db.backend()
        );
        // The same rows for a number compared as text.
        let ids: Vec<i32> = db
            .load(prefs::table.filter(prefs::settings.json_path_text(["width"]).eq("80")).select(prefs::id))
            .await?;
        assert_eq!(ids, [1]);
        let docs: Vec<Option<serde_json::Value>> = db
            .load(prefs::table.order(prefs::id).select(prefs::settings.json_path(["sizes"])))
            .await?;
        assert_eq!(docs, [Some(serde_json::json!([10, 12])), Some(serde_json::json!([]))]);
        let missing: Vec<Option<serde_json::Value>> = db
            .load(prefs::table.order(prefs::id).select(prefs::settings.json_path(["nope", "x"])))
            .await?;
        assert_eq!(missing, [None, None]);
        // A key SQLite's paths cannot spell fails loudly there.
        let odd = db
            .load::<_, Option<String>>(prefs::table.select(prefs::settings.json_path_text(["a\"b"])))
            .await;
        assert_eq!(odd.is_err(), !db.is_pg(), "{odd:?}");
        Ok(())
    }
}

/// As print-schema prints a `citext` column's type.
#[derive(quarry::SqlType)]
#[sql(postgres_type = "citext")]
pub struct Citext;

#[derive(Debug)]
struct Name(&'static str);
impl SqlValue for Name {
    type SqlType = Citext;
    fn encode(&self) -> Value<'_> {
        Value::Text(self.0)
    }
    fn decode(_: SqlRaw<'_>) -> Option<Self> {
        None
    }
}
quarry::impl_sql_value!(Name);

quarry::table! { handles (id) { id -> Integer, name -> crate::Citext, } }

/// `citext`, an extension: print-schema prints it as a marker like the
/// others; binding through the marker compares case-insensitively, as
/// `citext` does. Run in a database of its own, since an extension is
/// installed database-wide.
#[tokio::test]
async fn a_citext_marker_compares_without_case() {
    let base = common::db::pg_url();
    let Some(slash) = base.rfind('/') else { return };
    let url = format!("{}/quarry_citext", &base[..slash]);
    let conn = match common::db::connect_creating_database(&url).await {
        Ok(conn) => conn,
        Err(e @ (quarry::Error::Connect { .. } | quarry::Error::ConnectionLost { .. })) => {
            println!("skipped: {e}");
            return;
        }
        Err(e) => panic!("{e}"),
    };
    let schema = format!("qt_citext_{}", std::process::id());
    conn.batch_execute(&format!(
        "CREATE EXTENSION IF NOT EXISTS citext SCHEMA public;
         DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema};
         CREATE TABLE {schema}.handles (id INTEGER PRIMARY KEY, name public.citext NOT NULL);
         INSERT INTO {schema}.handles VALUES (1, 'Ada'), (2, 'alan');
         SET search_path = {schema}, public;"
    ))
    .await
    .unwrap();
    let result: Result<Vec<(i32, String)>, quarry::Error> = handles::table
        .filter(handles::name.eq(Name("ADA")))
        .select((handles::id, handles::name.cast::<quarry::sql_types::Text>()))
        .load_async(&conn)
        .await;
    conn.batch_execute(&format!("DROP SCHEMA {schema} CASCADE"))
        .await
        .unwrap();
    assert_eq!(result.unwrap(), [(1, "Ada".to_owned())]);
}
