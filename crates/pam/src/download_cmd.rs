//! `pam download`: a zip of every photo carrying the labels, restored first where
//! archived, announced by email or SMS with a link that expires. Stable contract
//! (README):
//! `pam download --label L [--label L2…] [--match any|all] (--email E | --phone P)
//! [--tier Expedited|Standard|Bulk] [--link-ttl 24h] [--wait] [--json]` →
//! `{"job_id","status","photos","bundle":{"url","path","size","expires_at","parts"}}`
//! (`bundle` is `null` until the job is ready; more fields as `pam jobs` shows them).
//! Without `--wait` the job is queued and runs whenever the engine runs: in `pam
//! serve`, or in the next engine-running command (`pam jobs ID --wait`, `pam import`,
//! `pam labels`). `--dry-run` starts nothing and needs no address (see `dry_run`).
//! Exit codes: 0 done (or queued), 1 failure (the job failed, or the data directory is
//! busy), 2 bad input (the message names it: address, label, tier, link lifetime…).

use crate::downloads::{self, DownloadError};
use crate::jobs_cmd::{print_status, wait_for_job};
use crate::world::{Access, World, WorldArgs};
use crate::world_config::Age;
use clap::{ArgGroup, Args};
use pam_core::{Label, MatchMode, NotifyTarget, RestoreTier};
use pam_tasks::download::DownloadRequest;
use std::process::ExitCode;

#[derive(Args)]
#[command(group(ArgGroup::new("notify").args(["email", "phone"]).required(false)))]
pub struct DownloadArgs {
    #[command(flatten)]
    world: WorldArgs,
    /// A label the photos carry (repeat for more).
    #[arg(long = "label", required = true, value_name = "LABEL")]
    labels: Vec<String>,
    /// Photos carrying any of the labels, or all of them.
    #[arg(long = "match", default_value = "any", value_name = "any|all")]
    match_mode: String,
    /// Email address to send the link to.
    #[arg(long)]
    email: Option<String>,
    /// Phone number (E.164, e.g. +14155550123) to text the link to.
    #[arg(long)]
    phone: Option<String>,
    /// Restore tier for archived photos: Expedited (minutes on AWS), Standard (hours),
    /// Bulk (cheapest).
    #[arg(long, default_value = "Standard", value_name = "TIER")]
    tier: String,
    /// How long the link works (at most 7d).
    #[arg(long, default_value = "24h", value_name = "DURATION")]
    link_ttl: String,
    /// Run the job here and return once it is ready or failed (else it is queued and
    /// runs in `pam serve` or the next engine-running command).
    #[arg(long)]
    wait: bool,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// Show what the download would involve (matches, archived, size, waits, AWS
    /// cost per tier) without starting it.
    #[arg(long)]
    dry_run: bool,
}

/// Input that is wrong: exit 2 with this message.
struct BadInput(String);

fn request(args: &DownloadArgs) -> Result<(Vec<Label>, MatchMode, RestoreTier), BadInput> {
    let labels = args
        .labels
        .iter()
        .map(|l| Label::parse(l).map_err(|e| BadInput(format!("--label {l:?}: {e}"))))
        .collect::<Result<Vec<_>, _>>()?;
    let mode = args
        .match_mode
        .parse()
        .map_err(|e| BadInput(format!("--match: {e}")))?;
    let tier = args
        .tier
        .parse()
        .map_err(|e| BadInput(format!("--tier: {e}")))?;
    Ok((labels, mode, tier))
}

fn full_request(args: &DownloadArgs) -> Result<DownloadRequest, BadInput> {
    let (labels, mode, tier) = request(args)?;
    // The address's own text never appears in a message.
    let notify = match (&args.email, &args.phone) {
        (Some(e), None) => {
            NotifyTarget::email(e.as_str()).map_err(|e| BadInput(format!("--email: {e}")))?
        }
        (None, Some(p)) => {
            NotifyTarget::phone(p.as_str()).map_err(|e| BadInput(format!("--phone: {e}")))?
        }
        _ => {
            return Err(BadInput(
                "say where to send the link: --email ADDRESS or --phone +NUMBER".into(),
            ));
        }
    };
    let ttl: Age = args
        .link_ttl
        .parse()
        .map_err(|e| BadInput(format!("--link-ttl: {e}")))?;
    let ttl = ttl
        .0
        .to_std()
        .map_err(|_| BadInput("--link-ttl: must be positive".into()))?;
    DownloadRequest::new(labels, mode, notify, tier, ttl).map_err(|e| match e {
        pam_tasks::StepError::InvalidInput(why) => BadInput(why),
        other => BadInput(other.to_string()),
    })
}

pub fn run(args: DownloadArgs) -> ExitCode {
    crate::world::init_logging();
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    match runtime.block_on(download(&args)) {
        Ok(code) => code,
        Err(Failure::BadInput(why)) => {
            eprintln!("pam download: {why}");
            ExitCode::from(2)
        }
        Err(Failure::Other(e)) => {
            eprintln!("pam download: {e:#}");
            ExitCode::FAILURE
        }
    }
}

enum Failure {
    BadInput(String),
    Other(anyhow::Error),
}

impl<E: Into<anyhow::Error>> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure::Other(e.into())
    }
}

async fn download(args: &DownloadArgs) -> Result<ExitCode, Failure> {
    if args.dry_run {
        let (labels, mode, tier) = request(args).map_err(|b| Failure::BadInput(b.0))?;
        let world = World::open_read_only(&args.world).await?;
        let report = crate::dry_run::dry_run(&world, &labels, mode, tier).await?;
        print_dry_run(&report, args.json);
        return Ok(ExitCode::SUCCESS);
    }
    let req = full_request(args).map_err(|b| Failure::BadInput(b.0))?;
    let access = if args.wait {
        Access::RunEngine
    } else {
        Access::ReadOnly
    };
    let world = World::open_with(&args.world, access).await?;
    let record = match downloads::start(&world, &req).await {
        Ok(record) => record,
        Err(e) if e.is_bad_request() => return Err(Failure::BadInput(e.to_string())),
        Err(e @ DownloadError::Prepare(_)) => return Err(Failure::Other(e.into())),
        Err(e) => return Err(e.into()),
    };
    if args.wait {
        return wait_for_job(&world, &record.job_id, args.json)
            .await
            .map_err(Failure::Other);
    }
    let status = downloads::status(&world, &record.job_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("job {} vanished", record.job_id))?;
    print_status(&status, args.json);
    eprintln!(
        "pam download: job {} is queued; it runs when the engine runs: in `pam serve`, or \
         `pam jobs {} --wait` here",
        record.job_id, record.job_id
    );
    Ok(ExitCode::SUCCESS)
}

fn print_dry_run(report: &serde_json::Value, as_json: bool) {
    if as_json {
        println!("{report}");
        return;
    }
    println!(
        "{} photo(s) match, {} bytes; bundle about {} bytes",
        report["photos"], report["bytes"], report["bundle_size_estimate"]
    );
    println!(
        "{} archived ({} already restored)",
        report["archived"], report["already_restored"]
    );
    if let Some(classes) = report["archived_by_class"].as_object() {
        for (class, c) in classes {
            println!("  {class}: {} photo(s), {} bytes", c["photos"], c["bytes"]);
        }
    }
    println!("TIER        WAIT HERE   WAIT ON AWS   AWS COST (USD)");
    for t in report["tiers"].as_array().into_iter().flatten() {
        println!(
            "{:<10}  {:>8}s   {:>10}s   {:>14}",
            t["tier"].as_str().unwrap_or(""),
            t["expected_wait_seconds"],
            t["aws_expected_wait_seconds"],
            t["aws_cost_usd"]
        );
    }
}
