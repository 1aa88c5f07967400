//! `pam labels` and `pam photos`: what the index knows. Stable contract (README):
//! `pam labels --json` → `{"labels":[{"name","count"}]}`, highest count first;
//! `pam photos --json` → `{"photos":[{"key","file_name","sha256","size","storage_class",
//! "labels":[{"name","confidence","parents":[…]}]}]}` (plus `tags`, the object's tags).
//! Both first finish labelling that earlier, perhaps killed, processes left pending
//! (unless another process runs the engine: then they list what is indexed now).

use crate::world::{Access, World, WorldArgs};
use clap::Args;
use pam_core::ports::LabelIndex;
use pam_core::ports::index::{PageRequest, PhotoEntry};
use pam_core::ports::store::PhotoStore;
use serde_json::{Value, json};
use std::process::ExitCode;

#[derive(Args)]
pub struct ListArgs {
    #[command(flatten)]
    world: WorldArgs,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

/// Which listing.
#[derive(Clone, Copy)]
pub enum Listing {
    /// Labels with counts.
    Labels,
    /// Photos with their labels.
    Photos,
}

pub fn run(args: ListArgs, listing: Listing) -> ExitCode {
    crate::world::init_logging();
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    let name = match listing {
        Listing::Labels => "labels",
        Listing::Photos => "photos",
    };
    match runtime.block_on(list(&args, listing)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pam {name}: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn list(args: &ListArgs, listing: Listing) -> anyhow::Result<()> {
    // While another process runs the engine (`pam serve`), list what is indexed now.
    let world = World::open_with(&args.world, Access::RunEngineIfFree).await?;
    if world.runs_engine() && world.has_pending_work().await? {
        world.require_model().await?;
        world.settle().await?;
    }
    match listing {
        Listing::Labels => labels(&world, args.json).await,
        Listing::Photos => photos(&world, args.json).await,
    }
}

async fn labels(world: &World, as_json: bool) -> anyhow::Result<()> {
    let counts = world.index.label_counts().await?;
    if as_json {
        let labels: Vec<Value> = counts
            .iter()
            .map(|c| json!({"name": c.name.as_str(), "count": c.count}))
            .collect();
        println!("{}", json!({ "labels": labels }));
        return Ok(());
    }
    let width = counts
        .iter()
        .map(|c| c.name.as_str().len())
        .max()
        .unwrap_or(5)
        .max(5);
    println!("{:<width$}  {:>6}", "LABEL", "PHOTOS");
    for c in &counts {
        println!("{:<width$}  {:>6}", c.name.as_str(), c.count);
    }
    Ok(())
}

async fn all_photos(world: &World) -> anyhow::Result<Vec<PhotoEntry>> {
    let mut all = Vec::new();
    let mut page = PageRequest::first(1000);
    loop {
        let got = world.index.list_photos(page.clone()).await?;
        all.extend(got.items);
        match got.next {
            Some(next) => page.after = Some(next),
            None => return Ok(all),
        }
    }
}

async fn photos(world: &World, as_json: bool) -> anyhow::Result<()> {
    let mut rows = Vec::new();
    for entry in all_photos(world).await? {
        let key = entry.record.key.as_object_key();
        let head = world.store.head(&world.photos, key).await?;
        let tags = world.store.get_tags(&world.photos, key).await?;
        let labels: Vec<Value> = entry
            .labels
            .iter()
            .map(|l| {
                let parents: Vec<&str> = l.parents.iter().map(|p| p.as_str()).collect();
                json!({"name": l.name.as_str(), "confidence": l.confidence, "parents": parents})
            })
            .collect();
        let tags: serde_json::Map<String, Value> = tags
            .iter()
            .map(|(k, v)| (k.to_owned(), Value::from(v)))
            .collect();
        let class = match head.archive_status {
            Some(tier) => format!("{} ({tier})", head.storage_class),
            None => head.storage_class.to_string(),
        };
        rows.push(json!({
            "key": entry.record.key.as_str(),
            "file_name": entry.record.file_name,
            "sha256": entry.record.sha256.as_str(),
            "size": entry.record.size,
            "storage_class": head.storage_class.as_str(),
            "labels": labels,
            "tags": tags,
            "class_shown": class,
        }));
    }
    if as_json {
        for row in &mut rows {
            row.as_object_mut().map(|o| o.remove("class_shown"));
        }
        println!("{}", json!({ "photos": rows }));
        return Ok(());
    }
    for row in &rows {
        let labels: Vec<String> = row["labels"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|l| {
                format!(
                    "{} {:.0}%",
                    l["name"].as_str().unwrap_or(""),
                    l["confidence"].as_f64().unwrap_or(0.0)
                )
            })
            .collect();
        println!(
            "{}  {}  {}  {}",
            row["file_name"].as_str().unwrap_or(""),
            row["class_shown"].as_str().unwrap_or(""),
            row["size"],
            labels.join(", ")
        );
    }
    Ok(())
}
