//! `pam jobs [JOB_ID] [--json] [--wait]`: download jobs' stage and counts (matched,
//! archived, restored, zipped), the bundle once ready, the error once failed. Stable
//! contract (README): `pam jobs --json` → `{"jobs":[<status>…]}` newest first;
//! `pam jobs ID --json` → `<status>`, the object `pam download --json` prints:
//! `{"job_id","status","stage","photos","counts":{…},"bundle":{"url","path","size",
//! "expires_at","parts":[{"key","size","url","path"}]}|null,"error":{"code","message"}|null,
//! "labels","match","tier","notify","execution_status","execution_arn","created_at",
//! "updated_at"}`. Reading needs no engine (works while `pam serve` runs);
//! `--wait` runs the engine here (resuming queued or interrupted executions) until the
//! job has ended: exit 0 when ready, 1 when failed. Unknown job → exit 2.

use crate::downloads::{self, JobStatus, execution_arn};
use crate::world::{Access, World, WorldArgs};
use clap::Args;
use pam_core::JobId;
use pam_core::ports::index::PageRequest;
use serde_json::json;
use std::process::ExitCode;

#[derive(Args)]
pub struct JobsArgs {
    #[command(flatten)]
    world: WorldArgs,
    /// One job (else every job, newest first).
    job_id: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
    /// Run the engine here until the job has ended (needs JOB_ID).
    #[arg(long, requires = "job_id")]
    wait: bool,
}

pub fn run(args: JobsArgs) -> ExitCode {
    crate::world::init_logging();
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    match runtime.block_on(jobs(&args)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("pam jobs: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn jobs(args: &JobsArgs) -> anyhow::Result<ExitCode> {
    let job = match &args.job_id {
        None => None,
        Some(id) => match JobId::parse(id.as_str()) {
            Ok(job) => Some(job),
            Err(e) => {
                eprintln!("pam jobs: {e}");
                return Ok(ExitCode::from(2));
            }
        },
    };
    let access = if args.wait {
        Access::RunEngine
    } else {
        Access::ReadOnly
    };
    let world = World::open_with(&args.world, access).await?;
    let Some(job) = job else {
        list(&world, args.json).await?;
        return Ok(ExitCode::SUCCESS);
    };
    if downloads::status(&world, &job).await?.is_none() {
        eprintln!("pam jobs: no download job {job} (`pam jobs` lists them)");
        return Ok(ExitCode::from(2));
    }
    if args.wait {
        world.resume();
        return wait_for_job(&world, &job, args.json).await;
    }
    let status = downloads::status(&world, &job)
        .await?
        .expect("checked above");
    print_status(&status, args.json);
    Ok(ExitCode::SUCCESS)
}

async fn list(world: &World, as_json: bool) -> anyhow::Result<()> {
    let mut all = Vec::new();
    let mut page = PageRequest::first(100);
    loop {
        let got = world.downloads.jobs.list(page.clone()).await?;
        for record in &got.items {
            if let Some(status) = downloads::status(world, &record.job_id).await? {
                all.push(status);
            }
        }
        match got.next {
            Some(next) => page.after = Some(next),
            None => break,
        }
    }
    if as_json {
        println!("{}", json!({ "jobs": all }));
        return Ok(());
    }
    println!(
        "{:<36}  {:<9}  {:>7} {:>8} {:>8} {:>6}  LABELS",
        "JOB", "STAGE", "MATCHED", "ARCHIVED", "RESTORED", "ZIPPED"
    );
    for s in &all {
        println!(
            "{:<36}  {:<9}  {:>7} {:>8} {:>8} {:>6}  {}",
            s.job_id,
            s.stage,
            s.counts.matched,
            s.counts.archived,
            s.counts.restored,
            s.counts.zipped,
            s.labels.join(", ")
        );
    }
    Ok(())
}

/// Waits (running the engine) until the job's execution has ended, prints its status;
/// exit 0 when ready, 1 when failed.
pub async fn wait_for_job(world: &World, job: &JobId, as_json: bool) -> anyhow::Result<ExitCode> {
    let arn = execution_arn(job);
    let ended = world.engine.wait(&arn).await?;
    let status = downloads::status(world, job)
        .await?
        .ok_or_else(|| anyhow::anyhow!("job {job} vanished"))?;
    print_status(&status, as_json);
    if status.stage == "ready" {
        return Ok(ExitCode::SUCCESS);
    }
    match &status.error {
        Some(e) => eprintln!("pam download: job {job} failed: {} ({})", e.message, e.code),
        None => eprintln!(
            "pam download: job {job} ended {} at stage {}",
            ended.status.as_str(),
            status.stage
        ),
    }
    Ok(ExitCode::FAILURE)
}

/// Prints one job: JSON, or a few human lines.
pub fn print_status(status: &JobStatus, as_json: bool) {
    if as_json {
        println!(
            "{}",
            serde_json::to_string(status).expect("a status serialises")
        );
        return;
    }
    let c = &status.counts;
    println!(
        "job {}: {} — {} matched, {} archived, {} restored, {} zipped",
        status.job_id, status.stage, c.matched, c.archived, c.restored, c.zipped
    );
    if let Some(b) = &status.bundle {
        for p in &b.parts {
            println!("  {}", p.url.as_deref().unwrap_or("(no link yet)"));
            if let Some(path) = &p.path {
                println!("  file: {}", path.display());
            }
        }
        println!(
            "  {} bytes, link expires {}",
            b.size,
            b.expires_at.as_deref().unwrap_or("-")
        );
    }
    if let Some(e) = &status.error {
        println!("  failed: {} ({})", e.message, e.code);
    }
}
