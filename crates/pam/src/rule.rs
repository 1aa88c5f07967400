//! The labelling rule's target, as EventBridge → Step Functions is on AWS: each
//! object-created event under `photos/` starts one execution of the labelling state
//! machine with the event (EventBridge shape) as input.
//!
//! Execution names come from the event (`label-<sequence>-<etag>`), so the outbox
//! redelivering an event whose execution already started (a crash between start and
//! "delivered") finds that execution instead of starting a second. Executions started
//! for *different* deliveries of one photo are still harmless: IndexLabels counts a
//! photo once. `deliveries > 1` (the `--deliveries` test option) hands each event to the
//! state machine that many times at once, under distinct names, to show exactly that.

use async_trait::async_trait;
use pam_asl::store::StoreError as ExecStoreError;
use pam_asl::{Engine, EngineError};
use pam_core::ports::store::BoxError;
use pam_local::{EventHandler, ObjectCreated};
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Starts labelling executions and remembers them so the caller can wait.
pub struct StartLabelling {
    engine: Arc<Engine>,
    definition: Value,
    deliveries: AtomicUsize,
    started: Mutex<Vec<String>>,
}

/// The ARN the engine gives an execution of the labelling machine called `name`.
fn execution_arn(name: &str) -> String {
    format!(
        "arn:aws:states:local:000000000000:execution:{}:{name}",
        crate::world::LABELLING_MACHINE
    )
}

/// A deterministic execution name for `event` (copy 0 is the ordinary delivery).
pub fn execution_name(event: &ObjectCreated, copy: usize) -> String {
    let etag: String = event
        .etag
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(32)
        .collect();
    match copy {
        0 => format!("label-{}-{etag}", event.id),
        n => format!("label-{}-{etag}-copy{n}", event.id),
    }
}

impl StartLabelling {
    /// A handler starting `definition` on `engine`.
    pub fn new(engine: Arc<Engine>, definition: Value) -> Self {
        Self {
            engine,
            definition,
            deliveries: AtomicUsize::new(1),
            started: Mutex::new(Vec::new()),
        }
    }

    /// Hands each event to the state machine `n` times (at least once).
    pub fn set_deliveries(&self, n: usize) {
        self.deliveries.store(n.max(1), Ordering::Relaxed);
    }

    fn started(&self) -> std::sync::MutexGuard<'_, Vec<String>> {
        self.started.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Adds executions (e.g. resumed ones) to those [`wait_all`](Self::wait_all) waits for.
    pub fn remember(&self, arns: Vec<String>) {
        self.started().extend(arns);
    }

    /// How many executions are remembered.
    pub fn count(&self) -> usize {
        self.started().len()
    }

    /// Waits until every remembered execution has ended; `on_done` is called with how
    /// many have ended so far after each.
    pub async fn wait_all(&self, mut on_done: impl FnMut(usize)) {
        let mut done = 0;
        loop {
            let pending: Vec<String> = self.started().iter().skip(done).cloned().collect();
            if pending.is_empty() {
                return;
            }
            for arn in pending {
                if let Err(e) = self.engine.wait(&arn).await {
                    tracing::warn!(execution = %arn, error = %e, "cannot follow execution");
                }
                done += 1;
                on_done(done);
            }
        }
    }
}

#[async_trait]
impl EventHandler for StartLabelling {
    async fn handle(&self, event: &ObjectCreated) -> Result<(), BoxError> {
        let input = event.to_eventbridge();
        for copy in 0..self.deliveries.load(Ordering::Relaxed) {
            let name = execution_name(event, copy);
            let arn = match self.engine.start(
                crate::world::LABELLING_MACHINE,
                Some(&name),
                &self.definition,
                input.clone(),
            ) {
                Ok(arn) => arn,
                // Already started by an earlier delivery of this event: follow that one.
                Err(EngineError::Store(ExecStoreError::AlreadyExists(_))) => execution_arn(&name),
                Err(e) => return Err(Box::new(e)),
            };
            self.started().push(arn);
        }
        Ok(())
    }
}
