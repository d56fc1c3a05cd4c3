#!/usr/bin/env python3
"""Times `cargo check` of a program with a 60-table schema connected by
references and one query joining N of the tables, for N in 1, 4, 8 (and
an 8-join chain that mixes inner and outer joins). Run from the repository
root: `python3 scripts/join_check_time.py`. Prints seconds per variant."""

import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
TABLES = 60


def schema() -> str:
    out = ["quarry::table! {"]
    for i in range(TABLES):
        out.append(f"    t{i} (id) {{")
        out.append("        id -> Integer,")
        out.append("        name -> Text,")
        out.append("        score -> Nullable<BigInt>,")
        if i > 0:
            out.append(f"        prev_id -> Integer references t{i - 1}(id),")
        if i >= 30:
            out.append(f"        twin_id -> Nullable<Integer> references t{i - 30}(id),")
        out.append("    }")
    out.append("}")
    return "\n".join(out)


def query(joins: int) -> str:
    kinds = ["inner_join", "left_join", "inner_join", "left_join"]
    chain = "t0::table"
    for k in range(1, joins + 1):
        chain += f"\n        .{kinds[k % len(kinds)]}(t{k}::table)"
    cols = ", ".join(f"t{k}::name" for k in range(0, min(joins, 11) + 1))
    return f"""
    let q = {chain}
        .filter(t0::id.gt(0))
        .select(({cols},));
    let _ = quarry::debug_query::<quarry::Sqlite, _>(q).sql();
"""


def main() -> None:
    target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target", "join-check"))
    with tempfile.TemporaryDirectory() as tmp:
        os.makedirs(os.path.join(tmp, "src"))
        with open(os.path.join(tmp, "Cargo.toml"), "w") as f:
            f.write(
                "[package]\nname = \"join_check\"\nversion = \"0.0.0\"\nedition = \"2024\"\n"
                "[workspace]\n"
                f"[dependencies]\nquarry = {{ path = \"{ROOT}\" }}\n"
            )
        results = []
        for joins in [0, 1, 4, 8]:
            body = query(joins) if joins else "    let _ = t0::table;\n"
            with open(os.path.join(tmp, "src", "main.rs"), "w") as f:
                f.write("#![allow(dead_code, unused_imports)]\nuse quarry::prelude::*;\n\n")
                f.write(schema())
                f.write("\n\nfn main() {\n" + body + "}\n")
            env = dict(os.environ, CARGO_TARGET_DIR=target)
            # Warm the dependencies, then time this crate alone.
            subprocess.run(["cargo", "check", "-q"], cwd=tmp, env=env, check=True)
            os.utime(os.path.join(tmp, "src", "main.rs"))
            start = time.monotonic()
            subprocess.run(["cargo", "check", "-q"], cwd=tmp, env=env, check=True)
            checked = time.monotonic() - start
            # A build also evaluates the SQL constants.
            subprocess.run(["cargo", "build", "-q"], cwd=tmp, env=env, check=True)
            os.utime(os.path.join(tmp, "src", "main.rs"))
            start = time.monotonic()
            subprocess.run(["cargo", "build", "-q"], cwd=tmp, env=env, check=True)
            results.append((joins, checked, time.monotonic() - start))
        for joins, checked, built in results:
            label = "schema only" if joins == 0 else f"{joins} join(s)"
            print(f"{TABLES} tables, {label}: cargo check {checked:.2f} s, cargo build {built:.2f} s")


if __name__ == "__main__":
    sys.exit(main())
