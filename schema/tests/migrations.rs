//! The migration lifecycle through the `quarry` binary, on SQLite and on
//! PostgreSQL: generate from a diff, run, check (clean), edit `schema.rs`,
//! check (exit 1), generate, run, revert, run, redo. After every step the
//! live schema, read by print-schema, equals what the wanted `schema.rs`
//! declares: `migration generate --diff-schema` on it finds nothing to do.
//!
//! PostgreSQL uses a database of its own on the server at `QUARRY_PG_URL`
//! (see `common`); when the server is unreachable the test prints
//! "skipped", unless `CI` is set.

mod common;

use std::path::Path;
use std::process::{Command, Output};

const V1: &str = "quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
    }

    posts (id) {
        id -> Integer,
        user_id -> Integer references users(id),
        title -> Text,
        score -> Integer,
    }

    post_tags (post_id, tag) {
        post_id -> Integer references posts(id),
        tag -> Text,
    }

    tag_notes (id) {
        id -> Integer,
        post_id -> Integer,
        tag -> Text,
        foreign key (post_id, tag) references post_tags(post_id, tag) as post_tag,
    }
}
";

/// V1 with: a nullable column added (`users.email`), a nullability change
/// (`posts.title`), a type change (`posts.score`), a foreign key added
/// (`posts.editor_id`), a table dropped (`tag_notes`) and one created
/// (`comments`).
const V2: &str = "quarry::table! {
    users (id) {
        id -> Integer,
        name -> Text,
        email -> Nullable<Text>,
    }

    posts (id) {
        id -> Integer,
        user_id -> Integer references users(id),
        title -> Nullable<Text>,
        score -> BigInt,
        editor_id -> Nullable<Integer> references users(id) as editor,
    }

    post_tags (post_id, tag) {
        post_id -> Integer references posts(id),
        tag -> Text,
    }

    comments (id) {
        id -> Integer,
        post_id -> Integer references posts(id),
        body -> Text,
    }
}
";

struct Project<'a> {
    dir: &'a Path,
    url: Option<String>,
}

impl Project<'_> {
    fn quarry(&self, args: &[&str]) -> Output {
        let mut command = Command::new(env!("CARGO_BIN_EXE_quarry"));
        command
            .args(args)
            .current_dir(self.dir)
            .env_remove("DATABASE_URL");
        if let Some(url) = &self.url {
            command.args(["--database-url", url]);
        }
        let output = command.output().expect("run quarry");
        println!(
            "$ quarry {}\n{}{}[exit {}]",
            args.join(" "),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr),
            output.status.code().unwrap_or(-1)
        );
        output
    }

    /// Runs and requires success; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        let output = self.quarry(args);
        assert!(
            output.status.success(),
            "quarry {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    fn schema_rs(&self) -> String {
        std::fs::read_to_string(self.dir.join("src/schema.rs")).unwrap()
    }

    /// The live schema is what `wanted` declares, read through
    /// print-schema, and `schema.rs` was regenerated to say the same.
    fn assert_live_schema_is(&self, wanted: &str) {
        std::fs::write(self.dir.join("wanted.rs"), wanted).unwrap();
        // An empty migrations folder, so that pending ones do not stop the
        // diff.
        for file in ["wanted.rs", "src/schema.rs"] {
            let out = self.ok(&[
                "migration",
                "generate",
                "probe",
                "--migration-dir",
                "no-migrations",
                "--diff-schema",
                file,
            ]);
            assert!(out.contains("already matches"), "{file}: {out}");
        }
    }

    fn only_migration_named(&self, name: &str) -> std::path::PathBuf {
        let found: Vec<_> = std::fs::read_dir(self.dir.join("migrations"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().ends_with(name))
            .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        found[0].clone()
    }
}

fn lifecycle(project: &Project) {
    std::fs::write(
        project.dir.join("quarry.toml"),
        "[print_schema]\nfile = \"src/schema.rs\"\n",
    )
    .unwrap();
    project.ok(&["database", "setup"]);
    assert!(project.schema_rs().contains("no tables"));

    // Generate the first migration from a diff.
    std::fs::write(project.dir.join("src/schema.rs"), V1).unwrap();
    let out = project.ok(&["migration", "generate", "init", "--diff-schema"]);
    assert!(out.contains("_init"), "{out}");
    let out = project.ok(&["migration", "list"]);
    assert!(out.contains("_init] pending"), "{out}");
    let check = project.quarry(&["migration", "check"]);
    assert_eq!(check.status.code(), Some(1));
    project.ok(&["migration", "run"]);
    project.assert_live_schema_is(V1);
    project.ok(&["migration", "check"]);

    // Edit schema.rs: check fails and says why.
    std::fs::write(project.dir.join("src/schema.rs"), V2).unwrap();
    let check = project.quarry(&["migration", "check"]);
    assert_eq!(check.status.code(), Some(1));
    let said = String::from_utf8_lossy(&check.stdout);
    assert!(said.contains("posts.score"), "{said}");

    let out = project.ok(&["migration", "generate", "change", "--diff-schema"]);
    assert!(out.contains("_change"), "{out}");
    let change = project.only_migration_named("_change");
    let up = std::fs::read_to_string(change.join("up.sql")).unwrap();
    assert!(up.contains("If you meant a rename"), "{up}");
    project.ok(&["migration", "run"]);
    project.assert_live_schema_is(V2);
    project.ok(&["migration", "check"]);

    let out = project.ok(&["migration", "revert"]);
    assert!(out.contains("_change"), "{out}");
    project.assert_live_schema_is(V1);
    let out = project.ok(&["migration", "list"]);
    assert!(out.contains("_change] pending"), "{out}");

    project.ok(&["migration", "run"]);
    let out = project.ok(&["migration", "redo"]);
    assert!(out.contains("reverted") && out.contains("applied"), "{out}");
    project.assert_live_schema_is(V2);
    project.ok(&["migration", "check"]);

    // An edited, applied up.sql stops the next run and names the file.
    let init = project.only_migration_named("_init");
    let up = init.join("up.sql");
    let text = std::fs::read_to_string(&up).unwrap();
    std::fs::write(&up, format!("{text}\n-- edited\n")).unwrap();
    let run = project.quarry(&["migration", "run"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("_init/up.sql"));
    std::fs::write(&up, text).unwrap();

    project.ok(&["migration", "revert", "--all"]);
    assert!(project.schema_rs().contains("no tables"));
    // With nothing applied, revert and redo say so.
    let out = project.ok(&["migration", "revert"]);
    assert_eq!(out, "no migration is applied; nothing reverted\n");
    let out = project.ok(&["migration", "redo"]);
    assert_eq!(out, "no migration is applied; nothing redone\n");
    project.ok(&["database", "reset"]);
    project.assert_live_schema_is(V2);
}

#[test]
fn sqlite_lifecycle() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    // DATABASE_URL from `.env`.
    std::fs::write(dir.path().join(".env"), "DATABASE_URL=sqlite://app.db\n").unwrap();
    let project = Project {
        dir: dir.path(),
        url: None,
    };
    lifecycle(&project);

    // The rebuild keeps rows: a post survives the change migration.
    project.ok(&["migration", "revert"]);
    let conn = rusqlite::Connection::open(dir.path().join("app.db")).unwrap();
    conn.execute_batch(
        "INSERT INTO users (id, name) VALUES (1, 'ann');
         INSERT INTO posts (id, user_id, title, score) VALUES (7, 1, 'hello', 3);",
    )
    .unwrap();
    drop(conn);
    project.ok(&["migration", "run"]);
    let conn = rusqlite::Connection::open(dir.path().join("app.db")).unwrap();
    let (title, score): (String, i64) = conn
        .query_row("SELECT title, score FROM posts WHERE id = 7", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((title.as_str(), score), ("hello", 3));
    drop(conn);

    project.ok(&["database", "drop"]);
    assert!(!dir.path().join("app.db").exists());
}

#[test]
fn postgres_lifecycle() {
    let base = common::pg_url();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    if let Err(e) = runtime.block_on(tokio_postgres::connect(&base, tokio_postgres::NoTls)) {
        if std::env::var_os("CI").is_some() {
            panic!("PostgreSQL is unreachable at {base} and CI is set: {e}");
        }
        println!("skipped postgres_lifecycle: PostgreSQL is unreachable at {base} ({e})");
        return;
    }
    let (server, _) = base.rsplit_once('/').unwrap();
    let url = format!("{server}/qs_lifecycle_{}", std::process::id());
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    let project = Project {
        dir: dir.path(),
        url: Some(url),
    };
    project.ok(&["database", "drop"]);
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| lifecycle(&project)));
    project.ok(&["database", "drop"]);
    if let Err(panic) = outcome {
        std::panic::resume_unwind(panic);
    }
}

#[test]
fn usage_errors_exit_2_and_failures_1() {
    let dir = tempfile::tempdir().unwrap();
    let project = Project {
        dir: dir.path(),
        url: Some("sqlite://missing.db".to_owned()),
    };
    assert_eq!(
        project
            .quarry(&["migration", "revert", "-n", "x"])
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        project.quarry(&["migration", "frobnicate"]).status.code(),
        Some(2)
    );
    assert_eq!(project.quarry(&["migration", "run"]).status.code(), Some(1));
    let no_url = Project {
        dir: dir.path(),
        url: None,
    };
    let out = no_url.quarry(&["migration", "list"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("DATABASE_URL"));
}

/// A database of its own on the MariaDB server at `QUARRY_MYSQL_URL`, for
/// `body`, dropped afterwards; `None` when the server is unreachable and
/// `CI` is not set.
#[cfg(feature = "mysql")]
fn with_mariadb(test: &str, body: impl FnOnce(&Project, &mut common::MysqlDb)) {
    let Some(mut db) = common::mysql_database(test) else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    let project = Project {
        dir: dir.path(),
        url: Some(db.url.clone()),
    };
    // `database setup` makes it again.
    project.ok(&["database", "drop"]);
    body(&project, &mut db);
}

#[cfg(feature = "mysql")]
#[test]
fn mariadb_lifecycle() {
    with_mariadb("lifecycle", |project, _| lifecycle(project));
}

#[cfg(feature = "mysql")]
fn write_migration(project: &Project, dir: &str, up: &str, down: &str) {
    let path = project.dir.join("migrations").join(dir);
    std::fs::create_dir_all(&path).unwrap();
    std::fs::write(path.join("up.sql"), up).unwrap();
    std::fs::write(path.join("down.sql"), down).unwrap();
}

/// MariaDB commits DDL as it runs: a migration that fails half way keeps
/// what ran before the failing statement, is not recorded, and says so.
#[cfg(feature = "mysql")]
#[test]
fn mariadb_a_failed_migration_says_what_stays() {
    with_mariadb("partway", |project, db| {
        project.ok(&["database", "setup"]);
        write_migration(
            project,
            "20240101000000_half",
            "CREATE TABLE first_half (id INT PRIMARY KEY);\n\
             CREATE TABLE first_half (id INT PRIMARY KEY);\n",
            "DROP TABLE first_half;\n",
        );
        let run = project.quarry(&["migration", "run"]);
        assert_eq!(run.status.code(), Some(1));
        let said = String::from_utf8_lossy(&run.stderr);
        assert!(
            said.contains("migration `20240101000000_half` failed in `up.sql`")
                && said.contains("already exists")
                && said.contains("stay applied"),
            "{said}"
        );
        let out = project.ok(&["migration", "list"]);
        assert!(out.contains("_half] pending"), "{out}");
        assert_eq!(
            db.value(
                "SELECT table_name FROM information_schema.tables \
                      WHERE table_schema = DATABASE() AND table_name = 'first_half'"
            )
            .as_deref(),
            Some("first_half")
        );

        // Fixed to run again, it applies.
        write_migration(
            project,
            "20240101000000_half",
            "CREATE TABLE IF NOT EXISTS first_half (id INT PRIMARY KEY);\n",
            "DROP TABLE first_half;\n",
        );
        let out = project.ok(&["migration", "run"]);
        assert!(out.contains("applied 20240101000000_half"), "{out}");
    });
}

/// Runners started together apply each migration once: the second waits
/// for the first's `GET_LOCK` and then finds nothing to do.
#[cfg(feature = "mysql")]
#[test]
fn mariadb_concurrent_runners_apply_once() {
    with_mariadb("concurrent", |project, db| {
        project.ok(&["database", "setup"]);
        write_migration(
            project,
            "20240101000000_slow",
            "CREATE TABLE slow (id INT PRIMARY KEY);\nDO SLEEP(1);\n",
            "DROP TABLE slow;\n",
        );
        let url = project.url.clone().unwrap();
        let spawn = || {
            Command::new(env!("CARGO_BIN_EXE_quarry"))
                .args(["migration", "run", "--database-url", &url])
                .current_dir(project.dir)
                .env_remove("DATABASE_URL")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let runners: Vec<_> = (0..3).map(|_| spawn()).collect();
        let mut applied = 0;
        for runner in runners {
            let output = runner.wait_with_output().unwrap();
            let said = String::from_utf8_lossy(&output.stdout);
            assert!(
                output.status.success(),
                "{said}{}",
                String::from_utf8_lossy(&output.stderr)
            );
            applied += said.matches("applied ").count();
        }
        assert_eq!(applied, 1);
        assert_eq!(
            db.value("SELECT CAST(COUNT(*) AS CHAR) FROM __quarry_migrations")
                .as_deref(),
            Some("1")
        );
    });
}
