//! `pam asl …`: validate and run ASL definitions on the embedded engine.
//! Stable CLI contract (see README): exit 0 on a result, 2 on usage/invalid definition.

use clap::{Args, Subcommand};
use std::process::ExitCode;

#[derive(Args)]
pub struct AslArgs {
    #[command(subcommand)]
    command: AslCommand,
}

#[derive(Subcommand)]
enum AslCommand {
    /// Validate a definition: exit 0, or exit 2 with every problem listed.
    Validate { file: std::path::PathBuf },
}

pub fn run(args: AslArgs) -> ExitCode {
    match args.command {
        AslCommand::Validate { file } => {
            eprintln!("not yet implemented: {}", file.display());
            ExitCode::from(2)
        }
    }
}
