//! ASL engine: parses, validates and runs Amazon States Language definitions.
//! It knows nothing about photos: Task states hand their `Resource` and input to
//! an invoker the caller supplies.
//!
//! # Layout
//! - [`model`]: the typed definition (states, choice rules, retry/catch), parsed once.
//! - [`validate`]: static checks listing every problem (run before parsing).
//! - [`path`], [`intrinsics`], [`jsonata`]: the expression languages.
//! - [`interp`]: the interpreter, one file per concern (state entry/exit and
//!   retry/catch in `state`, then `choice`, `wait`, `task`, `map`, `parallel`, `io`).
//! - [`exec`]: one execution start to end; [`run_once`] for in-memory runs.
//! - [`engine`] and [`store`]: durable executions in SQLite that resume after a restart.
//! - [`history`]: GetExecutionHistory-shaped events; [`clock`]: system and virtual time;
//!   [`invoker`]: the [`TaskInvoker`] trait Task states call.

pub mod clock;
pub mod engine;
pub mod error;
pub mod exec;
pub mod history;
pub mod interp;
pub mod intrinsics;
pub mod invoker;
pub mod jsonata;
pub mod model;
pub mod path;
pub mod store;
pub mod timestamp;
pub mod validate;

pub use clock::{Clock, SystemClock, VirtualClock};
pub use engine::{Engine, EngineError};
pub use error::StatesError;
pub use exec::{ExecutionStatus, Outcome, RunError, run_definition, run_once};
pub use history::HistoryEvent;
pub use invoker::{NoInvoker, TaskContext, TaskInvoker};
pub use model::Definition;
