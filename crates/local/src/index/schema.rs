//! The label index's tables. Counting is idempotent by construction: a photo's labels
//! are inserted only while `photos.indexed_at` is NULL, in the same IMMEDIATE
//! transaction that sets it and bumps `label_counts`, and `photo_labels` has
//! PRIMARY KEY (photo, label) as a second guard.

pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS photos (
    key TEXT PRIMARY KEY,
    file_name TEXT NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    crc32 INTEGER NOT NULL,
    recorded_at TEXT NOT NULL,
    indexed_at TEXT
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS photo_labels (
    key TEXT NOT NULL REFERENCES photos(key),
    label TEXT NOT NULL,
    confidence REAL NOT NULL,
    parents TEXT NOT NULL,
    PRIMARY KEY (key, label)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS photo_labels_by_label ON photo_labels (label, key);
CREATE TABLE IF NOT EXISTS label_counts (
    label TEXT PRIMARY KEY,
    count INTEGER NOT NULL CHECK (count >= 0)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS label_counts_by_count ON label_counts (count DESC, label);
CREATE TABLE IF NOT EXISTS quarantine (
    key TEXT PRIMARY KEY,
    error TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL
) WITHOUT ROWID;
";
