//! `statemachines/download.asl.json` run by the embedded ASL engine (virtual time)
//! with the download steps on real local adapters: a job at the Expedited tier goes
//! through the restore loop to a link, with O(1) transitions per poll round; a job
//! whose labels match nothing ends failed, tells the person and still closes.

mod download_common;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use download_common::*;
use pam_asl::{ExecutionStatus, HistoryEvent, StatesError, TaskContext, TaskInvoker, VirtualClock};
use pam_core::ports::jobs::JobStage;
use pam_core::{JobId, MatchMode, RestoreTier, StorageClass};
use pam_tasks::download::{DOWNLOAD_STEPS, DownloadSteps};
use pam_tasks::step_for_resource;
use serde_json::Value;
use std::sync::Arc;

/// The adapters' clock reads the engine's virtual clock.
#[derive(Debug)]
struct EngineTime(Arc<VirtualClock>);

impl pam_core::clock::Clock for EngineTime {
    fn now(&self) -> DateTime<Utc> {
        pam_asl::Clock::now(self.0.as_ref())
    }
}

struct Steps(DownloadSteps);

#[async_trait]
impl TaskInvoker for Steps {
    async fn invoke(
        &self,
        resource: &str,
        input: Value,
        _ctx: &TaskContext,
    ) -> Result<Value, StatesError> {
        let step = step_for_resource(resource)
            .filter(|s| DOWNLOAD_STEPS.contains(s))
            .ok_or_else(|| StatesError::new("States.TaskFailed", format!("unknown {resource}")))?;
        self.0
            .invoke(step, input)
            .await
            .map_err(|e| StatesError::new(e.error_name(), e.to_string()))
    }
}

fn definition() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../statemachines/download.asl.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

async fn run(
    w: &World,
    engine: Arc<VirtualClock>,
    input: Value,
) -> (pam_asl::Outcome, Vec<HistoryEvent>) {
    pam_asl::run_definition(
        &definition(),
        input,
        engine,
        Arc::new(Steps(w.steps.clone())),
    )
    .await
    .unwrap()
}

fn entered(history: &[HistoryEvent], state: &str) -> usize {
    history
        .iter()
        .filter(|e| {
            e.event_type.ends_with("StateEntered")
                && e.details["stateEnteredEventDetails"]["name"] == state
        })
        .count()
}

#[tokio::test]
async fn the_state_machine_restores_bundles_links_and_closes() {
    let engine = Arc::new(VirtualClock::new(start_time()));
    let mut w = World::on_clock(Arc::new(EngineTime(engine.clone())), |c| {
        c.restore_page_size = 2
    })
    .await;
    let photos: Vec<Photo> = (0..7)
        .map(|i| {
            photo(
                &format!("m{i}.jpg"),
                300 + i,
                &["Mountain"],
                if i % 3 == 0 {
                    StorageClass::Standard
                } else {
                    StorageClass::Glacier
                },
            )
        })
        .collect();
    w.import(&photos).await;
    let req = w.request(&["Mountain"], MatchMode::Any, RestoreTier::Expedited);
    let input = w.prepare("job-asl", &req).await;
    let (outcome, history) = run(&w, engine.clone(), input).await;
    assert_eq!(
        outcome.status,
        ExecutionStatus::Succeeded,
        "{:?} {:?}",
        outcome.error,
        outcome.cause
    );
    let link = outcome.output.unwrap();
    assert_eq!(link["photos"], 7);
    assert_eq!(link["links"].as_array().unwrap().len(), 1);
    // 4 archived photos of 7, restores asked 2 per page: three StartRestores (the
    // third finds only a hot photo); a couple of poll rounds, not one per photo.
    assert_eq!(entered(&history, "StartRestores"), 3);
    let rounds = entered(&history, "CheckRestores");
    assert!((1..=3).contains(&rounds), "{rounds} poll rounds");
    let record = w
        .steps
        .jobs
        .get(&JobId::parse("job-asl").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.stage, JobStage::Ready);
    assert_eq!(record.counts.restored, 4);
    let zip = w.working_object("bundles/job-asl/pam-job-asl.zip").await;
    let entries = zip_entries(&zip);
    for (name, bytes) in w.originals.values() {
        assert_eq!(&entries[name], bytes);
    }
    let history_text = serde_json::to_string(&history).unwrap();
    assert!(
        !history_text.contains(ADDRESS),
        "the history holds the address only sealed"
    );
    assert!(w.files_containing(ADDRESS).is_empty());
}

#[tokio::test]
async fn a_job_matching_nothing_fails_tells_the_person_and_closes() {
    let engine = Arc::new(VirtualClock::new(start_time()));
    let mut w = World::on_clock(Arc::new(EngineTime(engine.clone())), |_| {}).await;
    w.import(&[photo("a.jpg", 1, &["Cat"], StorageClass::Glacier)])
        .await;
    let req = w.request(&["Dog"], MatchMode::Any, RestoreTier::Bulk);
    let input = w.prepare("job-asl-none", &req).await;
    let notify = input["notify"].clone();
    let (outcome, history) = run(&w, engine, input).await;
    assert_eq!(outcome.status, ExecutionStatus::Failed);
    assert_eq!(outcome.error.as_deref(), Some("Pam.NoPhotos"));
    assert_eq!(entered(&history, "NotifyFailure"), 1);
    assert_eq!(entered(&history, "CloseChannel"), 1);
    let record = w
        .steps
        .jobs
        .get(&JobId::parse("job-asl-none").unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.stage, JobStage::Failed);
    assert_eq!(record.error.unwrap().code, "Pam.NoPhotos");
    let outbox = w.outbox();
    assert_eq!(outbox.len(), 1);
    assert!(outbox[0].contains("No photo carries"));
    let reopen = w
        .invoke(
            "OpenChannel",
            serde_json::json!({"job_id": "job-asl-none", "notify": notify}),
        )
        .await
        .unwrap_err();
    assert_eq!(reopen.error_name(), "Pam.KeyErased");
}
