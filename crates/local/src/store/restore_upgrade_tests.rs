//! Restore-model cases the download workflow leans on beyond a single restore: a
//! later job asking for a faster tier upgrades a running restore (S3's restore speed
//! upgrade), and a copy that expired can be restored again. Kept apart from
//! `restore_model.rs` to keep that file short.

use super::restore_model::*;
use chrono::{DateTime, Duration, TimeZone, Utc};
use pam_core::ports::store::{RestoreOutcome, RestoreRequest};
use pam_core::{RestoreTier, StorageClass};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 10, 30, 0).unwrap()
}
fn req(tier: RestoreTier, days: Option<u32>) -> RestoreRequest {
    RestoreRequest { tier, days }
}
fn state(class: StorageClass) -> StoredState {
    StoredState {
        class,
        archive: None,
        restore: None,
    }
}

#[test]
fn a_faster_tier_upgrades_a_running_restore() {
    // S3 accepts a second RestoreObject with a faster tier while one runs (a
    // "restore speed upgrade"): a Bulk job and a later Expedited job on the same
    // photos must not make the second wait the Bulk time.
    let d = RestoreDelays::local_defaults();
    let mut s = state(StorageClass::Glacier);
    let (bulk, _) = request_restore(&s, req(RestoreTier::Bulk, Some(1)), &d, t0()).unwrap();
    s.restore = Some(bulk);
    let at = t0() + Duration::seconds(5);
    assert_eq!(
        request_restore(&s, req(RestoreTier::Bulk, Some(1)), &d, at),
        Err(RestoreRefusal::InProgress),
        "the same tier again"
    );
    let (upgraded, outcome) =
        request_restore(&s, req(RestoreTier::Expedited, Some(3)), &d, at).unwrap();
    assert_eq!(outcome, RestoreOutcome::Started);
    assert_eq!(upgraded.tier, RestoreTier::Expedited);
    assert_eq!(upgraded.ready_at, at + d.flexible.expedited);
    assert_eq!(upgraded.days, Some(3));
    s.restore = Some(upgraded);
    assert_eq!(
        request_restore(&s, req(RestoreTier::Standard, Some(1)), &d, at),
        Err(RestoreRefusal::InProgress),
        "no downgrade"
    );
    assert!(effective(&s, at + d.flexible.expedited).readable);

    // An upgrade never makes a restore finish later than it would have.
    let mut nearly = state(StorageClass::Glacier);
    let (std, _) = request_restore(&nearly, req(RestoreTier::Standard, Some(1)), &d, t0()).unwrap();
    nearly.restore = Some(std);
    let late = std.ready_at - Duration::seconds(1);
    let (up, _) = request_restore(&nearly, req(RestoreTier::Expedited, Some(1)), &d, late).unwrap();
    assert_eq!(up.ready_at, std.ready_at);

    // The deep archives still refuse Expedited, upgrade or not.
    let mut deep = state(StorageClass::DeepArchive);
    let (b, _) = request_restore(&deep, req(RestoreTier::Bulk, Some(1)), &d, t0()).unwrap();
    deep.restore = Some(b);
    assert_eq!(
        request_restore(&deep, req(RestoreTier::Expedited, Some(1)), &d, at),
        Err(RestoreRefusal::TierNotAvailable("DEEP_ARCHIVE"))
    );
    let (up, _) = request_restore(&deep, req(RestoreTier::Standard, Some(1)), &d, at).unwrap();
    assert_eq!(up.ready_at, at + d.deep.standard);
}

#[test]
fn an_expired_copy_can_be_restored_again() {
    let d = RestoreDelays::local_defaults();
    let mut s = state(StorageClass::Glacier);
    let (r, _) = request_restore(&s, req(RestoreTier::Expedited, Some(1)), &d, t0()).unwrap();
    s.restore = Some(r);
    let gone = expiry(r.ready_at, 1);
    assert!(!effective(&s, gone).readable);
    let (again, outcome) =
        request_restore(&s, req(RestoreTier::Standard, Some(1)), &d, gone).unwrap();
    assert_eq!(
        outcome,
        RestoreOutcome::Started,
        "a new retrieval, not an extension"
    );
    assert_eq!(again.ready_at, gone + d.flexible.standard);
}
