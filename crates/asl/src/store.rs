//! Durable executions in SQLite: each execution's record, every history event as it is
//! emitted, and one checkpoint per top-level transition. Reopening the store finds the
//! executions that were RUNNING; [`Store::resume_state`] cuts their history back to the
//! last checkpoint so a resumed run repeats no event and loses none.

use crate::exec::{ExecutionStatus, Outcome};
use crate::history::HistoryEvent;
use crate::interp::ResumePoint;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde_json::Value;
use std::path::Path;
use std::sync::{Mutex, MutexGuard};

/// Store failures.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused an operation.
    #[error("execution store: {context}: {source}")]
    Sqlite {
        /// What was being done.
        context: &'static str,
        /// The SQLite error.
        source: rusqlite::Error,
    },
    /// A stored JSON column could not be read back.
    #[error("execution store: corrupt {what} for {execution}: {source}")]
    Corrupt {
        /// Which column.
        what: &'static str,
        /// Which execution.
        execution: String,
        /// Parse error.
        source: serde_json::Error,
    },
    /// An execution with this id (machine + name) exists already.
    #[error("execution {0} already exists")]
    AlreadyExists(String),
    /// No execution with this id.
    #[error("no execution {0}")]
    NotFound(String),
}

fn sql(context: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError {
    move |source| StoreError::Sqlite { context, source }
}

/// What DescribeExecution shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecutionRecord {
    /// Execution ARN.
    pub execution_arn: String,
    /// Execution name.
    pub name: String,
    /// State machine name.
    pub state_machine: String,
    /// The definition it runs.
    #[serde(skip)]
    pub definition: Value,
    /// Input.
    pub input: Value,
    /// Status.
    pub status: ExecutionStatus,
    /// Output once succeeded.
    pub output: Option<Value>,
    /// Error once failed.
    pub error: Option<String>,
    /// Cause once failed.
    pub cause: Option<String>,
    /// RFC 3339.
    pub start_date: String,
    /// RFC 3339, once ended.
    pub stop_date: Option<String>,
}

/// The SQLite-backed store (one connection; calls are short).
pub struct Store {
    conn: Mutex<Connection>,
}

const SCHEMA: &str = "
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE IF NOT EXISTS executions (
    arn TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    machine TEXT NOT NULL,
    definition TEXT NOT NULL,
    input TEXT NOT NULL,
    status TEXT NOT NULL,
    output TEXT,
    error TEXT,
    cause TEXT,
    start_date TEXT NOT NULL,
    stop_date TEXT
);
CREATE TABLE IF NOT EXISTS events (
    arn TEXT NOT NULL,
    id INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (arn, id)
);
CREATE TABLE IF NOT EXISTS checkpoints (
    arn TEXT PRIMARY KEY,
    body TEXT NOT NULL
);";

impl Store {
    /// Opens (creating if needed) a store file.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let conn = Connection::open(path).map_err(sql("open"))?;
        Self::init(conn)
    }

    /// A private in-memory store (tests).
    pub fn open_in_memory() -> Result<Self, StoreError> {
        Self::init(Connection::open_in_memory().map_err(sql("open"))?)
    }

    fn init(conn: Connection) -> Result<Self, StoreError> {
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(sql("busy timeout"))?;
        conn.execute_batch(SCHEMA).map_err(sql("create schema"))?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records a new RUNNING execution.
    pub fn insert(&self, r: &ExecutionRecord) -> Result<(), StoreError> {
        let n = self
            .conn()
            .execute(
                "INSERT OR IGNORE INTO executions (arn, name, machine, definition, input, status, start_date)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    r.execution_arn,
                    r.name,
                    r.state_machine,
                    r.definition.to_string(),
                    r.input.to_string(),
                    r.status.as_str(),
                    r.start_date
                ],
            )
            .map_err(sql("insert execution"))?;
        if n == 0 {
            return Err(StoreError::AlreadyExists(r.execution_arn.clone()));
        }
        Ok(())
    }

    /// Appends one history event (idempotent on its id).
    pub fn append_event(&self, arn: &str, event: &HistoryEvent) -> Result<(), StoreError> {
        let body = serde_json::to_string(event).map_err(|source| StoreError::Corrupt {
            what: "event",
            execution: arn.to_string(),
            source,
        })?;
        self.conn()
            .execute(
                "INSERT OR REPLACE INTO events (arn, id, body) VALUES (?1, ?2, ?3)",
                params![arn, event.id, body],
            )
            .map_err(sql("append event"))?;
        Ok(())
    }

    /// Replaces the execution's checkpoint.
    pub fn save_checkpoint(&self, arn: &str, point: &ResumePoint) -> Result<(), StoreError> {
        let body = serde_json::to_string(point).map_err(|source| StoreError::Corrupt {
            what: "checkpoint",
            execution: arn.to_string(),
            source,
        })?;
        self.conn()
            .execute(
                "INSERT OR REPLACE INTO checkpoints (arn, body) VALUES (?1, ?2)",
                params![arn, body],
            )
            .map_err(sql("save checkpoint"))?;
        Ok(())
    }

    /// Marks an execution ended (only if it is still RUNNING) and drops its checkpoint.
    pub fn finish(
        &self,
        arn: &str,
        outcome: &Outcome,
        stop_date: &str,
    ) -> Result<bool, StoreError> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(sql("begin finish"))?;
        let n = tx
            .execute(
                "UPDATE executions SET status = ?2, output = ?3, error = ?4, cause = ?5, stop_date = ?6
                 WHERE arn = ?1 AND status = 'RUNNING'",
                params![
                    arn,
                    outcome.status.as_str(),
                    outcome.output.as_ref().map(Value::to_string),
                    outcome.error,
                    outcome.cause,
                    stop_date
                ],
            )
            .map_err(sql("finish execution"))?;
        tx.execute("DELETE FROM checkpoints WHERE arn = ?1", params![arn])
            .map_err(sql("drop checkpoint"))?;
        tx.commit().map_err(sql("commit finish"))?;
        Ok(n == 1)
    }

    /// One execution.
    pub fn get(&self, arn: &str) -> Result<ExecutionRecord, StoreError> {
        self.query("SELECT * FROM executions WHERE arn = ?1", params![arn])?
            .pop()
            .ok_or_else(|| StoreError::NotFound(arn.to_string()))
    }

    /// Every execution, newest first.
    pub fn list(&self) -> Result<Vec<ExecutionRecord>, StoreError> {
        self.query(
            "SELECT * FROM executions ORDER BY start_date DESC, arn",
            params![],
        )
    }

    /// Executions still RUNNING (after a restart: the ones to resume).
    pub fn running(&self) -> Result<Vec<ExecutionRecord>, StoreError> {
        self.query(
            "SELECT * FROM executions WHERE status = 'RUNNING' ORDER BY start_date, arn",
            params![],
        )
    }

    fn query(&self, q: &str, p: impl rusqlite::Params) -> Result<Vec<ExecutionRecord>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn.prepare(q).map_err(sql("prepare query"))?;
        let rows = stmt
            .query_map(p, |row| {
                Ok((
                    row.get::<_, String>("arn")?,
                    row.get::<_, String>("name")?,
                    row.get::<_, String>("machine")?,
                    row.get::<_, String>("definition")?,
                    row.get::<_, String>("input")?,
                    row.get::<_, String>("status")?,
                    row.get::<_, Option<String>>("output")?,
                    row.get::<_, Option<String>>("error")?,
                    row.get::<_, Option<String>>("cause")?,
                    row.get::<_, String>("start_date")?,
                    row.get::<_, Option<String>>("stop_date")?,
                ))
            })
            .map_err(sql("query executions"))?;
        let mut out = Vec::new();
        for row in rows {
            let (
                arn,
                name,
                machine,
                definition,
                input,
                status,
                output,
                error,
                cause,
                start_date,
                stop_date,
            ) = row.map_err(sql("read execution"))?;
            let parse = |what: &'static str, text: &str| {
                serde_json::from_str::<Value>(text).map_err(|source| StoreError::Corrupt {
                    what,
                    execution: arn.clone(),
                    source,
                })
            };
            out.push(ExecutionRecord {
                definition: parse("definition", &definition)?,
                input: parse("input", &input)?,
                output: output.as_deref().map(|o| parse("output", o)).transpose()?,
                status: ExecutionStatus::parse(&status).unwrap_or(ExecutionStatus::Failed),
                execution_arn: arn,
                name,
                state_machine: machine,
                error,
                cause,
                start_date,
                stop_date,
            });
        }
        Ok(out)
    }

    /// The history, in id order.
    pub fn events(&self, arn: &str) -> Result<Vec<HistoryEvent>, StoreError> {
        let conn = self.conn();
        let mut stmt = conn
            .prepare("SELECT body FROM events WHERE arn = ?1 ORDER BY id")
            .map_err(sql("prepare events"))?;
        let bodies = stmt
            .query_map(params![arn], |row| row.get::<_, String>(0))
            .map_err(sql("query events"))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(sql("read events"))?;
        bodies
            .iter()
            .map(|b| {
                serde_json::from_str(b).map_err(|source| StoreError::Corrupt {
                    what: "event",
                    execution: arn.to_string(),
                    source,
                })
            })
            .collect()
    }

    /// For resuming: the last checkpoint, with every event recorded after it deleted.
    /// Returns the checkpoint (if any) and the history that remains.
    pub fn resume_state(
        &self,
        arn: &str,
    ) -> Result<(Option<ResumePoint>, Vec<HistoryEvent>), StoreError> {
        let body: Option<String> = self
            .conn()
            .query_row(
                "SELECT body FROM checkpoints WHERE arn = ?1",
                params![arn],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql("read checkpoint"))?;
        let point: Option<ResumePoint> = body
            .map(|b| serde_json::from_str(&b))
            .transpose()
            .map_err(|source| StoreError::Corrupt {
                what: "checkpoint",
                execution: arn.to_string(),
                source,
            })?;
        // Without a checkpoint only ExecutionStarted can have been recorded.
        let keep_below = point.as_ref().map_or(2, |p| p.next_event_id);
        self.conn()
            .execute(
                "DELETE FROM events WHERE arn = ?1 AND id >= ?2",
                params![arn, keep_below],
            )
            .map_err(sql("truncate events"))?;
        Ok((point, self.events(arn)?))
    }
}
