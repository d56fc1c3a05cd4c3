//! A chain of 8 joins over 9 tables, mixing inner and outer joins: every
//! join follows its one declared reference, and nullability follows the
//! outer joins down the chain.

use quarry::prelude::*;

quarry::table! {
    t_a (id) {
        id -> Integer,
        label -> Text,
    }
    t_b (id) {
        id -> Integer,
        prev_id -> Integer references t_a(id),
        label -> Text,
    }
    t_c (id) {
        id -> Integer,
        prev_id -> Integer references t_b(id),
        label -> Text,
    }
    t_d (id) {
        id -> Integer,
        prev_id -> Integer references t_c(id),
        label -> Text,
    }
    t_e (id) {
        id -> Integer,
        prev_id -> Integer references t_d(id),
        label -> Text,
    }
    t_f (id) {
        id -> Integer,
        prev_id -> Integer references t_e(id),
        label -> Text,
    }
    t_g (id) {
        id -> Integer,
        prev_id -> Integer references t_f(id),
        label -> Text,
    }
    t_h (id) {
        id -> Integer,
        prev_id -> Integer references t_g(id),
        label -> Text,
    }
    t_i (id) {
        id -> Integer,
        prev_id -> Integer references t_h(id),
        label -> Text,
    }
}

const DDL: &str = "CREATE TABLE t_a (id INTEGER PRIMARY KEY, label TEXT NOT NULL);
CREATE TABLE t_b (id INTEGER PRIMARY KEY, prev_id INTEGER NOT NULL REFERENCES t_a(id), label TEXT NOT NULL);
CREATE TABLE t_c (id INTEGER PRIMARY KEY, prev_id INTEGER NOT NULL REFERENCES t_b(id), label TEXT NOT NULL);
CREATE TABLE t_d (id INTEGER PRIMARY KEY, prev_id INTEGER NOT NULL REFERENCES t_c(id), label TEXT NOT NULL);
CREATE TABLE t_e (id INTEGER PRIMARY KEY, prev_id INTEGER NOT NULL REFERENCES t_d(id), label TEXT NOT NULL);
CREATE TABLE t_f (id INTEGER PRIMARY KEY, prev_id INTEGER NOT NULL REFERENCES t_e(id), label TEXT NOT NULL);
CREATE TABLE t_g (id INTEGER PRIMARY KEY, prev_id INTEGER NOT NULL REFERENCES t_f(id), label TEXT NOT NULL);
CREATE TABLE t_h (id INTEGER PRIMARY KEY, prev_id INTEGER NOT NULL REFERENCES t_g(id), label TEXT NOT NULL);
CREATE TABLE t_i (id INTEGER PRIMARY KEY, prev_id INTEGER NOT NULL REFERENCES t_h(id), label TEXT NOT NULL);
INSERT INTO t_a VALUES (1, 'a1'), (2, 'a2');
INSERT INTO t_b VALUES (1, 1, 'b1'), (2, 2, 'b2');
INSERT INTO t_c VALUES (1, 1, 'c1'), (2, 2, 'c2');
INSERT INTO t_d VALUES (1, 1, 'd1'), (2, 2, 'd2');
INSERT INTO t_e VALUES (1, 1, 'e1');
INSERT INTO t_f VALUES (1, 1, 'f1');
INSERT INTO t_g VALUES (1, 1, 'g1');
INSERT INTO t_h VALUES (1, 1, 'h1'), (2, 1, 'h2');
INSERT INTO t_i VALUES (1, 1, 'i1'), (2, 2, 'i2');";

#[test]
fn an_eight_join_chain_mixing_inner_and_outer_joins() {
    let mut db = quarry::sqlite::Connection::open_in_memory().unwrap();
    db.execute_batch(DDL).unwrap();
    // t_e has no row 2, so the chain breaks there for id 2: the inner joins
    // before it keep both rows, the left joins after it come back NULL.
    type Row = (
        String,
        String,
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
        Option<String>,
    );
    let rows: Vec<Row> = t_a::table
        .inner_join(t_b::table)
        .inner_join(t_c::table)
        .inner_join(t_d::table)
        .left_join(t_e::table)
        .left_join(t_f::table)
        .left_join(t_g::table)
        .inner_join(t_h::table.on(t_h::id.eq(t_a::id)))
        .left_join(t_i::table)
        .select((
            t_a::label,
            t_b::label,
            t_c::label,
            t_d::label,
            t_e::label,
            t_f::label,
            t_g::label,
            t_h::label,
            t_i::label,
        ))
        .order(t_a::id)
        .load(&mut db)
        .unwrap();
    let s = |v: &str| v.to_owned();
    let o = |v: &str| Some(v.to_owned());
    assert_eq!(
        rows,
        [
            (
                s("a1"),
                s("b1"),
                s("c1"),
                s("d1"),
                o("e1"),
                o("f1"),
                o("g1"),
                s("h1"),
                o("i1")
            ),
            (
                s("a2"),
                s("b2"),
                s("c2"),
                s("d2"),
                None,
                None,
                None,
                s("h2"),
                o("i2")
            ),
        ]
    );

    const SQL: &str = quarry::const_sql!(
        Pg,
        t_a::table
            .inner_join(t_b::table)
            .left_join(t_c::table)
            .right_join(t_d::table)
            .full_join(t_e::table)
            .select((t_a::id, t_e::id))
    );
    assert_eq!(
        SQL,
        r#"SELECT "t_a"."id", "t_e"."id" FROM "t_a" INNER JOIN "t_b" ON "t_b"."prev_id" = "t_a"."id" LEFT JOIN "t_c" ON "t_c"."prev_id" = "t_b"."id" RIGHT JOIN "t_d" ON "t_d"."prev_id" = "t_c"."id" FULL JOIN "t_e" ON "t_e"."prev_id" = "t_d"."id""#
    );
}

#[test]
fn right_and_full_joins_make_earlier_tables_nullable() {
    let mut db = quarry::sqlite::Connection::open_in_memory().unwrap();
    db.execute_batch(DDL).unwrap();
    let rows: Vec<(Option<i32>, i32)> = t_d::table
        .right_join(t_e::table)
        .select((t_d::id, t_e::id))
        .load(&mut db)
        .unwrap();
    assert_eq!(rows, [(Some(1), 1)]);
    let rows: Vec<(Option<i32>, Option<i32>)> = t_d::table
        .full_join(t_e::table)
        .select((t_d::id, t_e::id))
        .order(t_d::id)
        .load(&mut db)
        .unwrap();
    assert_eq!(rows, [(Some(1), Some(1)), (Some(2), None)]);
}
