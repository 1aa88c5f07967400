//! The `pam` binary: wiring only. Each subcommand lives in its own module and
//! calls into the library crates; nothing here knows how a step works.

mod asl_cmd;
mod bench_bundle;
mod bench_cmd;
mod bench_index;
mod download_cmd;
mod downloads;
mod dry_run;
mod engine_lock;
mod executions_cmd;
mod import_cmd;
mod import_files;
mod invoker;
mod jobs_cmd;
mod labels_cmd;
mod restore_prices;
mod rule;
mod serve;
mod slow_parts;
mod user_cmd;
mod world;
mod world_config;
mod world_downloads;
mod world_maintenance;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Photo asset management on one machine.
#[derive(Parser)]
#[command(name = "pam", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Amazon States Language tools: validate, run, run-cases.
    Asl(asl_cmd::AslArgs),
    /// Benchmarks: `bench labelling` (throughput against a Python baseline).
    Bench(bench_cmd::BenchArgs),
    /// A zip of the photos carrying labels, restored first where archived, sent as a link.
    Download(download_cmd::DownloadArgs),
    /// Labelling and download executions and their history (the operator view).
    Executions(executions_cmd::ExecutionsArgs),
    /// Import JPEG files or folders and wait until they are labelled.
    Import(import_cmd::ImportArgs),
    /// Download jobs: stage, counts, bundle link, error.
    Jobs(jobs_cmd::JobsArgs),
    /// Every label with the number of photos carrying it, highest first.
    Labels(labels_cmd::ListArgs),
    /// Every photo with its labels and storage class.
    Photos(labels_cmd::ListArgs),
    /// The REST API, sign-in and the web app, with the engine running.
    Serve(serve::ServeArgs),
    /// Local accounts: `user add NAME --email E`, `user passwd`, `user list`.
    User(user_cmd::UserArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Asl(args) => asl_cmd::run(args),
        Command::Bench(args) => bench_cmd::run(args),
        Command::Download(args) => download_cmd::run(args),
        Command::Executions(args) => executions_cmd::run(args),
        Command::Import(args) => import_cmd::run(args),
        Command::Jobs(args) => jobs_cmd::run(args),
        Command::Labels(args) => labels_cmd::run(args, labels_cmd::Listing::Labels),
        Command::Photos(args) => labels_cmd::run(args, labels_cmd::Listing::Photos),
        Command::Serve(args) => serve::run(args),
        Command::User(args) => user_cmd::run(args),
    }
}
