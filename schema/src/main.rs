//! The `quarry` command.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use quarry_migrate::Count;
use quarry_schema::commands::{self, Context};
use quarry_schema::{Dialect, Options, Source};

#[derive(Parser)]
#[command(name = "quarry", version, about = "quarry's command-line tool")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Prints `table!` declarations for a database's tables and views.
    PrintSchema(PrintSchema),
    /// Makes, applies, reverts and checks migrations.
    Migration(Migration),
    /// Creates or drops the database.
    Database(DatabaseCommand),
}

/// Where the database and the project's files are; for `migration` and
/// `database`.
#[derive(Args)]
struct Common {
    /// The database: `sqlite://app.db`, a file path,
    /// `postgres://user@host/db` or `mysql://user@host/db` (MariaDB, MySQL).
    /// Else `DATABASE_URL`, from the environment or a `.env` file. TLS to
    /// PostgreSQL: `?sslmode=verify-full&sslrootcert=ca.pem` (see
    /// `quarry print-schema --help`).
    #[arg(long, value_name = "URL", global = true)]
    database_url: Option<String>,

    /// The config file (default `quarry.toml`, when it exists).
    #[arg(long, value_name = "FILE", global = true)]
    config_file: Option<PathBuf>,

    /// The migrations folder (default `migrations`, or quarry.toml's
    /// `[migrations] dir`).
    #[arg(long, value_name = "DIR", global = true)]
    migration_dir: Option<PathBuf>,
}

#[derive(Args)]
#[command(after_help = "Examples:
  quarry migration generate create_users
  quarry migration generate add_email --diff-schema
  quarry migration run --database-url sqlite://app.db
  quarry migration revert -n 2
  quarry migration check   # exit 1 when the database, migrations and schema.rs disagree")]
struct Migration {
    #[command(flatten)]
    common: Common,
    #[command(subcommand)]
    action: MigrationAction,
}

#[derive(Subcommand)]
enum MigrationAction {
    /// Makes a migration folder `<timestamp>_NAME` with `up.sql` and
    /// `down.sql`.
    Generate {
        /// The migration's name, e.g. `create_users`.
        name: String,
        /// Writes the SQL that turns the database into what this
        /// `schema.rs` declares (default: quarry.toml's `[print_schema]
        /// file`, else `src/schema.rs`).
        #[arg(long, value_name = "SCHEMA_RS", num_args = 0..=1)]
        diff_schema: Option<Option<PathBuf>>,
        /// The version instead of the current UTC time (`YYYYMMDDHHMMSS`).
        #[arg(long, value_name = "VERSION")]
        version: Option<String>,
    },
    /// Applies every pending migration, each in its own transaction, then
    /// regenerates `schema.rs`. MariaDB commits each DDL statement at once:
    /// a migration that fails there half way stays half applied.
    Run,
    /// Reverts the newest applied migration (or more), then regenerates
    /// `schema.rs`.
    Revert {
        /// Reverts every applied migration.
        #[arg(long, conflicts_with = "number")]
        all: bool,
        /// Reverts the newest N.
        #[arg(short = 'n', long = "number", value_name = "N", default_value_t = 1)]
        number: usize,
    },
    /// Reverts the newest applied migration (or N) and applies it again.
    Redo {
        /// Redoes the newest N.
        #[arg(short = 'n', long = "number", value_name = "N", default_value_t = 1)]
        number: usize,
    },
    /// Lists migrations, applied or pending.
    List,
    /// Exits 1 when migrations are pending or the database differs from
    /// `schema.rs`. Meant for CI.
    Check,
}

#[derive(Args)]
struct DatabaseCommand {
    #[command(flatten)]
    common: Common,
    #[command(subcommand)]
    action: DatabaseAction,
}

#[derive(Subcommand)]
enum DatabaseAction {
    /// Creates the database if needed and applies every migration.
    Setup,
    /// Drops the database, creates it and applies every migration.
    Reset,
    /// Drops the database.
    Drop,
}

#[derive(Args)]
#[command(after_help = "Examples:
  quarry print-schema --database-url sqlite://app.db -o src/schema.rs
  quarry print-schema --database-url postgres://me@localhost/app --schema billing
  quarry print-schema --database-url mysql://root@127.0.0.1:3306/app
  quarry print-schema --database-url 'postgres://me@db.example.com/app?sslmode=verify-full&sslrootcert=ca.pem'
  quarry print-schema --from-sql schema.sql --dialect postgres --map-type citext=Text

TLS to PostgreSQL (rustls; the `tls` feature, on by default), chosen by the URL's sslmode:
  disable       never TLS
  prefer        (default) TLS when the server offers it, else plain; the certificate is
                checked only when sslrootcert is given
  require       TLS or fail; the certificate must chain to a trusted root and name the host
  verify-ca     TLS or fail; the certificate must chain to a trusted root
  verify-full   as require
Trusted roots: the system's, plus the PEM file sslrootcert=FILE. A certificate that fails
its check fails the connection; quarry never falls back to plain after it.")]
struct PrintSchema {
    /// `sqlite://app.db`, `sqlite:///abs/app.db`, a file path,
    /// `postgres://user@host/db`, or `mysql://user@host/db` (MariaDB,
    /// MySQL). The SQLite file is opened read-only and never created.
    /// Without it and `--from-sql`: `DATABASE_URL`, from the environment or
    /// a `.env` file.
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,

    /// Reads `CREATE TABLE` / `CREATE VIEW` statements from FILE instead of
    /// a database.
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with = "database_url",
        requires = "dialect"
    )]
    from_sql: Option<PathBuf>,

    /// The SQL dialect of `--from-sql`.
    #[arg(long, value_enum, requires = "from_sql")]
    dialect: Option<DialectArg>,

    /// Writes to FILE (replaced in one step) instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,

    /// Prints only tables whose whole name matches one of these regexes.
    #[arg(long, value_name = "REGEX", num_args = 1..)]
    only_tables: Vec<String>,

    /// Leaves out tables whose whole name matches one of these regexes.
    #[arg(long, value_name = "REGEX", num_args = 1..)]
    except_tables: Vec<String>,

    /// The PostgreSQL schema to print (default `public`). Queries reach its
    /// tables through the connection's `search_path`. On MariaDB, the
    /// database to print (default: the URL's).
    #[arg(long, value_name = "NAME")]
    schema: Option<String>,

    /// Maps a database type quarry does not know, e.g. `citext=Text` or
    /// `mood=crate::sql_types::Mood`; `table.column=Type` maps one column.
    #[arg(long, value_name = "DBTYPE=TYPE")]
    map_type: Vec<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum DialectArg {
    Postgres,
    Sqlite,
}

fn main() -> ExitCode {
    // Usage errors exit with 2 (clap's own); failures with 1.
    let result = match Cli::parse().command {
        Command::PrintSchema(args) => print_schema(args),
        Command::Migration(args) => migration(args),
        Command::Database(args) => database(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(match error {
                quarry_schema::Error::Usage(_)
                | quarry_schema::Error::BadMapType { .. }
                | quarry_schema::Error::BadPattern { .. } => 2,
                _ => 1,
            })
        }
    }
}

fn context(common: Common) -> Result<Context, quarry_schema::Error> {
    Context::new(
        common.database_url,
        common.config_file.as_deref(),
        common.migration_dir,
    )
}

fn migration(args: Migration) -> Result<ExitCode, quarry_schema::Error> {
    let context = context(args.common)?;
    match args.action {
        MigrationAction::Generate {
            name,
            diff_schema,
            version,
        } => {
            let schema_file =
                diff_schema.map(|file| file.unwrap_or_else(|| context.config.schema_file()));
            let generated =
                commands::generate(&context, &name, schema_file.as_deref(), version.as_deref())?;
            if generated.changed {
                println!("created {}", generated.dir.display());
            } else {
                println!("the database already matches the schema file; nothing to generate");
            }
        }
        MigrationAction::Run => {
            let applied = commands::run(&context)?;
            if applied.is_empty() {
                println!("no pending migrations; nothing applied");
            }
            for dir in applied {
                println!("applied {dir}");
            }
        }
        MigrationAction::Revert { all, number } => {
            let count = if all { Count::All } else { Count::Last(number) };
            let reverted = commands::revert(&context, count)?;
            if reverted.is_empty() {
                println!("no migration is applied; nothing reverted");
            }
            for dir in reverted {
                println!("reverted {dir}");
            }
        }
        MigrationAction::Redo { number } => {
            let (reverted, ran) = commands::redo(&context, number)?;
            if reverted.is_empty() {
                println!("no migration is applied; nothing redone");
            }
            for dir in reverted {
                println!("reverted {dir}");
            }
            for dir in ran {
                println!("applied {dir}");
            }
        }
        MigrationAction::List => {
            for status in commands::list(&context)? {
                let state = match (&status.applied, status.in_folder) {
                    (Some(applied), true) => format!("applied {}", applied.run_on),
                    (Some(applied), false) => {
                        format!("applied {} (folder missing)", applied.run_on)
                    }
                    (None, _) => "pending".to_owned(),
                };
                println!("[{}] {state}", status.dir);
            }
        }
        MigrationAction::Check => {
            let problems = commands::check(&context)?;
            if !problems.is_empty() {
                for problem in &problems {
                    println!("{problem}");
                }
                return Ok(ExitCode::from(1));
            }
            println!("the database, the migrations and the schema file agree");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn database(args: DatabaseCommand) -> Result<ExitCode, quarry_schema::Error> {
    let context = context(args.common)?;
    match args.action {
        DatabaseAction::Setup | DatabaseAction::Reset => {
            let ran = match args.action {
                DatabaseAction::Reset => commands::reset(&context)?,
                _ => commands::setup(&context)?,
            };
            for dir in ran {
                println!("applied {dir}");
            }
        }
        DatabaseAction::Drop => commands::drop_database(&context)?,
    }
    Ok(ExitCode::SUCCESS)
}

fn print_schema(args: PrintSchema) -> Result<ExitCode, quarry_schema::Error> {
    let source = match (args.database_url, args.from_sql, args.dialect) {
        (_, Some(path), Some(dialect)) => Source::Ddl {
            path,
            dialect: match dialect {
                DialectArg::Postgres => Dialect::Postgres,
                DialectArg::Sqlite => Dialect::Sqlite,
            },
        },
        (Some(url), _, _) => Source::Url(url),
        (None, None, _) => match database_url_from_env() {
            Some(url) => Source::Url(url),
            None => {
                return Err(quarry_schema::Error::Usage(
                    "give `--database-url URL` (or set DATABASE_URL), or `--from-sql FILE \
                     --dialect postgres|sqlite`"
                        .to_owned(),
                ));
            }
        },
        // clap requires `--dialect` with `--from-sql`.
        _ => {
            return Err(quarry_schema::Error::Usage(
                "give `--database-url URL`, or `--from-sql FILE --dialect postgres|sqlite`"
                    .to_owned(),
            ));
        }
    };
    let options = Options {
        source,
        only_tables: args.only_tables,
        except_tables: args.except_tables,
        schema: args.schema,
        map_types: args.map_type,
    };
    let printed = quarry_schema::print_schema(&options)?;
    match args.output {
        Some(path) => quarry_schema::write_atomically(&path, &printed).map(|()| ExitCode::SUCCESS),
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`| head`) is not worth an error message.
            let _ = stdout.write_all(printed.as_bytes());
            let _ = stdout.flush();
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `DATABASE_URL`, from the environment or a `.env` file.
fn database_url_from_env() -> Option<String> {
    // A missing or broken `.env` leaves the environment as it is.
    let _ = dotenvy::dotenv();
    std::env::var("DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty())
}
