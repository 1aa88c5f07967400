//! Ports implemented on one machine: filesystem object store with S3 rules, SQLite index, outbox, notify.
