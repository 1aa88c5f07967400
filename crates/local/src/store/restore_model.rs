//! The restore state model, as pure functions of (stored state, request, now): when a
//! restore may be requested, when it completes (after the tier's configured delay),
//! when the temporary copy expires, and what HeadObject reports meanwhile. Pure so it
//! can be tested exhaustively with made-up times; the store persists its results.

use chrono::{DateTime, Duration, Utc};
use pam_core::ports::store::{RestoreOutcome, RestoreRequest};
use pam_core::{ArchiveStatus, RestoreState, RestoreTier, StorageClass};

/// How long each tier takes for one depth of archive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TierDelays {
    /// Expedited (unused for the deep archives, which refuse it).
    pub expedited: Duration,
    /// Standard.
    pub standard: Duration,
    /// Bulk.
    pub bulk: Duration,
}

/// Restore delays: GLACIER and the IT Archive Access tier use `flexible`; DEEP_ARCHIVE
/// and the IT Deep Archive Access tier use `deep`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestoreDelays {
    /// GLACIER / ARCHIVE_ACCESS.
    pub flexible: TierDelays,
    /// DEEP_ARCHIVE / DEEP_ARCHIVE_ACCESS.
    pub deep: TierDelays,
}

impl RestoreDelays {
    /// Short delays so a journey on one machine is visible but quick.
    pub fn local_defaults() -> Self {
        Self {
            flexible: TierDelays {
                expedited: Duration::seconds(2),
                standard: Duration::seconds(10),
                bulk: Duration::seconds(30),
            },
            deep: TierDelays {
                expedited: Duration::seconds(10),
                standard: Duration::seconds(30),
                bulk: Duration::seconds(60),
            },
        }
    }

    /// The upper ends of AWS's published restore times.
    pub fn aws_like() -> Self {
        Self {
            flexible: TierDelays {
                expedited: Duration::minutes(5),
                standard: Duration::hours(5),
                bulk: Duration::hours(12),
            },
            deep: TierDelays {
                expedited: Duration::hours(12),
                standard: Duration::hours(12),
                bulk: Duration::hours(48),
            },
        }
    }

    fn delay(&self, deep: bool, tier: RestoreTier) -> Duration {
        let delays = if deep { &self.deep } else { &self.flexible };
        match tier {
            RestoreTier::Expedited => delays.expedited,
            RestoreTier::Standard => delays.standard,
            RestoreTier::Bulk => delays.bulk,
        }
    }
}

/// A restore request as persisted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RestoreRecord {
    /// Tier asked for.
    pub tier: RestoreTier,
    /// When it was asked for.
    pub requested_at: DateTime<Utc>,
    /// When the copy becomes readable.
    pub ready_at: DateTime<Utc>,
    /// Days the copy lives (GLACIER / DEEP_ARCHIVE); `None` for Intelligent-Tiering.
    pub days: Option<u32>,
}

/// An object's persisted storage state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredState {
    /// Storage class.
    pub class: StorageClass,
    /// Intelligent-Tiering archive tier, if archived there.
    pub archive: Option<ArchiveStatus>,
    /// The latest restore request.
    pub restore: Option<RestoreRecord>,
}

/// What the object looks like at a given moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Effective {
    /// `x-amz-archive-status`.
    pub archive: Option<ArchiveStatus>,
    /// `x-amz-restore`.
    pub restore: Option<RestoreState>,
    /// Whether a GET succeeds.
    pub readable: bool,
}

/// Why a restore request is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RestoreRefusal {
    /// Nothing to restore.
    #[error("the object is not archived ({0})")]
    NotArchived(&'static str),
    /// GLACIER / DEEP_ARCHIVE need Days ≥ 1.
    #[error("restoring from {0} needs Days of at least 1")]
    DaysRequired(StorageClass),
    /// Intelligent-Tiering archive tiers take no Days.
    #[error("Days must not be given for an Intelligent-Tiering archive tier")]
    DaysNotAllowed,
    /// Expedited is not offered for the deep archives.
    #[error("the Expedited tier is not available for {0}")]
    TierNotAvailable(&'static str),
    /// A restore is running.
    #[error("a restore is already in progress")]
    InProgress,
}

/// When a copy that became readable at `ready_at` and lives `days` expires: S3 rounds
/// `ready_at + days` up to the next midnight UTC.
pub fn expiry(ready_at: DateTime<Utc>, days: u32) -> DateTime<Utc> {
    let end = ready_at + Duration::days(i64::from(days));
    let midnight = end
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .expect("midnight")
        .and_utc();
    if midnight == end {
        end
    } else {
        midnight + Duration::days(1)
    }
}

/// The state HeadObject and GET see at `now`.
pub fn effective(state: &StoredState, now: DateTime<Utc>) -> Effective {
    let done = state.restore.filter(|r| r.ready_at <= now);
    let ongoing = state.restore.is_some() && done.is_none();
    if state.class.is_archival() {
        let live = done.and_then(|r| {
            let until = expiry(r.ready_at, r.days.unwrap_or(1));
            (now < until).then_some(until)
        });
        let restore = match (ongoing, live) {
            (true, _) => Some(RestoreState::Ongoing),
            (false, Some(until)) => Some(RestoreState::Restored {
                expiry: Some(until),
            }),
            (false, None) => None,
        };
        return Effective {
            archive: None,
            restore,
            readable: live.is_some(),
        };
    }
    match (state.archive, ongoing, done) {
        (Some(tier), true, _) => Effective {
            archive: Some(tier),
            restore: Some(RestoreState::Ongoing),
            readable: false,
        },
        // A finished Intelligent-Tiering restore moves the object to the Frequent
        // Access tier for good: no archive status, no expiry.
        (Some(_), false, Some(_)) => Effective {
            archive: None,
            restore: Some(RestoreState::Restored { expiry: None }),
            readable: true,
        },
        (archive, _, _) => Effective {
            archive,
            restore: None,
            readable: archive.is_none(),
        },
    }
}

/// Applies a RestoreObject request at `now`: the record to persist and the answer. A
/// request with a faster tier than a running restore's upgrades it (as S3 does); the
/// same or a slower tier is `InProgress`.
pub fn request_restore(
    state: &StoredState,
    request: RestoreRequest,
    delays: &RestoreDelays,
    now: DateTime<Utc>,
) -> Result<(RestoreRecord, RestoreOutcome), RestoreRefusal> {
    let seen = effective(state, now);
    // While a restore runs, only a faster tier is taken (S3's restore speed upgrade).
    let running = state
        .restore
        .filter(|_| seen.restore == Some(RestoreState::Ongoing));
    if let Some(current) = running
        && speed_rank(request.tier) >= speed_rank(current.tier)
    {
        return Err(RestoreRefusal::InProgress);
    }
    let deep = match (state.class, seen.archive) {
        (StorageClass::Glacier, _) => false,
        (StorageClass::DeepArchive, _) => true,
        (_, Some(ArchiveStatus::ArchiveAccess)) => false,
        (_, Some(ArchiveStatus::DeepArchiveAccess)) => true,
        (StorageClass::IntelligentTiering, None) => {
            return Err(RestoreRefusal::NotArchived(
                "INTELLIGENT_TIERING, in an access tier",
            ));
        }
        (_, None) => return Err(RestoreRefusal::NotArchived("STANDARD")),
    };
    if state.class.is_archival() {
        if !matches!(request.days, Some(d) if d >= 1) {
            return Err(RestoreRefusal::DaysRequired(state.class));
        }
    } else if request.days.is_some() {
        return Err(RestoreRefusal::DaysNotAllowed);
    }
    if deep && request.tier == RestoreTier::Expedited {
        let what = if state.class.is_archival() {
            "DEEP_ARCHIVE"
        } else {
            "DEEP_ARCHIVE_ACCESS"
        };
        return Err(RestoreRefusal::TierNotAvailable(what));
    }
    if seen.readable {
        // Restored GLACIER copy: the new Days count from now, no new retrieval.
        let record = RestoreRecord {
            tier: request.tier,
            requested_at: now,
            ready_at: now,
            days: request.days,
        };
        return Ok((record, RestoreOutcome::AlreadyRestored));
    }
    let mut ready_at = now + delays.delay(deep, request.tier);
    if let Some(current) = running {
        // An upgrade never makes the copy arrive later than the running restore would.
        ready_at = ready_at.min(current.ready_at);
    }
    let record = RestoreRecord {
        tier: request.tier,
        requested_at: now,
        ready_at,
        days: request.days,
    };
    Ok((record, RestoreOutcome::Started))
}

/// Expedited < Standard < Bulk: lower is faster.
fn speed_rank(tier: RestoreTier) -> u8 {
    match tier {
        RestoreTier::Expedited => 0,
        RestoreTier::Standard => 1,
        RestoreTier::Bulk => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 1, 10, 30, 0).unwrap()
    }
    fn req(tier: RestoreTier, days: Option<u32>) -> RestoreRequest {
        RestoreRequest { tier, days }
    }
    fn state(class: StorageClass, archive: Option<ArchiveStatus>) -> StoredState {
        StoredState {
            class,
            archive,
            restore: None,
        }
    }

    #[test]
    fn expiry_rounds_up_to_midnight() {
        let at = t0();
        assert_eq!(
            expiry(at, 1),
            Utc.with_ymd_and_hms(2026, 3, 3, 0, 0, 0).unwrap()
        );
        let midnight = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
        assert_eq!(
            expiry(midnight, 2),
            Utc.with_ymd_and_hms(2026, 3, 3, 0, 0, 0).unwrap()
        );
    }

    #[test]
    fn glacier_lifecycle() {
        let delays = RestoreDelays::local_defaults();
        let mut s = state(StorageClass::Glacier, None);
        let before = effective(&s, t0());
        assert!(!before.readable && before.restore.is_none());

        let (record, outcome) =
            request_restore(&s, req(RestoreTier::Standard, Some(1)), &delays, t0()).unwrap();
        assert_eq!(outcome, RestoreOutcome::Started);
        assert_eq!(record.ready_at, t0() + Duration::seconds(10));
        s.restore = Some(record);

        let during = effective(&s, t0() + Duration::seconds(9));
        assert_eq!(during.restore, Some(RestoreState::Ongoing));
        assert!(!during.readable);
        assert_eq!(
            request_restore(
                &s,
                req(RestoreTier::Bulk, Some(1)),
                &delays,
                t0() + Duration::seconds(9)
            ),
            Err(RestoreRefusal::InProgress)
        );

        let after = effective(&s, t0() + Duration::seconds(10));
        let until = expiry(t0() + Duration::seconds(10), 1);
        assert_eq!(
            after.restore,
            Some(RestoreState::Restored {
                expiry: Some(until)
            })
        );
        assert!(after.readable);

        let (again, outcome) = request_restore(
            &s,
            req(RestoreTier::Bulk, Some(5)),
            &delays,
            t0() + Duration::hours(1),
        )
        .unwrap();
        assert_eq!(outcome, RestoreOutcome::AlreadyRestored);
        assert_eq!(
            again.ready_at,
            t0() + Duration::hours(1),
            "an extension needs no retrieval"
        );

        let expired = effective(&s, until);
        assert!(
            !expired.readable && expired.restore.is_none(),
            "gone at the expiry instant"
        );
    }

    #[test]
    fn days_rules_per_class() {
        let d = RestoreDelays::local_defaults();
        let g = state(StorageClass::Glacier, None);
        assert_eq!(
            request_restore(&g, req(RestoreTier::Standard, None), &d, t0()),
            Err(RestoreRefusal::DaysRequired(StorageClass::Glacier))
        );
        assert_eq!(
            request_restore(&g, req(RestoreTier::Standard, Some(0)), &d, t0()),
            Err(RestoreRefusal::DaysRequired(StorageClass::Glacier))
        );
        let it = state(
            StorageClass::IntelligentTiering,
            Some(ArchiveStatus::ArchiveAccess),
        );
        assert_eq!(
            request_restore(&it, req(RestoreTier::Standard, Some(1)), &d, t0()),
            Err(RestoreRefusal::DaysNotAllowed)
        );
        assert!(request_restore(&it, req(RestoreTier::Expedited, None), &d, t0()).is_ok());
    }

    #[test]
    fn deep_archives_refuse_expedited_and_take_longer() {
        let d = RestoreDelays::local_defaults();
        let deep = state(StorageClass::DeepArchive, None);
        assert_eq!(
            request_restore(&deep, req(RestoreTier::Expedited, Some(1)), &d, t0()),
            Err(RestoreRefusal::TierNotAvailable("DEEP_ARCHIVE"))
        );
        let (r, _) = request_restore(&deep, req(RestoreTier::Bulk, Some(1)), &d, t0()).unwrap();
        assert_eq!(r.ready_at, t0() + d.deep.bulk);
        let it_deep = state(
            StorageClass::IntelligentTiering,
            Some(ArchiveStatus::DeepArchiveAccess),
        );
        assert_eq!(
            request_restore(&it_deep, req(RestoreTier::Expedited, None), &d, t0()),
            Err(RestoreRefusal::TierNotAvailable("DEEP_ARCHIVE_ACCESS"))
        );
    }

    #[test]
    fn intelligent_tiering_restore_is_permanent() {
        let d = RestoreDelays::local_defaults();
        let mut s = state(
            StorageClass::IntelligentTiering,
            Some(ArchiveStatus::ArchiveAccess),
        );
        assert!(!effective(&s, t0()).readable);
        let (r, _) = request_restore(&s, req(RestoreTier::Standard, None), &d, t0()).unwrap();
        s.restore = Some(r);
        let during = effective(&s, t0());
        assert_eq!(
            (during.archive, during.restore),
            (
                Some(ArchiveStatus::ArchiveAccess),
                Some(RestoreState::Ongoing)
            )
        );
        let years_later = effective(&s, t0() + Duration::days(3650));
        assert_eq!(years_later.archive, None);
        assert_eq!(
            years_later.restore,
            Some(RestoreState::Restored { expiry: None })
        );
        assert!(years_later.readable);
        assert!(matches!(
            request_restore(
                &s,
                req(RestoreTier::Standard, None),
                &d,
                t0() + Duration::days(1)
            ),
            Err(RestoreRefusal::NotArchived(_))
        ));
    }

    #[test]
    fn hot_objects_cannot_be_restored() {
        let d = RestoreDelays::local_defaults();
        for s in [
            state(StorageClass::Standard, None),
            state(StorageClass::IntelligentTiering, None),
        ] {
            assert!(effective(&s, t0()).readable);
            assert!(matches!(
                request_restore(&s, req(RestoreTier::Standard, Some(1)), &d, t0()),
                Err(RestoreRefusal::NotArchived(_))
            ));
        }
    }
}
