//! Declared parameter types: statements prepared with the types quarry's
//! DSL knows, so the server infers nothing.

mod pg_common;

use quarry_runtime::{Error, ParamType, TypedSql, Value};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn declared_types_replace_inference() {
    let Some(db) = pg_common::setup("typed_binds").await else {
        return;
    };
    let conn = db.connect().await;

    // Inferred, `$1` in a select list is text: an i64 does not bind.
    let inferred = conn.query_static("SELECT $1", &[Value::BigInt(5)]).await;
    assert!(
        matches!(inferred, Err(Error::Bind { index: 1, .. })),
        "{inferred:?}"
    );

    // Declared, it is a bigint.
    const SELECT_BIGINT: TypedSql = TypedSql::new("SELECT $1", &[ParamType::BigInt]);
    let rows = conn
        .query_static(SELECT_BIGINT, &[Value::BigInt(5)])
        .await
        .unwrap();
    assert_eq!(rows[0].get::<_, i64>(0), 5);

    // The same text with other types is another cached statement: three,
    // with the inferred one.
    const SELECT_BOOL: TypedSql = TypedSql::new("SELECT $1", &[ParamType::Bool]);
    let rows = conn
        .query_static(SELECT_BOOL, &[Value::Bool(true)])
        .await
        .unwrap();
    assert!(rows[0].get::<_, bool>(0));
    assert_eq!(conn.cached_statements(), 3);

    // `SUM` of a CASE of two binds: inferred as text, `sum(text)` fails.
    const SUM_CASE: &str =
        "SELECT SUM(CASE WHEN g > 1 THEN $1 ELSE $2 END) FROM generate_series(1, 3) AS g";
    let inferred = conn
        .query_raw(SUM_CASE, &[Value::Int(1), Value::Int(0)])
        .await;
    let message = format!("{:?}", inferred.unwrap_err());
    assert!(message.contains("sum(text)"), "{message}");
    let rows = conn
        .query_raw_typed(
            SUM_CASE,
            &[ParamType::Int, ParamType::Int],
            &[Value::Int(1), Value::Int(0)],
        )
        .await
        .unwrap();
    assert_eq!(rows[0].get::<_, i64>(0), 2);

    // A NULL and an empty list keep their declared types.
    let rows = conn
        .query_raw_typed(
            "SELECT $1::text IS NULL, cardinality($2)",
            &[ParamType::Int, ParamType::Array(&ParamType::Numeric)],
            &[Value::Null, Value::List(vec![])],
        )
        .await
        .unwrap();
    assert!(rows[0].get::<_, bool>(0));
    assert_eq!(rows[0].get::<_, i32>(1), 0);

    // Types left to the server are inferred, as before.
    let rows = conn
        .query_raw_typed(
            "SELECT $1::jsonb ->> 'a', $2 + 1",
            &[ParamType::Json],
            &[Value::Text(r#"{"a": "b"}"#), Value::Int(41)],
        )
        .await
        .unwrap();
    assert_eq!(rows[0].get::<_, &str>(0), "b");
    assert_eq!(rows[0].get::<_, i32>(1), 42);
}
