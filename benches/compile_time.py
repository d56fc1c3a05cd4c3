#!/usr/bin/env python3
"""Compile time of one program written twice, with quarry and with Diesel.

The program: 50 tables of 12 columns, each referencing the one before it
(and every table from the 11th on also the one ten before), and 100 typed
queries on SQLite: 40 selects, 30 joins (two and three tables, inner and
left), 15 groupings (GROUP BY with COUNT(*)) and 15 inserts. Both versions
are generated into a temporary directory, each with its own target
directory, and measured in the same session, one after the other:

- `cargo build` from an empty target directory (dependencies included);
- `cargo build` of the program alone, its dependencies already built;
- `cargo check` after editing one of the five query files (incremental).

Usage: python3 compile_time.py [--out FILE] [--keep DIR]
Writes the seconds as JSON to FILE (default: target/compile-time.json).
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
QUARRY = os.path.abspath(os.path.join(HERE, ".."))

TABLES = 50
QUERY_FILES = 5
QUERIES_PER_FILE = 20  # 100 queries

# The eleven columns after `id`; the references come first.
# (name, quarry type, diesel type, rust type, sqlite type)
PLAIN = [
    ("name", "Text", "Text", "String", "TEXT NOT NULL"),
    ("code", "Text", "Text", "String", "TEXT NOT NULL"),
    ("note", "Nullable<Text>", "Nullable<Text>", "Option<String>", "TEXT"),
    ("amount", "BigInt", "BigInt", "i64", "INTEGER NOT NULL"),
    ("score", "Integer", "Integer", "i32", "INTEGER NOT NULL"),
    ("ratio", "Double", "Double", "f64", "REAL NOT NULL"),
    ("flag", "Bool", "Bool", "bool", "INTEGER NOT NULL"),
    ("counter", "Nullable<Integer>", "Nullable<Integer>", "Option<i32>", "INTEGER"),
    ("label", "Nullable<Text>", "Nullable<Text>", "Option<String>", "TEXT"),
    ("weight", "Nullable<Double>", "Nullable<Double>", "Option<f64>", "REAL"),
    ("rank", "Integer", "Integer", "i32", "INTEGER NOT NULL"),
]


def columns(i):
    """The 12 columns of table i: (name, quarry, diesel, rust, references)."""
    cols = [("id", "Integer", "Integer", "i32", None)]
    if i > 0:
        cols.append(("prev_id", "Integer", "Integer", "i32", i - 1))
    if i >= 10:
        cols.append(("far_id", "Nullable<Integer>", "Nullable<Integer>", "Option<i32>", i - 10))
    for name, q, d, r, _ in PLAIN:
        if len(cols) == 12:
            break
        cols.append((name, q, d, r, None))
    assert len(cols) == 12
    return cols


def t(i):
    return f"t{i:02}"


def struct(i):
    return f"Row{i:02}"


# ------------------------------------------------------------------ queries
#
# Each query is described once and rendered for both libraries, so the two
# programs ask the same things.


def queries():
    out = []
    for k in range(40):  # selects
        i = (k * 7) % TABLES
        if k % 2 == 0:
            out.append(("select_struct", i))
        else:
            out.append(("select_tuple", i))
    for k in range(30):  # joins
        i = 2 + (k * 11) % (TABLES - 2)
        kind = ["inner2", "left2", "inner3", "far"][k % 4]
        if kind == "far" and i < 10:
            kind = "inner2"
        out.append((kind, i))
    for k in range(15):  # groupings
        i = 1 + (k * 13) % (TABLES - 1)
        out.append(("group", i))
    for k in range(15):  # inserts
        i = (k * 17) % TABLES
        out.append(("insert", i))
    assert len(out) == QUERY_FILES * QUERIES_PER_FILE
    return out


def quarry_query(n, kind, i):
    a, b, c = t(i), t(i - 1) if i > 0 else None, t(i - 2) if i > 1 else None
    conn = "conn: &mut quarry::sqlite::Connection"
    res = "quarry::Result"
    if kind == "select_struct":
        return f"""pub fn q{n}({conn}) -> {res}<Vec<{struct(i)}>> {{
    {a}::table.filter({a}::score.gt(10)).order({a}::id).limit(20).load(conn)
}}"""
    if kind == "select_tuple":
        return f"""pub fn q{n}({conn}) -> {res}<Vec<(i32, String, Option<String>)>> {{
    {a}::table
        .select(({a}::id, {a}::name, {a}::note))
        .filter({a}::name.like("a%").and({a}::amount.lt(1000)))
        .order({a}::name.desc())
        .load(conn)
}}"""
    if kind == "inner2":
        return f"""pub fn q{n}({conn}) -> {res}<Vec<(String, String, i64)>> {{
    {a}::table
        .inner_join({b}::table)
        .select(({a}::name, {b}::name, {b}::amount))
        .filter({b}::score.ge(3))
        .load(conn)
}}"""
    if kind == "left2":
        return f"""pub fn q{n}({conn}) -> {res}<Vec<(i32, Option<String>)>> {{
    {b}::table
        .left_join({a}::table)
        .select(({b}::id, {a}::code))
        .order({b}::id)
        .load(conn)
}}"""
    if kind == "inner3":
        return f"""pub fn q{n}({conn}) -> {res}<Vec<(i32, String, String)>> {{
    {a}::table
        .inner_join({b}::table)
        .inner_join({c}::table)
        .select(({a}::id, {b}::code, {c}::name))
        .filter({c}::flag.eq(true))
        .load(conn)
}}"""
    if kind == "far":
        f = t(i - 10)
        return f"""pub fn q{n}({conn}) -> {res}<Vec<(i32, Option<String>)>> {{
    {a}::table
        .left_join({f}::table)
        .select(({a}::id, {f}::name))
        .load(conn)
}}"""
    if kind == "group":
        return f"""pub fn q{n}({conn}) -> {res}<Vec<(i32, i64)>> {{
    {a}::table
        .group_by({a}::prev_id)
        .select(({a}::prev_id, quarry::expression::count_star()))
        .load(conn)
}}"""
    if kind == "insert":
        return f"""pub fn q{n}({conn}) -> {res}<u64> {{
    let row = {struct(i)} {{ {struct_fields(i)} }};
    quarry::insert_into({a}::table).values(&row).execute(conn)
}}"""
    raise ValueError(kind)


def diesel_query(n, kind, i):
    a, b, c = t(i), t(i - 1) if i > 0 else None, t(i - 2) if i > 1 else None
    conn = "conn: &mut SqliteConnection"
    res = "QueryResult"
    if kind == "select_struct":
        return f"""pub fn q{n}({conn}) -> {res}<Vec<{struct(i)}>> {{
    {a}::table.filter({a}::score.gt(10)).order({a}::id).limit(20).load(conn)
}}"""
    if kind == "select_tuple":
        return f"""pub fn q{n}({conn}) -> {res}<Vec<(i32, String, Option<String>)>> {{
    {a}::table
        .select(({a}::id, {a}::name, {a}::note))
        .filter({a}::name.like("a%").and({a}::amount.lt(1000)))
        .order({a}::name.desc())
        .load(conn)
}}"""
    if kind == "inner2":
        return f"""pub fn q{n}({conn}) -> {res}<Vec<(String, String, i64)>> {{
    {a}::table
        .inner_join({b}::table)
        .select(({a}::name, {b}::name, {b}::amount))
        .filter({b}::score.ge(3))
        .load(conn)
}}"""
    if kind == "left2":
        return f"""pub fn q{n}({conn}) -> {res}<Vec<(i32, Option<String>)>> {{
    {b}::table
        .left_join({a}::table)
        .select(({b}::id, {a}::code.nullable()))
        .order({b}::id)
        .load(conn)
}}"""
    if kind == "inner3":
        return f"""pub fn q{n}({conn}) -> {res}<Vec<(i32, String, String)>> {{
    {a}::table
        .inner_join({b}::table.inner_join({c}::table))
        .select(({a}::id, {b}::code, {c}::name))
        .filter({c}::flag.eq(true))
        .load(conn)
}}"""
    if kind == "far":
        f = t(i - 10)
        return f"""pub fn q{n}({conn}) -> {res}<Vec<(i32, Option<String>)>> {{
    {a}::table
        .left_join({f}::table)
        .select(({a}::id, {f}::name.nullable()))
        .load(conn)
}}"""
    if kind == "group":
        return f"""pub fn q{n}({conn}) -> {res}<Vec<(i32, i64)>> {{
    {a}::table
        .group_by({a}::prev_id)
        .select(({a}::prev_id, diesel::dsl::count_star()))
        .load(conn)
}}"""
    if kind == "insert":
        return f"""pub fn q{n}({conn}) -> {res}<usize> {{
    let row = {struct(i)} {{ {struct_fields(i)} }};
    diesel::insert_into({a}::table).values(&row).execute(conn)
}}"""
    raise ValueError(kind)


def struct_fields(i):
    values = {
        "i32": "1",
        "i64": "2",
        "f64": "0.5",
        "bool": "true",
        "String": '"x".to_owned()',
        "Option<String>": "None",
        "Option<i32>": "None",
        "Option<f64>": "Some(1.5)",
    }
    return ", ".join(f"{name}: {values[rust]}" for name, _, _, rust, _ in columns(i))


# ------------------------------------------------------------------ files


def quarry_schema():
    out = ["//! 50 tables, each referencing the one before.\n", "quarry::table! {"]
    for i in range(TABLES):
        out.append(f"    {t(i)} (id) {{")
        for name, q, _, _, ref in columns(i):
            refs = f" references {t(ref)}(id)" if ref is not None else ""
            out.append(f"        {name} -> {q}{refs},")
        out.append("    }")
    out.append("}")
    return "\n".join(out) + "\n"


def diesel_schema():
    out = ["//! 50 tables, each referencing the one before.\n"]
    for i in range(TABLES):
        out.append("diesel::table! {")
        out.append(f"    {t(i)} (id) {{")
        for name, _, d, _, _ in columns(i):
            out.append(f"        {name} -> {d},")
        out.append("    }")
        out.append("}")
    for i in range(1, TABLES):
        out.append(f"diesel::joinable!({t(i)} -> {t(i - 1)} (prev_id));")
    # Diesel allows one `joinable!` per pair of tables; `far_id` pairs
    # are different ones.
    for i in range(10, TABLES):
        out.append(f"diesel::joinable!({t(i)} -> {t(i - 10)} (far_id));")
    names = ", ".join(t(i) for i in range(TABLES))
    out.append(f"diesel::allow_tables_to_appear_in_same_query!({names});")
    return "\n".join(out) + "\n"


def models(lib):
    out = ["//! One row struct per table: loads a whole row, inserts one.\n"]
    if lib == "quarry":
        out.append("use crate::schema::*;\n")
    else:
        out.append("use crate::schema::*;\nuse diesel::prelude::*;\n")
    for i in range(TABLES):
        if lib == "quarry":
            out.append("#[derive(quarry::Queryable, quarry::Insertable, Debug)]")
            out.append(f"#[quarry(table = {t(i)})]")
        else:
            out.append("#[derive(Queryable, Insertable, Debug)]")
            out.append(f"#[diesel(table_name = {t(i)}, treat_none_as_default_value = false)]")
        out.append(f"pub struct {struct(i)} {{")
        for name, _, _, rust, _ in columns(i):
            out.append(f"    pub {name}: {rust},")
        out.append("}\n")
    return "\n".join(out)


def query_file(lib, k, qs):
    if lib == "quarry":
        head = "use crate::models::*;\nuse crate::schema::*;\nuse quarry::prelude::*;\n"
        render = quarry_query
        conn = "quarry::sqlite::Connection"
    else:
        head = (
            "use crate::models::*;\nuse crate::schema::*;\nuse diesel::prelude::*;\n"
            "use diesel::sqlite::SqliteConnection;\n"
        )
        render = diesel_query
        conn = "SqliteConnection"
    out = [f"//! Queries {k * QUERIES_PER_FILE} to {(k + 1) * QUERIES_PER_FILE - 1}.\n", head]
    calls = []
    for n, (kind, i) in qs:
        out.append(render(n, kind, i))
        out.append("")
        calls.append(f"    let _ = q{n}(conn);")
    out.append(f"pub fn run_all(conn: &mut {conn}) {{")
    out.extend(calls)
    out.append("}")
    return "\n".join(out) + "\n"


def main_rs(lib):
    mods = "".join(f"mod q{k};\n" for k in range(QUERY_FILES))
    calls = "".join(f"    q{k}::run_all(&mut conn);\n" for k in range(QUERY_FILES))
    if lib == "quarry":
        open_conn = "quarry::sqlite::Connection::open_in_memory().unwrap()"
    else:
        open_conn = (
            "<diesel::sqlite::SqliteConnection as diesel::Connection>::establish(\":memory:\").unwrap()"
        )
    return (
        "//! Generated by benches/compile_time.py: the same 100 queries in quarry and Diesel.\n"
        "#![allow(dead_code, clippy::all)]\n\n"
        f"mod models;\nmod schema;\n{mods}\n"
        f"fn main() {{\n    let mut conn = {open_conn};\n{calls}}}\n"
    )


def cargo_toml(lib):
    if lib == "quarry":
        deps = f'quarry = {{ path = "{QUARRY}" }}\n'
    else:
        # Bundled SQLite, as quarry's rusqlite: both builds compile it.
        deps = (
            'diesel = { version = "2.3", features = ["sqlite"] }\n'
            'libsqlite3-sys = { version = "0.37", features = ["bundled"] }\n'
        )
    return (
        f'[package]\nname = "gen_{lib}"\nversion = "0.0.0"\nedition = "2024"\n\n'
        f"[workspace]\n\n[dependencies]\n{deps}"
    )


def write_program(root, lib):
    src = os.path.join(root, "src")
    os.makedirs(src)
    files = {
        "Cargo.toml": cargo_toml(lib),
        "src/main.rs": main_rs(lib),
        "src/schema.rs": quarry_schema() if lib == "quarry" else diesel_schema(),
        "src/models.rs": models(lib),
    }
    qs = list(enumerate(queries()))
    for k in range(QUERY_FILES):
        part = qs[k * QUERIES_PER_FILE : (k + 1) * QUERIES_PER_FILE]
        files[f"src/q{k}.rs"] = query_file(lib, k, part)
    for name, text in files.items():
        with open(os.path.join(root, name), "w") as f:
            f.write(text)


def cargo(root, *args):
    """Runs cargo in `root`, returning the wall-clock seconds."""
    env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(root, "target"))
    env.pop("RUSTFLAGS", None)
    start = time.monotonic()
    done = subprocess.run(["cargo", *args], cwd=root, env=env, capture_output=True, text=True)
    seconds = time.monotonic() - start
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-20000:])
        raise SystemExit(f"cargo {' '.join(args)} failed in {root}")
    return seconds


def measure(root, lib, repeats):
    name = f"gen_{lib}"
    result = {}
    cargo(root, "fetch", "-q")
    shutil.rmtree(os.path.join(root, "target"), ignore_errors=True)
    result["clean_build"] = cargo(root, "build", "-q", "--offline")
    alone = []
    for _ in range(repeats):
        cargo(root, "clean", "-q", "-p", name, "--offline")
        alone.append(cargo(root, "build", "-q", "--offline"))
    result["crate_build"] = sorted(alone)[len(alone) // 2]
    cargo(root, "check", "-q", "--offline")
    touched = []
    for r in range(repeats):
        with open(os.path.join(root, "src", "q2.rs"), "a") as f:
            f.write(f"// edit {r}\n")
        touched.append(cargo(root, "check", "-q", "--offline"))
    result["check_after_edit"] = sorted(touched)[len(touched) // 2]
    result["repeats"] = repeats
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(HERE, "target", "compile-time.json"))
    parser.add_argument("--keep", help="generate the programs into this directory and keep them")
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()

    tmp = args.keep or tempfile.mkdtemp(prefix="quarry-compile-time-")
    results = {}
    try:
        for lib in ["quarry", "diesel"]:
            root = os.path.join(tmp, lib)
            shutil.rmtree(root, ignore_errors=True)
            write_program(root, lib)
        for lib in ["quarry", "diesel"]:
            print(f"compile time: {lib}...", flush=True)
            results[lib] = measure(os.path.join(tmp, lib), lib, args.repeats)
            print(f"  {results[lib]}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    results["tables"] = TABLES
    results["queries"] = QUERY_FILES * QUERIES_PER_FILE
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
