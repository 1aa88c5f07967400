//! The `pam` binary: wiring only. Each subcommand lives in its own module and
//! calls into the library crates; nothing here knows how a step works.

mod asl_cmd;

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
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Asl(args) => asl_cmd::run(args),
    }
}
