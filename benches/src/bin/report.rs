//! Writes `docs/benchmarks.md` and `docs/benchmarks.svg` from one run of
//! the benchmarks: criterion's estimates under `CRITERION_HOME` (default
//! `benches/target/criterion`), the notes the run recorded (`BENCH_NOTES`,
//! default `benches/target/notes.tsv`), the compile-time measurements
//! (`benches/target/compile-time.json`) and `benches/findings.md`.
//!
//! `benches/run.sh` runs everything and then this; it fails when a
//! benchmark has no result, so a report never mixes runs.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// One library on one backend, as the benchmarks name it.
struct Lib {
    /// criterion's function id, such as `sqlite/quarry`.
    id: &'static str,
    /// The column heading.
    name: &'static str,
    /// The raw driver it is compared with (its own id for a raw driver).
    raw: &'static str,
    /// Drawn in the chart, in this colour.
    colour: Option<&'static str>,
}

const SQLITE: &[Lib] = &[
    Lib {
        id: "sqlite/rusqlite",
        name: "rusqlite",
        raw: "sqlite/rusqlite",
        colour: None,
    },
    Lib {
        id: "sqlite/quarry",
        name: "quarry",
        raw: "sqlite/rusqlite",
        colour: Some("#d1495b"),
    },
    Lib {
        id: "sqlite/diesel",
        name: "Diesel",
        raw: "sqlite/rusqlite-rivals",
        colour: Some("#2e6f9e"),
    },
    Lib {
        id: "sqlite/sqlx",
        name: "SQLx",
        raw: "sqlite/rusqlite-rivals",
        colour: Some("#8d6cab"),
    },
    Lib {
        id: "sqlite/rusqlite-rivals",
        name: "rusqlite²",
        raw: "sqlite/rusqlite-rivals",
        colour: None,
    },
];

const PG: &[Lib] = &[
    Lib {
        id: "pg/tokio-postgres",
        name: "tokio-postgres",
        raw: "pg/tokio-postgres",
        colour: None,
    },
    Lib {
        id: "pg/quarry",
        name: "quarry",
        raw: "pg/tokio-postgres",
        colour: Some("#d1495b"),
    },
    Lib {
        id: "pg/diesel",
        name: "Diesel",
        raw: "pg/tokio-postgres",
        colour: Some("#2e6f9e"),
    },
    Lib {
        id: "pg/diesel-async",
        name: "diesel-async",
        raw: "pg/tokio-postgres",
        colour: Some("#66a182"),
    },
    Lib {
        id: "pg/sqlx",
        name: "SQLx",
        raw: "pg/tokio-postgres",
        colour: Some("#8d6cab"),
    },
];

/// A workload: criterion group, title, what its size counts, sizes per
/// backend.
struct Workload {
    group: &'static str,
    title: &'static str,
    size: &'static str,
    sqlite: &'static [&'static str],
    pg: &'static [&'static str],
}

const QUERY: &[&str] = &["1", "10", "100", "1000", "10000"];
const INSERT: &[&str] = &["1", "10", "25", "50", "100"];

const WORKLOADS: &[Workload] = &[
    Workload {
        group: "trivial",
        title: "Trivial query: every user into a struct",
        size: "users",
        sqlite: QUERY,
        pg: QUERY,
    },
    Workload {
        group: "medium",
        title: "Medium query: users LEFT JOIN posts WHERE hair_color = 'black'",
        size: "users",
        sqlite: QUERY,
        pg: QUERY,
    },
    Workload {
        group: "insert",
        title: "Insert: N users in one statement",
        size: "rows",
        sqlite: INSERT,
        pg: INSERT,
    },
    Workload {
        group: "associations",
        title: "Associations: users, their posts, the posts' comments, grouped",
        size: "users",
        sqlite: &["9"],
        pg: &["100"],
    },
];

/// Medians in nanoseconds, by (group, function id, parameter).
type Medians = BTreeMap<(String, String, String), f64>;

fn main() {
    if let Err(e) = run() {
        eprintln!("report: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let benches = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let criterion = std::env::var_os("CRITERION_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| benches.join("target/criterion"));
    let notes_path = std::env::var_os("BENCH_NOTES")
        .map(PathBuf::from)
        .unwrap_or_else(|| benches.join("target/notes.tsv"));
    let docs = benches.join("../docs");

    let mut medians = Medians::new();
    collect(&criterion, &mut medians)?;
    let notes = read_notes(&notes_path);
    // `run.sh --no-rivals` leaves Diesel's and SQLx's results out, and says so.
    check_complete(&medians, !notes.contains_key("rivals"))?;

    let compile = std::fs::read_to_string(benches.join("target/compile-time.json"))
        .ok()
        .and_then(|text| serde_json::from_str::<Value>(&text).ok());
    let findings = std::fs::read_to_string(benches.join("findings.md")).ok();

    let svg = chart(&medians);
    std::fs::write(docs.join("benchmarks.svg"), svg).map_err(|e| e.to_string())?;
    let md = markdown(
        &benches,
        &medians,
        &notes,
        compile.as_ref(),
        findings.as_deref(),
    );
    std::fs::write(docs.join("benchmarks.md"), md).map_err(|e| e.to_string())?;
    println!("wrote docs/benchmarks.md and docs/benchmarks.svg");
    Ok(())
}

/// Reads every `new/benchmark.json` and `new/estimates.json` under `dir`.
fn collect(dir: &Path, out: &mut Medians) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        if path.file_name().is_some_and(|n| n == "new") {
            let bench = read_json(&path.join("benchmark.json"))?;
            let estimates = read_json(&path.join("estimates.json"))?;
            let text = |v: &Value, k: &str| v[k].as_str().unwrap_or_default().to_owned();
            let median = estimates["median"]["point_estimate"]
                .as_f64()
                .ok_or_else(|| format!("{}: no median", path.display()))?;
            out.insert(
                (
                    text(&bench, "group_id"),
                    text(&bench, "function_id"),
                    text(&bench, "value_str"),
                ),
                median,
            );
        } else {
            collect(&path, out)?;
        }
    }
    Ok(())
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// `key<TAB>value` lines; later lines win.
fn read_notes(path: &Path) -> BTreeMap<String, String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.split_once('\t'))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn get(m: &Medians, group: &str, id: &str, size: &str) -> Option<f64> {
    m.get(&(group.to_owned(), id.to_owned(), size.to_owned()))
        .copied()
}

fn check_complete(m: &Medians, with_rivals: bool) -> Result<(), String> {
    let mut missing = Vec::new();
    for w in WORKLOADS {
        for (libs, sizes) in [(SQLITE, w.sqlite), (PG, w.pg)] {
            for lib in libs {
                let ours = matches!(
                    lib.id,
                    "sqlite/quarry" | "sqlite/rusqlite" | "pg/quarry" | "pg/tokio-postgres"
                );
                if !with_rivals && !ours {
                    continue;
                }
                for size in sizes {
                    if get(m, w.group, lib.id, size).is_none() {
                        missing.push(format!("{}/{}/{}", w.group, lib.id, size));
                    }
                }
            }
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "no result for {} benchmark(s), such as {}: run benches/run.sh",
            missing.len(),
            missing[0]
        ))
    }
}

/// A median as text: `612 ns`, `24.6 µs`, `3.17 ms`.
fn time(ns: f64) -> String {
    let (v, unit) = if ns < 1e3 {
        (ns, "ns")
    } else if ns < 1e6 {
        (ns / 1e3, "µs")
    } else {
        (ns / 1e6, "ms")
    };
    if v < 10.0 {
        format!("{v:.2} {unit}")
    } else if v < 100.0 {
        format!("{v:.1} {unit}")
    } else {
        format!("{v:.0} {unit}")
    }
}

fn ratio(r: f64) -> String {
    format!("{r:.2}×")
}

/// A ratio against a goal: bold when above it.
fn against(r: f64, goal: f64) -> String {
    if r > goal {
        format!("**{r:.2}×**")
    } else {
        format!("{r:.2}×")
    }
}

fn lock_versions(lock: &Path) -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(lock).unwrap_or_default();
    let mut out = BTreeMap::new();
    let mut name = None;
    for line in text.lines() {
        if let Some(n) = line.strip_prefix("name = ") {
            name = Some(n.trim_matches('"').to_owned());
        } else if let (Some(v), Some(n)) = (line.strip_prefix("version = "), name.take()) {
            out.insert(n, v.trim_matches('"').to_owned());
        }
    }
    out
}

fn machine() -> Vec<String> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|l| l.strip_prefix("model name"))
        .map(|l| l.trim_start_matches([' ', '\t', ':']).to_owned())
        .unwrap_or_else(|| "unknown".to_owned());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_gib = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|l| l.trim().trim_end_matches(" kB").trim().parse::<f64>().ok())
        .map_or_else(
            || "unknown".to_owned(),
            |kb| format!("{:.1} GiB", kb / 1024.0 / 1024.0),
        );
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    vec![
        format!("CPU: {model}, {cores} cores (`nproc`)"),
        format!("Memory: {mem_gib}"),
        format!("Linux {}", kernel.trim()),
    ]
}

fn markdown(
    benches: &Path,
    m: &Medians,
    notes: &BTreeMap<String, String>,
    compile: Option<&Value>,
    findings: Option<&str>,
) -> String {
    let note = |k: &str| notes.get(k).map_or("unknown", String::as_str).to_owned();
    let ours = lock_versions(&benches.join("Cargo.lock"));
    let rivals = lock_versions(&benches.join("rivals/Cargo.lock"));
    let v = |map: &BTreeMap<String, String>, k: &str| map.get(k).cloned().unwrap_or_default();
    let sqlite_ours = note("sqlite sqlite/rusqlite");
    let sqlite_rivals = note("sqlite sqlite/rusqlite-rivals");

    let mut s = String::new();
    let _ = writeln!(
        s,
        "# Benchmarks: quarry against Diesel, SQLx and the raw drivers\n\n\
         Written by `benches/run.sh` (see `benches/README.md`); every figure \
         below comes from its one run, started {} and finished {}. Times are \
         criterion medians; a ratio is a library's median over the raw \
         driver's on the same workload (below 1 is faster). Mode of this run: {}.{}\n",
        note("started"),
        note("finished"),
        note("mode"),
        notes
            .get("rivals")
            .map(|r| format!(" Rivals: {r}."))
            .unwrap_or_default(),
    );
    let _ = writeln!(
        s,
        "![Each library's time relative to the raw driver, by workload and size](benchmarks.svg)\n"
    );

    let _ = writeln!(s, "## The machine and the versions\n");
    for line in machine() {
        let _ = writeln!(s, "- {line}");
    }
    let _ = writeln!(
        s,
        "- {}; PostgreSQL {} on 127.0.0.1",
        note("rustc"),
        note("postgres")
    );
    let _ = writeln!(
        s,
        "- quarry (this tree, {}) on rusqlite {} (SQLite {sqlite_ours}) and tokio-postgres {}",
        note("commit"),
        v(&ours, "rusqlite"),
        v(&ours, "tokio-postgres"),
    );
    let _ = writeln!(
        s,
        "- Diesel {}, diesel-async {}, SQLx {}, on SQLite {sqlite_rivals} \
         (libsqlite3-sys {}); rusqlite² is rusqlite {} on that same SQLite\n",
        v(&rivals, "diesel"),
        v(&rivals, "diesel-async"),
        v(&rivals, "sqlx"),
        v(&rivals, "libsqlite3-sys"),
        v(&rivals, "rusqlite"),
    );
    let _ = writeln!(
        s,
        "Diesel and SQLx cannot link quarry's SQLite (libsqlite3-sys {}): Cargo allows \
         one `sqlite3` per build. So each SQLite library is compared with raw rusqlite \
         on its own SQLite: quarry with rusqlite, Diesel and SQLx with rusqlite². \
         quarry / Diesel compares the two medians directly.\n",
        v(&ours, "libsqlite3-sys"),
    );

    // Summary.
    let _ = writeln!(s, "## quarry against its goals\n");
    let _ = writeln!(
        s,
        "Goals: at most 1.10× the raw driver, at most 1.00× Diesel. Figures above a \
         goal are in bold.\n"
    );
    let _ = writeln!(
        s,
        "| workload | size | SQLite: quarry / rusqlite | SQLite: quarry / Diesel | \
         PostgreSQL: quarry / tokio-postgres | PostgreSQL: quarry / Diesel | \
         PostgreSQL: quarry / diesel-async |"
    );
    let _ = writeln!(s, "|---|---:|---:|---:|---:|---:|---:|");
    for w in WORKLOADS {
        for (i, size) in w.sqlite.iter().enumerate() {
            let pg_size = w.pg[i];
            let r = |group: &str, a: &str, b: &str, size: &str, goal: f64| match (
                get(m, group, a, size),
                get(m, group, b, size),
            ) {
                (Some(x), Some(y)) => against(x / y, goal),
                _ => "–".to_owned(),
            };
            let size_label = if size == &pg_size {
                format!("{size} {}", w.size)
            } else {
                format!("{size} / {pg_size} {}", w.size)
            };
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} | {} | {} | {} |",
                w.group,
                size_label,
                r(w.group, "sqlite/quarry", "sqlite/rusqlite", size, 1.10),
                r(w.group, "sqlite/quarry", "sqlite/diesel", size, 1.0),
                r(w.group, "pg/quarry", "pg/tokio-postgres", pg_size, 1.10),
                r(w.group, "pg/quarry", "pg/diesel", pg_size, 1.0),
                r(w.group, "pg/quarry", "pg/diesel-async", pg_size, 1.0),
            );
        }
    }
    let _ = writeln!(s);

    more_workloads(&mut s, notes);

    // Medians.
    let _ = writeln!(s, "## Medians\n");
    let _ = writeln!(
        s,
        "Each cell: the median, then the ratio to the raw driver on the same SQLite \
         (rusqlite for quarry, rusqlite² for Diesel and SQLx) or to tokio-postgres.\n"
    );
    for w in WORKLOADS {
        let _ = writeln!(s, "### {}\n", w.title);
        for (backend, libs, sizes) in [
            ("SQLite, in memory", SQLITE, w.sqlite),
            ("PostgreSQL", PG, w.pg),
        ] {
            let _ = writeln!(s, "{backend}:\n");
            let mut head = format!("| {} |", w.size);
            let mut rule = String::from("|---:|");
            for lib in libs {
                let _ = write!(head, " {} |", lib.name);
                rule.push_str("---:|");
            }
            let _ = writeln!(s, "{head}\n{rule}");
            for size in sizes {
                let mut row = format!("| {size} |");
                for lib in libs {
                    let cell = match (
                        get(m, w.group, lib.id, size),
                        get(m, w.group, lib.raw, size),
                    ) {
                        (Some(t), Some(raw)) if lib.raw != lib.id => {
                            format!("{} ({})", time(t), ratio(t / raw))
                        }
                        (Some(t), _) => time(t),
                        _ => "–".to_owned(),
                    };
                    let _ = write!(row, " {cell} |");
                }
                let _ = writeln!(s, "{row}");
            }
            let _ = writeln!(s);
        }
    }

    // Compile time.
    let _ = writeln!(s, "## Compile time\n");
    match compile {
        Some(c) => {
            let _ = writeln!(
                s,
                "One program, generated twice by `benches/compile_time.py`: {} tables of 12 \
                 columns joined by references, and {} typed queries on SQLite (40 selects, \
                 30 joins of two and three tables, 15 GROUP BY with COUNT(*), 15 inserts), \
                 written with quarry and with Diesel. Debug builds, measured one after the \
                 other in the same session, each with its own target directory; the second \
                 and third rows are the median of {} runs.\n",
                c["tables"], c["queries"], c["quarry"]["repeats"]
            );
            let _ = writeln!(s, "| | quarry | Diesel | quarry / Diesel |");
            let _ = writeln!(s, "|---|---:|---:|---:|");
            for (key, label) in [
                (
                    "clean_build",
                    "`cargo build`, empty target directory (dependencies included)",
                ),
                (
                    "crate_build",
                    "`cargo build` of the program alone (dependencies built)",
                ),
                (
                    "check_after_edit",
                    "`cargo check` after editing one query file",
                ),
            ] {
                let (q, d) = (c["quarry"][key].as_f64(), c["diesel"][key].as_f64());
                if let (Some(q), Some(d)) = (q, d) {
                    let _ = writeln!(
                        s,
                        "| {label} | {q:.1} s | {d:.1} s | {} |",
                        against(q / d, 0.5)
                    );
                }
            }
            let _ = writeln!(s, "\nGoal: at most 0.5× Diesel.\n");
        }
        None => {
            let _ = writeln!(
                s,
                "Not measured in this run (`run.sh --no-compile-time`).\n"
            );
        }
    }

    let _ = writeln!(
        s,
        "## How it is measured\n\n\
         - Schema, the same for every library: `users(id, name, hair_color NULL)`, \
         `posts(id, user_id, title, body NULL)`, `comments(id, post_id, text)`, with \
         indexes on the two foreign keys. SQLite runs in memory; on PostgreSQL each \
         library has its own schema. Tables are filled outside the timed loop, by the \
         same SQL for every library (`benches/common`).\n\
         - Trivial: N users (a third of them with NULL hair colour), all loaded into a \
         struct. Medium: N users and one post for every other user; the query returns \
         the third with black hair, half of them with a post, as `(User, Option<Post>)`. \
         Insert: N users in one INSERT statement, the table emptied outside the timed \
         part every 10 000 rows or so. Associations: all users, then their posts and \
         those posts' comments with one list filter each (`eq_any` in quarry, \
         `belonging_to` in Diesel, `IN (SELECT value FROM json_each(?))` on SQLite and \
         `= ANY($1)` on PostgreSQL in SQLx and the raw drivers), grouped in Rust into \
         `(User, Vec<(Post, Vec<Comment>)>)` (Diesel with `grouped_by`, the others \
         with the same map from id to position).\n\
         - Raw drivers run hand-written SQL through statements prepared once outside \
         the timed loop, read columns by index, and on PostgreSQL stream the rows \
         (`query_raw`) rather than collect them first. quarry, Diesel and SQLx run as \
         their guides show; their statement caches are warm after criterion's warm-up.\n\
         - Asynchronous libraries run on a current-thread Tokio runtime, one connection \
         each. Diesel on PostgreSQL is libpq, synchronous.\n\
         - criterion: 20 samples, flat sampling, 0.4 s of warm-up and 1.6 s of \
         measurement per benchmark. The machine is shared with other work, so \
         PostgreSQL figures in particular move by several percent between runs.\n"
    );

    if let Some(f) = findings {
        let _ = writeln!(s, "{}", f.trim_end());
    }
    s
}

/// The section of the workloads measured outside criterion (issue #23):
/// SQLite instruction counts under callgrind, pooled lookups and COPY in
/// interleaved rounds, and streaming's peak memory. Their figures are in
/// the notes, written by `instructions` and `workloads` in the same run.
fn more_workloads(s: &mut String, notes: &BTreeMap<String, String>) {
    let num = |k: &str| notes.get(k).and_then(|v| v.parse::<f64>().ok());
    let _ = writeln!(
        s,
        "## Instructions, pooled lookups, streaming and bulk load\n"
    );
    let _ = writeln!(
        s,
        "SQLite instructions per query, counted by `valgrind --tool=callgrind` \
         (`benches/src/bin/instructions.rs`: each workload run N and 2N times, the \
         difference over N). Trivial and medium on 10 users, the medium query's left \
         join on 300 users (100 rows, half with their post), lookup of one user by \
         key among 1 000 (`get_result`), insert of 10 rows in one statement. \
         Goal: at most 1.05× rusqlite.\n"
    );
    let _ = writeln!(s, "| workload | rusqlite | quarry | quarry / rusqlite |");
    let _ = writeln!(s, "|---|---:|---:|---:|");
    for w in ["trivial", "medium", "join100", "lookup", "insert"] {
        let (q, r) = (
            num(&format!("instr.{w}.quarry")),
            num(&format!("instr.{w}.rusqlite")),
        );
        let cell = |x: Option<f64>| x.map_or("–".to_owned(), |x| format!("{x:.0}"));
        let ratio = match (q, r) {
            (Some(q), Some(r)) => against(q / r, 1.05),
            _ => "–".to_owned(),
        };
        let _ = writeln!(s, "| {w} | {} | {} | {ratio} |", cell(r), cell(q));
    }
    let _ = writeln!(s);
    let ms = |k: &str| num(k).map_or("–".to_owned(), |us| time(us * 1000.0));
    let ratio_of = |k: &str, goal: f64| num(k).map_or("–".to_owned(), |r| against(r, goal));
    // The pairs' ratios around the median: quartiles, then extremes.
    let spread = |k: &str| match (
        num(&format!("{k}_p25")),
        num(&format!("{k}_p75")),
        num(&format!("{k}_min")),
        num(&format!("{k}_max")),
    ) {
        (Some(a), Some(b), Some(lo), Some(hi)) => {
            format!(" (quartiles {a:.2}–{b:.2}, extremes {lo:.2}–{hi:.2})")
        }
        _ => String::new(),
    };
    let pairs = notes.get("pooled.pairs").map_or("–", String::as_str);
    let _ = writeln!(
        s,
        "PostgreSQL, interleaved rounds (`benches/src/bin/workloads.rs`). Pooled \
         lookups: {pairs} pairs of rounds, one of each library, which goes first \
         alternating; times are medians of the rounds, the ratio the median of \
         the pairs' ratios. COPY: medians of the rounds.\n\n\
         | workload | tokio-postgres | quarry | quarry / raw | goal |\n\
         |---|---:|---:|---:|---:|\n\
         | 10 000 lookups by key from 32 tasks; `&pool` of 8 / 8 pipelining clients | {} | {} | {}{} | 1.10× |\n\
         | the same, the client's CPU time (`/proc/thread-self/schedstat`) | {} | {} | {}{} | |\n\
         | COPY of 1 000 000 rows, binary | {} | {} | {} | 1.20× |\n",
        ms("pooled.raw_us"),
        ms("pooled.quarry_us"),
        ratio_of("pooled.ratio", 1.10),
        spread("pooled.ratio"),
        ms("pooled.raw_cpu_us"),
        ms("pooled.quarry_cpu_us"),
        num("pooled.cpu_ratio").map_or("–".to_owned(), |r| format!("{r:.2}×")),
        spread("pooled.cpu_ratio"),
        ms("copy.raw_us"),
        ms("copy.quarry_us"),
        ratio_of("copy.ratio", 1.20),
    );
    let mib = |k: &str| num(k).map_or("–".to_owned(), |kib| format!("{:.1} MiB", kib / 1024.0));
    let _ = writeln!(
        s,
        "Streaming 1 000 000 users (`load_iter` on SQLite from a file, `load_stream` \
         on PostgreSQL through a pool; the raw drivers step rusqlite's `Rows` and \
         tokio-postgres' `query_raw`), each in a process of its own; peak resident \
         memory of the whole process (`VmHWM`). Goal: under 50 MiB.\n\n\
         | backend | raw: time | raw: peak memory | quarry: time | quarry: peak memory |\n\
         |---|---:|---:|---:|---:|\n\
         | SQLite | {} | {} | {} | {} |\n\
         | PostgreSQL | {} | {} | {} | {} |\n",
        ms_plain(num("stream.sqlite.raw.ms")),
        mib("stream.sqlite.raw.peak_rss_kib"),
        ms_plain(num("stream.sqlite.quarry.ms")),
        mib("stream.sqlite.quarry.peak_rss_kib"),
        ms_plain(num("stream.pg.raw.ms")),
        mib("stream.pg.raw.peak_rss_kib"),
        ms_plain(num("stream.pg.quarry.ms")),
        mib("stream.pg.quarry.peak_rss_kib"),
    );
}

fn ms_plain(ms: Option<f64>) -> String {
    ms.map_or("–".to_owned(), |ms| format!("{ms:.0} ms"))
}

// ------------------------------------------------------------------ chart

const PANEL_W: f64 = 480.0;
const PANEL_H: f64 = 210.0;
const MARGIN_L: f64 = 46.0;
const MARGIN_TOP: f64 = 30.0;
const MARGIN_BOTTOM: f64 = 34.0;
const GAP: f64 = 24.0;

fn chart(m: &Medians) -> String {
    let cols = 2.0;
    let rows = WORKLOADS.len() as f64;
    let width = MARGIN_L + cols * (PANEL_W + GAP);
    let legend_h = 64.0;
    let height = legend_h + rows * (PANEL_H + MARGIN_TOP + MARGIN_BOTTOM);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="Helvetica, Arial, sans-serif" font-size="11">"#
    );
    let _ = writeln!(s, r#"<rect width="100%" height="100%" fill="white"/>"#);
    let _ = writeln!(
        s,
        r#"<text x="{MARGIN_L}" y="20" font-size="15" font-weight="bold">Time relative to the raw driver (1.0 = rusqlite or tokio-postgres; lower is faster)</text>"#
    );
    // Legend.
    let mut x = MARGIN_L;
    for (name, colour) in [
        ("quarry", "#d1495b"),
        ("Diesel", "#2e6f9e"),
        ("diesel-async", "#66a182"),
        ("SQLx", "#8d6cab"),
    ] {
        let _ = writeln!(
            s,
            r#"<rect x="{x}" y="32" width="12" height="12" fill="{colour}"/><text x="{}" y="42">{name}</text>"#,
            x + 16.0
        );
        x += 30.0 + 7.0 * name.len() as f64;
    }
    let _ = writeln!(
        s,
        r##"<line x1="{x}" y1="38" x2="{}" y2="38" stroke="#222" stroke-width="1.5"/><text x="{}" y="42">raw driver</text>"##,
        x + 20.0,
        x + 24.0
    );
    x += 100.0;
    let _ = writeln!(
        s,
        r##"<line x1="{x}" y1="38" x2="{}" y2="38" stroke="#222" stroke-dasharray="4 3"/><text x="{}" y="42">goal for quarry, 1.10×</text>"##,
        x + 20.0,
        x + 24.0
    );

    for (row, w) in WORKLOADS.iter().enumerate() {
        for (col, (backend, libs, sizes)) in
            [("SQLite", SQLITE, w.sqlite), ("PostgreSQL", PG, w.pg)]
                .into_iter()
                .enumerate()
        {
            let x0 = MARGIN_L + col as f64 * (PANEL_W + GAP);
            let y0 = legend_h + row as f64 * (PANEL_H + MARGIN_TOP + MARGIN_BOTTOM) + MARGIN_TOP;
            panel(&mut s, m, w, backend, libs, sizes, x0, y0);
        }
    }
    s.push_str("</svg>\n");
    s
}

#[allow(clippy::too_many_arguments)]
fn panel(
    s: &mut String,
    m: &Medians,
    w: &Workload,
    backend: &str,
    libs: &[Lib],
    sizes: &[&str],
    x0: f64,
    y0: f64,
) {
    let drawn: Vec<&Lib> = libs.iter().filter(|l| l.colour.is_some()).collect();
    let ratios: Vec<Vec<Option<f64>>> = sizes
        .iter()
        .map(|size| {
            drawn
                .iter()
                .map(|lib| Some(get(m, w.group, lib.id, size)? / get(m, w.group, lib.raw, size)?))
                .collect()
        })
        .collect();
    let top = ratios
        .iter()
        .flatten()
        .flatten()
        .fold(1.5_f64, |a, &b| a.max(b));
    // At most 3×: taller bars are cut and labelled.
    let ymax = ((top.min(3.0) * 2.0).ceil() / 2.0).max(1.5);
    let y = |r: f64| y0 + PANEL_H - (r.min(ymax) / ymax) * PANEL_H;

    let title = w.title.split(':').next().unwrap_or(w.title);
    let _ = writeln!(
        s,
        r#"<text x="{x0}" y="{}" font-size="13" font-weight="bold">{title} — {backend}</text>"#,
        y0 - 10.0
    );
    // Grid and axis.
    let mut tick = 0.0;
    while tick <= ymax + 1e-9 {
        let ty = y(tick);
        let _ = writeln!(
            s,
            r##"<line x1="{x0}" y1="{ty:.1}" x2="{}" y2="{ty:.1}" stroke="#e4e4e4"/><text x="{}" y="{:.1}" text-anchor="end" fill="#555">{tick:.1}</text>"##,
            x0 + PANEL_W,
            x0 - 4.0,
            ty + 4.0
        );
        tick += 0.5;
    }
    let group_w = PANEL_W / sizes.len() as f64;
    let bar_w = (group_w * 0.8 / drawn.len() as f64).min(28.0);
    for (i, size) in sizes.iter().enumerate() {
        let gx = x0 + i as f64 * group_w + (group_w - bar_w * drawn.len() as f64) / 2.0;
        for (j, lib) in drawn.iter().enumerate() {
            let Some(r) = ratios[i][j] else { continue };
            let bx = gx + j as f64 * bar_w;
            let by = y(r);
            let _ = writeln!(
                s,
                r#"<rect x="{bx:.1}" y="{by:.1}" width="{:.1}" height="{:.1}" fill="{}"><title>{} {} {}: {r:.2}×</title></rect>"#,
                bar_w - 2.0,
                y0 + PANEL_H - by,
                lib.colour.unwrap_or("#999"),
                lib.name,
                size,
                w.size
            );
            if r > ymax {
                let _ = writeln!(
                    s,
                    r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" font-size="9" font-weight="bold" fill="white">{r:.1}×</text>"#,
                    bx + bar_w / 2.0 - 1.0,
                    by + 11.0
                );
            }
        }
        let _ = writeln!(
            s,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#333">{size} {}</text>"##,
            x0 + (i as f64 + 0.5) * group_w,
            y0 + PANEL_H + 15.0,
            w.size
        );
    }
    // The raw driver and the goal.
    let _ = writeln!(
        s,
        r##"<line x1="{x0}" y1="{:.1}" x2="{}" y2="{:.1}" stroke="#222" stroke-width="1.5"/>"##,
        y(1.0),
        x0 + PANEL_W,
        y(1.0)
    );
    let _ = writeln!(
        s,
        r##"<line x1="{x0}" y1="{:.1}" x2="{}" y2="{:.1}" stroke="#222" stroke-dasharray="4 3"/>"##,
        y(1.1),
        x0 + PANEL_W,
        y(1.1)
    );
    let _ = writeln!(
        s,
        r##"<line x1="{x0}" y1="{:.1}" x2="{}" y2="{:.1}" stroke="#888"/>"##,
        y0 + PANEL_H,
        x0 + PANEL_W,
        y0 + PANEL_H
    );
}
