//! `pam user add NAME --email E [--password-stdin]` and `pam user list`: the local
//! accounts `pam serve` signs people in with (Cognito's user pool on AWS). Without
//! `--password-stdin` a password is generated and printed once. The email is the
//! account's own attribute; it is stored with the account and never logged.

use crate::world::WorldArgs;
use clap::{Args, Subcommand};
use pam_local::accounts::{AccountError, Accounts, Username, generate_password};
use std::io::Read;
use std::process::ExitCode;

/// `pam user` options.
#[derive(Args)]
pub struct UserArgs {
    #[command(subcommand)]
    command: UserCommand,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an account.
    Add {
        #[command(flatten)]
        world: WorldArgs,
        /// Sign-in name (letters, digits, '.', '_', '-').
        name: String,
        /// The account's email address.
        #[arg(long)]
        email: String,
        /// Read the password from standard input (one line) instead of generating one.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a new password (generated, or from standard input).
    Passwd {
        #[command(flatten)]
        world: WorldArgs,
        /// Sign-in name.
        name: String,
        /// Read the password from standard input (one line).
        #[arg(long)]
        password_stdin: bool,
    },
    /// List accounts (names and creation times; no emails).
    List {
        #[command(flatten)]
        world: WorldArgs,
    },
}

/// Exit code for bad input.
const USAGE: u8 = 2;

fn read_password(from_stdin: bool) -> Result<(String, bool), String> {
    if !from_stdin {
        return Ok((generate_password(), true));
    }
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|e| format!("reading the password from standard input: {e}"))?;
    let line = text.lines().next().unwrap_or("").to_owned();
    Ok((line, false))
}

fn open(world: &WorldArgs) -> anyhow::Result<Accounts> {
    let dir = world.data_dir()?;
    std::fs::create_dir_all(&dir)?;
    Ok(Accounts::open(&dir.join("accounts.sqlite"))?)
}

fn open_or_exit(world: &WorldArgs) -> Result<Accounts, ExitCode> {
    open(world).map_err(|e| {
        eprintln!("pam user: {e:#}");
        ExitCode::FAILURE
    })
}

/// What `add` and `passwd` both need, in the order they check it: a valid name, the
/// password (read or generated, and whether it was generated), the opened accounts.
fn credentials(
    world: &WorldArgs,
    name: &str,
    password_stdin: bool,
) -> Result<(Username, String, bool, Accounts), ExitCode> {
    let name = Username::parse(name).map_err(|e| fail(e.into()))?;
    let (password, generated) = read_password(password_stdin).map_err(|e| {
        eprintln!("pam user: {e}");
        ExitCode::FAILURE
    })?;
    let accounts = open_or_exit(world)?;
    Ok((name, password, generated, accounts))
}

fn fail(e: AccountError) -> ExitCode {
    eprintln!("pam user: {e}");
    match e {
        AccountError::Db { .. } => ExitCode::FAILURE,
        _ => ExitCode::from(USAGE),
    }
}

/// Runs `pam user …`.
pub fn run(args: UserArgs) -> ExitCode {
    crate::world::init_logging();
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    runtime.block_on(async {
        match args.command {
            UserCommand::Add {
                world,
                name,
                email,
                password_stdin,
            } => {
                let (name, password, generated, accounts) =
                    match credentials(&world, &name, password_stdin) {
                        Ok(c) => c,
                        Err(code) => return code,
                    };
                match accounts.add(&name, Some(&email), &password).await {
                    Ok(user) => {
                        println!("created user {}", user.name);
                        if generated {
                            println!("password: {password}");
                        }
                        ExitCode::SUCCESS
                    }
                    Err(e) => fail(e),
                }
            }
            UserCommand::Passwd {
                world,
                name,
                password_stdin,
            } => {
                let (name, password, generated, accounts) =
                    match credentials(&world, &name, password_stdin) {
                        Ok(c) => c,
                        Err(code) => return code,
                    };
                match accounts.set_password(&name, &password).await {
                    Ok(()) => {
                        println!("password of {name} changed");
                        if generated {
                            println!("password: {password}");
                        }
                        ExitCode::SUCCESS
                    }
                    Err(e) => fail(e),
                }
            }
            UserCommand::List { world } => {
                let accounts = match open_or_exit(&world) {
                    Ok(a) => a,
                    Err(code) => return code,
                };
                match accounts.list().await {
                    Ok(users) => {
                        for u in users {
                            println!("{}\t{}", u.name, u.created_at.to_rfc3339());
                        }
                        ExitCode::SUCCESS
                    }
                    Err(e) => fail(e),
                }
            }
        }
    })
}
