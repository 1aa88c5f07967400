//! `pam asl …`: validate and run ASL definitions on the embedded engine.
//! Stable CLI contract (see README): exit 0 on a result, 2 on usage/invalid definition.
//!
//! - `validate FILE` — exit 0, or 2 with every problem on stderr.
//! - `run --definition FILE [--input FILE|-]` — one JSON line with the outcome.
//! - `run-cases FILE.jsonl` — each case on a virtual clock, one JSON line per case.
//! - `exec --store DB …` — a durable execution (resumes what a previous process left
//!   RUNNING); `history` and `list` read the same store.

use clap::{Args, Subcommand};
use pam_asl::store::{Store, StoreError};
use pam_asl::{
    Engine, EngineError, NoInvoker, Outcome, RunError, SystemClock, VirtualClock, run_definition,
};
use serde_json::{Value, json};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(Args)]
pub struct AslArgs {
    #[command(subcommand)]
    command: AslCommand,
}

#[derive(Subcommand)]
enum AslCommand {
    /// Validate a definition: exit 0, or exit 2 with every problem listed.
    Validate { file: PathBuf },
    /// Run a definition once (system clock; Task states have no invoker and fail).
    Run {
        /// The ASL definition (JSON).
        #[arg(long)]
        definition: PathBuf,
        /// The execution input: a JSON file, or `-` for stdin. Default `{}`.
        #[arg(long)]
        input: Option<String>,
        /// Also write the execution history (JSON array) to this file.
        #[arg(long)]
        history: Option<PathBuf>,
    },
    /// Run every case of a JSONL file on a virtual clock; one result line per case.
    RunCases { file: PathBuf },
    /// Start (or resume) a durable execution in a SQLite store and wait for it to end.
    Exec {
        /// The SQLite store (created if missing).
        #[arg(long)]
        store: PathBuf,
        /// The ASL definition (JSON).
        #[arg(long)]
        definition: PathBuf,
        /// The execution input file, or `-`. Default `{}`.
        #[arg(long)]
        input: Option<String>,
        /// Execution name (unique per state machine); an existing one is awaited, not restarted.
        #[arg(long)]
        name: Option<String>,
        /// State machine name.
        #[arg(long, default_value = "local")]
        machine: String,
    },
    /// Print an execution's history from a store (JSON array).
    History {
        #[arg(long)]
        store: PathBuf,
        /// Execution ARN.
        arn: String,
    },
    /// List executions in a store (one JSON line each).
    List {
        #[arg(long)]
        store: PathBuf,
    },
}

/// A failure that maps to exit code 2 (usage, unreadable or invalid input).
struct UsageError(String);

impl<E: std::fmt::Display> From<E> for UsageError {
    fn from(e: E) -> Self {
        UsageError(e.to_string())
    }
}

pub fn run(args: AslArgs) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(dispatch(args.command)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(UsageError(message)) => {
            eprintln!("{message}");
            ExitCode::from(2)
        }
    }
}

async fn dispatch(command: AslCommand) -> Result<(), UsageError> {
    match command {
        AslCommand::Validate { file } => validate(&file),
        AslCommand::Run {
            definition,
            input,
            history,
        } => run_one(&definition, input.as_deref(), history.as_deref()).await,
        AslCommand::RunCases { file } => run_cases(&file).await,
        AslCommand::Exec {
            store,
            definition,
            input,
            name,
            machine,
        } => {
            exec(
                &store,
                &definition,
                input.as_deref(),
                name.as_deref(),
                &machine,
            )
            .await
        }
        AslCommand::History { store, arn } => {
            let engine = open_engine(&store)?;
            println!("{}", serde_json::to_string_pretty(&engine.history(&arn)?)?);
            Ok(())
        }
        AslCommand::List { store } => {
            for record in open_engine(&store)?.list()? {
                println!("{}", serde_json::to_string(&record)?);
            }
            Ok(())
        }
    }
}

fn read_json(path: &Path) -> Result<Value, UsageError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| UsageError(format!("cannot read {}: {e}", path.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| UsageError(format!("{} is not valid JSON: {e}", path.display())))
}

fn read_input(input: Option<&str>) -> Result<Value, UsageError> {
    match input {
        None => Ok(json!({})),
        Some("-") => {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text)?;
            serde_json::from_str(&text)
                .map_err(|e| UsageError(format!("stdin is not valid JSON: {e}")))
        }
        Some(path) => read_json(Path::new(path)),
    }
}

fn problems_text(file: &Path, problems: &[pam_asl::validate::Problem]) -> String {
    let mut text = format!("{}: {} problem(s)", file.display(), problems.len());
    for p in problems {
        text.push_str(&format!("\n  {p}"));
    }
    text
}

fn validate(file: &Path) -> Result<(), UsageError> {
    let definition = read_json(file)?;
    pam_asl::validate::validate_definition(&definition)
        .map_err(|p| UsageError(problems_text(file, &p)))?;
    eprintln!("{}: valid", file.display());
    Ok(())
}

fn run_error(file: &Path, e: RunError) -> UsageError {
    match e {
        RunError::Invalid(problems) => UsageError(problems_text(file, &problems)),
        other => UsageError(format!("{}: {other}", file.display())),
    }
}

async fn run_one(
    file: &Path,
    input: Option<&str>,
    history: Option<&Path>,
) -> Result<(), UsageError> {
    let definition = read_json(file)?;
    let input = read_input(input)?;
    let (outcome, events) = run_definition(
        &definition,
        input,
        Arc::new(SystemClock),
        Arc::new(NoInvoker),
    )
    .await
    .map_err(|e| run_error(file, e))?;
    if let Some(path) = history {
        std::fs::write(path, serde_json::to_string_pretty(&events)?)?;
    }
    println!("{}", outcome.to_json());
    Ok(())
}

async fn run_cases(file: &Path) -> Result<(), UsageError> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| UsageError(format!("cannot read {}: {e}", file.display())))?;
    for (n, line) in text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
    {
        let case: Value = serde_json::from_str(line)
            .map_err(|e| UsageError(format!("{} line {}: not JSON: {e}", file.display(), n + 1)))?;
        let id = case.get("id").cloned().unwrap_or(Value::Null);
        let definition = case.get("definition").cloned().unwrap_or(Value::Null);
        let input = case.get("input").cloned().unwrap_or_else(|| json!({}));
        let outcome = match run_definition(
            &definition,
            input,
            Arc::new(VirtualClock::default()),
            Arc::new(NoInvoker),
        )
        .await
        {
            Ok((outcome, _)) => outcome,
            Err(e) => Outcome {
                status: pam_asl::ExecutionStatus::Failed,
                output: None,
                error: Some("InvalidDefinition".into()),
                cause: Some(e.to_string()),
            },
        };
        let mut line = serde_json::Map::new();
        line.insert("id".into(), id);
        if let Value::Object(rest) = outcome.to_json() {
            line.extend(rest);
        }
        println!("{}", Value::Object(line));
    }
    Ok(())
}

fn open_engine(store: &Path) -> Result<Arc<Engine>, UsageError> {
    let store = Store::open(store)?;
    Ok(Engine::new(
        store,
        Arc::new(SystemClock),
        Arc::new(NoInvoker),
    ))
}

async fn exec(
    store: &Path,
    file: &Path,
    input: Option<&str>,
    name: Option<&str>,
    machine: &str,
) -> Result<(), UsageError> {
    let definition = read_json(file)?;
    let input = read_input(input)?;
    let engine = open_engine(store)?;
    let resumed = engine.resume_all()?;
    if !resumed.is_empty() {
        eprintln!("resumed {} execution(s)", resumed.len());
    }
    let arn = match engine.start(machine, name, &definition, input) {
        Ok(arn) => arn,
        Err(EngineError::Store(StoreError::AlreadyExists(arn))) => arn,
        Err(EngineError::InvalidDefinition(p)) => return Err(UsageError(problems_text(file, &p))),
        Err(e) => return Err(e.into()),
    };
    let record = engine.wait(&arn).await?;
    let mut line = serde_json::Map::new();
    line.insert("executionArn".into(), arn.into());
    line.insert("status".into(), record.status.as_str().into());
    if let Some(o) = record.output {
        line.insert("output".into(), o);
    }
    if let Some(e) = record.error {
        line.insert("error".into(), e.into());
    }
    if let Some(c) = record.cause {
        line.insert("cause".into(), c.into());
    }
    println!("{}", Value::Object(line));
    Ok(())
}
