//! `pam import PATH…`: stores every JPEG found (by content) in the photos bucket and
//! waits until each is labelled. Stable contract (README):
//! `--json` prints `{"imported":N,"duplicates":N,"rejected":[{"path","reason"}]}`;
//! exit 0 when the import ran (rejections are reported, not fatal), 1 on a failure.
//!
//! Photos are stored under `photos/<sha256>.jpg`, so the same bytes twice are one
//! photo (the second is counted as a duplicate and not stored again). Bytes are
//! streamed from disk to the store; labelling runs concurrently with the import, one
//! execution per object-created event, at most one inference per core at a time.

use crate::import_files::{Found, check_jpeg, fingerprint, walk};
use crate::world::{World, WorldArgs};
use anyhow::Context;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use pam_core::ObjectKey;
use pam_core::ports::store::{PhotoStore, PhotoStoreExt, PutOptions, PutSource, StoreError};
use pam_local::LabellingRule;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use serde_json::json;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// Characters escaped in the `file-name` metadata (S3 metadata is printable ASCII).
const NAME_ESCAPES: &AsciiSet = &CONTROLS.add(b'%');

#[derive(Args)]
pub struct ImportArgs {
    #[command(flatten)]
    world: WorldArgs,
    /// Files or folders (searched recursively).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Return once the photos are stored; labelling happens at the next command that
    /// opens the data directory (the events wait in the durable outbox).
    #[arg(long)]
    no_wait: bool,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
    /// Test at-least-once delivery: hand each object-created event to the labelling
    /// state machine this many times at once.
    #[arg(long, default_value_t = 1, hide = true)]
    deliveries: usize,
}

#[derive(Default)]
struct Report {
    imported: usize,
    duplicates: usize,
    rejected: Vec<(PathBuf, String)>,
    failed: Vec<(String, String)>,
}

enum Stored {
    New,
    Duplicate,
}

pub fn run(args: ImportArgs) -> ExitCode {
    crate::world::init_logging();
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    match runtime.block_on(import(&args)) {
        Ok(report) => {
            print_report(&report, args.json);
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("pam import: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn bar(len: usize, what: &str) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len as u64);
    let style = ProgressStyle::with_template("{msg:>10} [{bar:40}] {pos}/{len} ({eta})")
        .expect("a valid template")
        .progress_chars("=> ");
    bar.set_style(style);
    bar.set_message(what.to_owned());
    bar
}

async fn import(args: &ImportArgs) -> anyhow::Result<Report> {
    let world = World::open(&args.world).await?;
    if !args.no_wait {
        world.require_model().await?;
        world.rule.set_deliveries(args.deliveries);
        world.resume();
    }
    let found = walk(&args.paths);
    let mut report = Report::default();

    // Label while importing: a dispatcher delivers events as the writes commit.
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let dispatcher = (!args.no_wait).then(|| {
        let outbox = world.store.outbox().clone();
        let rule = LabellingRule::for_bucket(world.photos.clone());
        let handler: Arc<dyn pam_local::EventHandler> = world.rule.clone();
        tokio::spawn(async move {
            let shutdown = async {
                let _ = stopped.await;
            };
            outbox
                .run(rule, handler, std::time::Duration::from_secs(1), shutdown)
                .await
        })
    });

    let progress = bar(found.len(), "importing");
    let mut imported_keys = Vec::new();
    for item in found {
        progress.inc(1);
        let path = match item {
            Found::File(path) => path,
            Found::Refused(path, reason) => {
                report.rejected.push((path, reason));
                continue;
            }
        };
        if let Err(reason) = check_jpeg(&path) {
            report.rejected.push((path, reason));
            continue;
        }
        match store_photo(&world, &path).await {
            Ok((key, Stored::New)) => {
                report.imported += 1;
                imported_keys.push((key, path));
            }
            Ok((_, Stored::Duplicate)) => report.duplicates += 1,
            Err(StoreFailure::Read(e)) => report.rejected.push((path, e.to_string())),
            Err(StoreFailure::Store(e)) => {
                return Err(e).with_context(|| format!("storing {}", path.display()));
            }
        }
    }
    progress.finish_and_clear();
    let _ = stop.send(());
    if let Some(dispatcher) = dispatcher {
        dispatcher
            .await
            .context("the event dispatcher panicked")??;
        world.dispatch().await?;
        let total = world.rule.count();
        let progress = bar(total, "labelling");
        world
            .rule
            .wait_all(|done| progress.set_position(done as u64))
            .await;
        progress.finish_and_clear();
        report.failed = failures(&world, &imported_keys).await?;
    }
    Ok(report)
}

enum StoreFailure {
    /// The file could not be read (it is reported as rejected).
    Read(std::io::Error),
    /// The store failed (the import stops).
    Store(StoreError),
}

/// Stores one checked JPEG under its content's key, unless those bytes are stored already.
async fn store_photo(world: &World, path: &Path) -> Result<(String, Stored), StoreFailure> {
    let file = path.to_path_buf();
    let (sha, _size) = tokio::task::spawn_blocking(move || fingerprint(&file))
        .await
        .expect("hashing does not panic")
        .map_err(StoreFailure::Read)?;
    let key_text = format!("{}{sha}.jpg", pam_core::PHOTO_PREFIX);
    let key = ObjectKey::parse(key_text.clone()).expect("a hex digest makes a valid key");
    if world
        .store
        .try_head(&world.photos, &key)
        .await
        .map_err(StoreFailure::Store)?
        .is_some()
    {
        return Ok((key_text, Stored::Duplicate));
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut options = PutOptions {
        content_type: Some("image/jpeg".into()),
        if_none_match: true,
        ..PutOptions::default()
    };
    options.metadata.insert(
        pam_tasks::index_labels::FILE_NAME_METADATA.into(),
        utf8_percent_encode(&name, NAME_ESCAPES).to_string(),
    );
    let source = PutSource::File(path.to_path_buf());
    match world.store.put(&world.photos, &key, source, options).await {
        Ok(_) => Ok((key_text, Stored::New)),
        // Another importer stored the same bytes in between.
        Err(StoreError::AlreadyExists { .. }) => Ok((key_text, Stored::Duplicate)),
        Err(e) => Err(StoreFailure::Store(e)),
    }
}

/// The imported photos that ended quarantined, with the error name and reason.
async fn failures(
    world: &World,
    keys: &[(String, PathBuf)],
) -> anyhow::Result<Vec<(String, String)>> {
    use pam_core::ports::LabelIndex;
    use pam_core::ports::index::PageRequest;
    let mut out = Vec::new();
    let mut page = PageRequest::first(1000);
    loop {
        let got = world.index.quarantined(page.clone()).await?;
        for record in &got.items {
            if let Some((_, path)) = keys.iter().find(|(k, _)| k == record.key.as_str()) {
                out.push((
                    path.display().to_string(),
                    format!("{}: {}", record.error, record.reason),
                ));
            }
        }
        match got.next {
            Some(next) => page.after = Some(next),
            None => return Ok(out),
        }
    }
}

fn print_report(report: &Report, as_json: bool) {
    for (path, error) in &report.failed {
        eprintln!("pam import: {path} could not be labelled ({error}); it is quarantined");
    }
    if as_json {
        let rejected: Vec<_> = report
            .rejected
            .iter()
            .map(|(path, reason)| json!({"path": path.display().to_string(), "reason": reason}))
            .collect();
        let out = json!({
            "imported": report.imported,
            "duplicates": report.duplicates,
            "rejected": rejected,
        });
        println!("{out}");
        return;
    }
    println!(
        "imported {} photo(s), {} duplicate(s), {} rejected",
        report.imported,
        report.duplicates,
        report.rejected.len()
    );
    for (path, reason) in &report.rejected {
        println!("  rejected {}: {reason}", path.display());
    }
}
