//! Ports: the traits adapters implement. Each is small, documents its contract, and
//! has an error enum with named variants the steps map to stable ASL error names.

pub mod index;
pub mod jobs;
pub mod keys;
pub mod labeler;
pub mod notify;
pub mod presign;
pub mod store;

pub use index::{IndexError, LabelIndex};
pub use jobs::{JobError, JobLog};
pub use keys::{JobKeys, KeysError};
pub use labeler::{Labeler, LabelerError};
pub use notify::{ChannelId, Message, Notifier, NotifyError, Subscription};
pub use presign::{PresignError, Presigner};
pub use store::{PhotoStore, PhotoStoreExt, StoreError};
