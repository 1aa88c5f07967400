//! ASL engine: parses, validates and runs Amazon States Language definitions.
//! It knows nothing about photos: Task states hand their `Resource` and input to
//! an invoker the caller supplies.

pub mod error;
pub mod intrinsics;
pub mod jsonata;
pub mod path;
pub mod validate;

pub use error::StatesError;
