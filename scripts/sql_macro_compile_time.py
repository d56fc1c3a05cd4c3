#!/usr/bin/env python3
"""Compile time of `sql!` against the DSL: the same 100 queries, written
once with `quarry::sql!` and once with the DSL, in two scratch crates over
one 20-table schema. Each query's SQL text is taken with `const_sql!`, so
the check includes the type checking of the whole query.

Run from the repository root: `python3 scripts/sql_macro_compile_time.py`
(`--rounds N` to repeat, `--verify` to also build and run a program that
asserts every `sql!` gives the DSL's text). Prints seconds per variant and
the ratio, each `cargo check` timed in the same run, alternating."""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
TABLES = 20
QUERIES = 100


def schema() -> str:
    out = ["quarry::table! {"]
    for i in range(TABLES):
        out.append(f"    t{i} (id) {{")
        out.append("        id -> Integer,")
        out.append("        name -> Text,")
        out.append("        score -> Nullable<BigInt>,")
        out.append("        views -> Integer,")
        if i > 0:
            out.append(f"        prev_id -> Integer references t{i - 1}(id),")
        else:
            out.append("        prev_id -> Integer,")
        out.append("    }")
    out.append("}")
    return "\n".join(out)


def query(n: int) -> tuple[str, str]:
    """The n-th query as (sql!, DSL)."""
    i = n % TABLES
    j = (i + 1) % TABLES
    a, b = f"t{i}", f"t{j}"
    shape = n % 5
    if shape == 0:
        return (
            f'quarry::sql!("SELECT id, name FROM {a} WHERE views > {{min}} AND name LIKE \'a%\' ORDER BY id DESC LIMIT 10")',
            f'{a}::table.filter({a}::views.gt(min).and({a}::name.like("a%"))).select(({a}::id, {a}::name)).order({a}::id.desc()).limit(10)',
        )
    if shape == 1:
        return (
            f'quarry::sql!("SELECT x.name, y.name FROM {a} x JOIN {b} y ON y.prev_id = x.id WHERE x.views >= {{min}}")',
            f"{a}::table.inner_join({b}::table.on({b}::prev_id.eq({a}::id))).filter({a}::views.ge(min)).select(({a}::name, {b}::name))",
        )
    if shape == 2:
        return (
            f'quarry::sql!("SELECT prev_id, COUNT(*), SUM(views) FROM {a} GROUP BY prev_id HAVING COUNT(*) > 1 ORDER BY prev_id")',
            f"{a}::table.group_by({a}::prev_id).select(({a}::prev_id, count_star(), sum({a}::views))).having(count_star().gt(1)).order({a}::prev_id)",
        )
    if shape == 3:
        return (
            f'quarry::sql!("SELECT x.id, y.score FROM {a} x LEFT JOIN {b} y ON y.prev_id = x.id WHERE y.score IS NULL OR y.views < {{min}} ORDER BY x.id")',
            f"{a}::table.left_join({b}::table.on({b}::prev_id.eq({a}::id))).filter({b}::score.is_null().or({b}::views.lt(min))).select(({a}::id, {b}::score)).order({a}::id)",
        )
    return (
        f'quarry::sql!("SELECT name FROM {a} WHERE id IN (SELECT prev_id FROM {b} WHERE views < {{min}}) ORDER BY name")',
        f"{a}::table.filter({a}::id.eq_any({b}::table.filter({b}::views.lt(min)).select({b}::prev_id))).select({a}::name).order({a}::name)",
    )


def program(which: str) -> str:
    out = [
        "#![allow(dead_code, unused_imports, unused_variables)]",
        "use quarry::prelude::*;",
        "use quarry::expression::{count_star, sum};",
        "",
        schema(),
        "",
    ]
    for n in range(QUERIES):
        sql, dsl = query(n)
        if which == "verify":
            out.append(f"fn q{n}(min: i32) {{")
            out.append(f"    assert_eq!(quarry::const_sql!(Sqlite, {sql}), quarry::const_sql!(Sqlite, {dsl}));")
            out.append(f"    assert_eq!(quarry::const_sql!(Pg, {sql}), quarry::const_sql!(Pg, {dsl}));")
            out.append("}")
        else:
            body = sql if which == "sql" else dsl
            out.append(f"fn q{n}(min: i32) -> &'static str {{")
            out.append(f"    quarry::const_sql!(Sqlite, {body})")
            out.append("}")
    out.append("fn main() {")
    for n in range(QUERIES):
        out.append(f"    q{n}({n});")
    out.append("}")
    return "\n".join(out) + "\n"


def make_crate(tmp: str, name: str, which: str) -> str:
    path = os.path.join(tmp, name)
    os.makedirs(os.path.join(path, "src"))
    with open(os.path.join(path, "Cargo.toml"), "w") as f:
        f.write(
            f'[package]\nname = "{name}"\nversion = "0.0.0"\nedition = "2024"\n'
            "[workspace]\n"
            f'[dependencies]\nquarry = {{ path = "{ROOT}" }}\n'
        )
    with open(os.path.join(path, "src", "main.rs"), "w") as f:
        f.write(program(which))
    return path


def check(path: str, env: dict) -> float:
    os.utime(os.path.join(path, "src", "main.rs"))
    start = time.monotonic()
    subprocess.run(["cargo", "check", "-q"], cwd=path, env=env, check=True)
    return time.monotonic() - start


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--verify", action="store_true")
    args = parser.parse_args()
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target", "sql-macro-check"))
    env = dict(os.environ, CARGO_TARGET_DIR=target)
    with tempfile.TemporaryDirectory() as tmp:
        if args.verify:
            path = make_crate(tmp, "sql_macro_verify", "verify")
            subprocess.run(["cargo", "run", "-q"], cwd=path, env=env, check=True)
            print(f"verified: {QUERIES} sql! queries give the DSL's SQL text on both dialects")
        crates = {which: make_crate(tmp, f"sql_macro_ct_{which}", which) for which in ["dsl", "sql"]}
        # Warm the dependencies, then time each crate alone, alternating.
        for path in crates.values():
            subprocess.run(["cargo", "check", "-q"], cwd=path, env=env, check=True)
        times: dict[str, list[float]] = {"dsl": [], "sql": []}
        for _ in range(args.rounds):
            for which, path in crates.items():
                times[which].append(check(path, env))
        dsl = statistics.median(times["dsl"])
        sql = statistics.median(times["sql"])
        for which, label in [("dsl", "DSL "), ("sql", "sql!")]:
            runs = ", ".join(f"{t:.2f}" for t in times[which])
            print(f"{QUERIES} queries, {label}: cargo check median {statistics.median(times[which]):.2f} s ({runs})")
        print(f"sql! / DSL: {sql / dsl:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
