//! The `quarry` command.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
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
}

#[derive(Args)]
#[command(after_help = "Examples:
  quarry print-schema --database-url sqlite://app.db -o src/schema.rs
  quarry print-schema --database-url postgres://me@localhost/app --schema billing
  quarry print-schema --from-sql schema.sql --dialect postgres --map-type citext=Text")]
struct PrintSchema {
    /// `sqlite://app.db`, `sqlite:///abs/app.db`, a file path, or
    /// `postgres://user@host/db`. The SQLite file is opened read-only and
    /// never created.
    #[arg(long, value_name = "URL", required_unless_present = "from_sql")]
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
    /// tables through the connection's `search_path`.
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
    let Cli {
        command: Command::PrintSchema(args),
    } = Cli::parse();
    match print_schema(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

fn print_schema(args: PrintSchema) -> Result<(), quarry_schema::Error> {
    let source = match (args.database_url, args.from_sql, args.dialect) {
        (_, Some(path), Some(dialect)) => Source::Ddl {
            path,
            dialect: match dialect {
                DialectArg::Postgres => Dialect::Postgres,
                DialectArg::Sqlite => Dialect::Sqlite,
            },
        },
        (Some(url), _, _) => Source::Url(url),
        // clap requires one of them, and `--dialect` with `--from-sql`.
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
        Some(path) => quarry_schema::write_atomically(&path, &printed),
        None => {
            let mut stdout = std::io::stdout().lock();
            // A closed pipe (`| head`) is not worth an error message.
            let _ = stdout.write_all(printed.as_bytes());
            let _ = stdout.flush();
            Ok(())
        }
    }
}
