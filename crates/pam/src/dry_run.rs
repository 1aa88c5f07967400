//! `pam download … --dry-run`: what a download would involve, before anything is
//! restored — how many photos match, how many are archived and where, the bytes the
//! bundle will hold, and for each restore tier the expected wait (with this data
//! directory's restore delays and with AWS's published times) and the AWS retrieval
//! cost at the published prices (`restore_prices`). Counts the photos exactly as the
//! job's ResolveManifest step does (`ObjectMeta::is_archived`), so the job's `matched`
//! and `archived` equal `photos` and `archived` here.

use crate::restore_prices::ArchivedIn;
use crate::world::World;
use pam_core::ports::index::PageRequest;
use pam_core::ports::{LabelIndex, PhotoStore};
use pam_core::{Label, MatchMode, RestoreTier};
use pam_local::RestoreDelays;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// Zip bytes per entry besides the photo: local header (30) + central header (46)
/// + zip64 extra fields (≤ 2 × 32) + the name twice (estimated at 40 bytes each).
const ZIP_OVERHEAD_PER_ENTRY: u64 = 30 + 46 + 64 + 2 * 40;
/// manifest.csv per photo (name, sha256, size, labels) plus the end records.
const MANIFEST_PER_PHOTO: u64 = 160;

/// Photos and bytes in one archive.
#[derive(Debug, Clone, Copy, Default)]
struct Count {
    photos: u64,
    bytes: u64,
}

/// What a download of `labels` would involve.
pub async fn dry_run(
    world: &World,
    labels: &[Label],
    mode: MatchMode,
    chosen: RestoreTier,
) -> anyhow::Result<Value> {
    let mut photos = 0u64;
    let mut bytes = 0u64;
    let mut already_restored = 0u64;
    let mut archived: BTreeMap<ArchivedIn, Count> = BTreeMap::new();
    let mut page = PageRequest::first(1000);
    loop {
        let got = world
            .index
            .photos_matching(labels, mode, page.clone())
            .await?;
        for key in &got.items {
            let meta = world.store.head(&world.photos, key.as_object_key()).await?;
            photos += 1;
            bytes += meta.size;
            if !meta.is_archived() {
                continue;
            }
            if meta.is_readable() {
                already_restored += 1;
            }
            if let Some(a) = ArchivedIn::of(meta.storage_class, meta.archive_status) {
                let c = archived.entry(a).or_default();
                c.photos += 1;
                c.bytes += meta.size;
            }
        }
        match got.next {
            Some(next) => page.after = Some(next),
            None => break,
        }
    }
    let archived_total: u64 = archived.values().map(|c| c.photos).sum();
    let local = world.args.restore_delays.delays();
    let tiers: Vec<Value> = [
        RestoreTier::Expedited,
        RestoreTier::Standard,
        RestoreTier::Bulk,
    ]
    .into_iter()
    .map(|tier| tier_estimate(tier, &archived, &local))
    .collect();
    let by_class: serde_json::Map<String, Value> = archived
        .iter()
        .map(|(a, c)| {
            (
                a.name().to_owned(),
                json!({"photos": c.photos, "bytes": c.bytes}),
            )
        })
        .collect();
    let overhead = photos * (ZIP_OVERHEAD_PER_ENTRY + MANIFEST_PER_PHOTO) + 22 + 56 + 20;
    Ok(json!({
        "dry_run": true,
        "labels": labels.iter().map(Label::as_str).collect::<Vec<_>>(),
        "match": mode.to_string(),
        "tier": chosen.as_str(),
        "photos": photos,
        "bytes": bytes,
        "bundle_size_estimate": if photos == 0 { 0 } else { bytes + overhead },
        "archived": archived_total,
        "already_restored": already_restored,
        "archived_by_class": by_class,
        "tiers": tiers,
    }))
}

/// The slowest restore among the archives present decides the wait; costs add up.
fn tier_estimate(
    tier: RestoreTier,
    archived: &BTreeMap<ArchivedIn, Count>,
    local: &RestoreDelays,
) -> Value {
    let aws = RestoreDelays::aws_like();
    let mut local_wait = 0i64;
    let mut aws_wait = 0i64;
    let mut cost = 0.0;
    let mut fallback = false;
    for (archive, count) in archived {
        let effective = archive.effective_tier(tier);
        fallback |= effective != tier;
        local_wait = local_wait.max(delay(local, *archive, effective));
        aws_wait = aws_wait.max(delay(&aws, *archive, effective));
        cost += archive.cost(tier, count.photos, count.bytes);
    }
    json!({
        "tier": tier.as_str(),
        "expected_wait_seconds": local_wait,
        "aws_expected_wait_seconds": aws_wait,
        "aws_cost_usd": (cost * 10_000.0).round() / 10_000.0,
        "deep_archive_uses_standard": fallback,
    })
}

fn delay(delays: &RestoreDelays, archive: ArchivedIn, tier: RestoreTier) -> i64 {
    let d = if archive.is_deep() {
        &delays.deep
    } else {
        &delays.flexible
    };
    match tier {
        RestoreTier::Expedited => d.expedited,
        RestoreTier::Standard => d.standard,
        RestoreTier::Bulk => d.bulk,
    }
    .num_seconds()
}
