//! `pam executions [--json]` and `pam executions history ID [--json]`: the operator
//! view the Step Functions console gives on AWS, read straight from the durable
//! execution store — so it works while another process (`pam serve`) runs the engine.
//! Stable contract (README):
//! `pam executions --json` → `{"executions":[{"executionArn","stateMachineArn","name",
//! "status","startDate","stopDate"}]}` newest first (ListExecutions' items);
//! `pam executions history ID --json` → `{"events":[{"id","previousEventId","timestamp",
//! "type",…EventDetails}]}` (GetExecutionHistory's shape). ID is an execution ARN or
//! name (a download's job id is its execution's name). Unknown ID → exit 2.

use crate::world::WorldArgs;
use clap::{Args, Subcommand};
use pam_asl::store::{ExecutionRecord, Store, StoreError};
use serde_json::{Value, json};
use std::path::Path;
use std::process::ExitCode;

#[derive(Args)]
pub struct ExecutionsArgs {
    #[command(flatten)]
    world: WorldArgs,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
    #[command(subcommand)]
    command: Option<ExecutionsCommand>,
}

#[derive(Subcommand)]
enum ExecutionsCommand {
    /// One execution's history events (GetExecutionHistory).
    History {
        /// Execution ARN or name (a download's job id).
        id: String,
        #[command(flatten)]
        world: WorldArgs,
        /// Print JSON instead of one line per event.
        #[arg(long)]
        json: bool,
    },
}

/// Why an executions query failed.
#[derive(Debug, thiserror::Error)]
pub enum ExecutionsError {
    /// No execution has this ARN or name.
    #[error(
        "no execution named {0:?} (give an execution ARN or name; `pam executions` lists them)"
    )]
    NotFound(String),
    /// A name matches executions of several state machines.
    #[error("{0:?} names executions of several state machines; give the full ARN: {1}")]
    Ambiguous(String, String),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Opens the execution store of a data directory (read by this process, run by any).
pub fn open_store(data_dir: &Path) -> Result<Store, StoreError> {
    Store::open(&data_dir.join(crate::world::EXECUTIONS_FILE))
}

/// One ListExecutions item.
pub fn summary(r: &ExecutionRecord) -> Value {
    json!({
        "executionArn": r.execution_arn,
        "stateMachineArn": format!("arn:aws:states:local:000000000000:stateMachine:{}", r.state_machine),
        "name": r.name,
        "status": r.status.as_str(),
        "startDate": r.start_date,
        "stopDate": r.stop_date,
    })
}

/// Finds an execution by ARN or by name.
pub fn find(store: &Store, id: &str) -> Result<ExecutionRecord, ExecutionsError> {
    if id.starts_with("arn:") {
        return store.get(id).map_err(|e| match e {
            StoreError::NotFound(_) => ExecutionsError::NotFound(id.to_owned()),
            e => e.into(),
        });
    }
    let mut found: Vec<ExecutionRecord> =
        store.list()?.into_iter().filter(|r| r.name == id).collect();
    match found.len() {
        0 => Err(ExecutionsError::NotFound(id.to_owned())),
        1 => Ok(found.remove(0)),
        _ => {
            let arns: Vec<String> = found.into_iter().map(|r| r.execution_arn).collect();
            Err(ExecutionsError::Ambiguous(id.to_owned(), arns.join(", ")))
        }
    }
}

/// The history of the execution `id` names (ARN or name).
pub fn history(store: &Store, id: &str) -> Result<Vec<pam_asl::HistoryEvent>, ExecutionsError> {
    let record = find(store, id)?;
    Ok(store.events(&record.execution_arn)?)
}

pub fn run(args: ExecutionsArgs) -> ExitCode {
    crate::world::init_logging();
    let result = match &args.command {
        None => list(&args.world, args.json),
        Some(ExecutionsCommand::History { id, world, json }) => {
            let world = if world.data_dir.is_some() {
                world
            } else {
                &args.world
            };
            show_history(world, id, *json || args.json)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pam executions: {e:#}");
            let bad_input = matches!(
                e.downcast_ref::<ExecutionsError>(),
                Some(ExecutionsError::NotFound(_) | ExecutionsError::Ambiguous(..))
            );
            ExitCode::from(if bad_input { 2 } else { 1 })
        }
    }
}

fn list(world: &WorldArgs, as_json: bool) -> anyhow::Result<()> {
    let store = open_store(&world.data_dir()?)?;
    let records = store.list()?;
    if as_json {
        let items: Vec<Value> = records.iter().map(summary).collect();
        println!("{}", json!({ "executions": items }));
        return Ok(());
    }
    println!(
        "{:<10}  {:<10}  {:<24}  {:<24}  NAME",
        "MACHINE", "STATUS", "STARTED", "STOPPED"
    );
    for r in &records {
        println!(
            "{:<10}  {:<10}  {:<24}  {:<24}  {}",
            r.state_machine,
            r.status.as_str(),
            r.start_date,
            r.stop_date.as_deref().unwrap_or("-"),
            r.name
        );
    }
    Ok(())
}

fn show_history(world: &WorldArgs, id: &str, as_json: bool) -> anyhow::Result<()> {
    let store = open_store(&world.data_dir()?)?;
    let events = history(&store, id)?;
    if as_json {
        println!("{}", json!({ "events": events }));
        return Ok(());
    }
    for e in &events {
        let state = e
            .details
            .values()
            .find_map(|d| d.get("name").and_then(Value::as_str))
            .unwrap_or("");
        println!(
            "{:>4}  {}  {:<28}  {state}",
            e.id, e.timestamp, e.event_type
        );
    }
    Ok(())
}
