//! The items of the PAM table and their attributes: key builders for each item kind,
//! photo records and labels to and from DynamoDB attribute maps, and the opaque page
//! token (the last key of a page, base64url-encoded).

use aws_sdk_dynamodb::types::AttributeValue;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use pam_core::ports::index::{
    IndexError, PageRequest, PhotoEntry, PhotoLabel, PhotoRecord, QuarantineRecord,
};
use pam_core::{Label, PhotoKey, Sha256};
use std::collections::HashMap;

use super::error::INDEX;

/// An item or key, as the SDK takes it.
pub(crate) type Item = HashMap<String, AttributeValue>;

pub(crate) const PK: &str = "pk";
pub(crate) const SK: &str = "sk";
pub(crate) const GSI: &str = "gsi1";
pub(crate) const GSI_PK: &str = "gsi1pk";
pub(crate) const GSI_SK: &str = "gsi1sk";

/// Partition of the GSI holding every photo, by key.
pub(crate) const ALL_PHOTOS: &str = "PHOTOS";
/// Partition of the GSI holding every label counter, by name.
pub(crate) const ALL_LABELS: &str = "LABELS";
/// Partition of the GSI holding every quarantine record, by key.
pub(crate) const ALL_QUARANTINED: &str = "QUARANTINE";

/// Sort key of a label's counter item; sorts before every `PHOTO#` member.
pub(crate) const COUNTER_SK: &str = "#COUNT";
/// Sort-key prefix of a label's member items.
pub(crate) const MEMBER_PREFIX: &str = "PHOTO#";

pub(crate) fn s(value: impl Into<String>) -> AttributeValue {
    AttributeValue::S(value.into())
}

pub(crate) fn n(value: impl ToString) -> AttributeValue {
    AttributeValue::N(value.to_string())
}

pub(crate) fn key(pk: String, sk: impl Into<String>) -> Item {
    HashMap::from([(PK.to_owned(), s(pk)), (SK.to_owned(), s(sk))])
}

pub(crate) fn photo_key(key: &PhotoKey) -> Item {
    self::key(format!("PHOTO#{key}"), "PHOTO")
}

pub(crate) fn sha_key(sha: &Sha256) -> Item {
    key(format!("SHA#{}", sha.as_str()), "SHA")
}

pub(crate) fn label_pk(label: &Label) -> String {
    format!("LABEL#{label}")
}

pub(crate) fn counter_key(label: &Label) -> Item {
    key(label_pk(label), COUNTER_SK)
}

pub(crate) fn member_item(label: &Label, photo: &PhotoKey) -> Item {
    let mut item = key(label_pk(label), format!("{MEMBER_PREFIX}{photo}"));
    item.insert("photo_key".into(), s(photo.as_str()));
    item
}

pub(crate) fn quarantine_item(record: &QuarantineRecord) -> Item {
    let mut item = key(format!("QUARANTINE#{}", record.key), "QUARANTINE");
    item.extend([
        ("photo_key".to_owned(), s(record.key.as_str())),
        ("error".to_owned(), s(&record.error)),
        ("reason".to_owned(), s(&record.reason)),
        ("at".to_owned(), s(record.at.to_rfc3339())),
        (GSI_PK.to_owned(), s(ALL_QUARANTINED)),
        (GSI_SK.to_owned(), s(record.key.as_str())),
    ]);
    item
}

pub(crate) fn photo_item(record: &PhotoRecord) -> Item {
    let mut item = photo_key(&record.key);
    item.extend([
        ("photo_key".to_owned(), s(record.key.as_str())),
        ("file_name".to_owned(), s(&record.file_name)),
        ("size".to_owned(), n(record.size)),
        ("sha256".to_owned(), s(record.sha256.as_str())),
        ("crc32".to_owned(), n(record.crc32)),
        (GSI_PK.to_owned(), s(ALL_PHOTOS)),
        (GSI_SK.to_owned(), s(record.key.as_str())),
    ]);
    item
}

pub(crate) fn labels_value(labels: &[PhotoLabel]) -> AttributeValue {
    AttributeValue::L(
        labels
            .iter()
            .map(|l| {
                AttributeValue::M(HashMap::from([
                    ("name".to_owned(), s(l.name.as_str())),
                    ("confidence".to_owned(), n(l.confidence)),
                    (
                        "parents".to_owned(),
                        AttributeValue::L(l.parents.iter().map(|p| s(p.as_str())).collect()),
                    ),
                ]))
            })
            .collect(),
    )
}

fn corrupt(what: impl std::fmt::Display) -> IndexError {
    IndexError::Backend {
        index: INDEX,
        source: format!("unexpected item in the table: {what}").into(),
    }
}

pub(crate) fn get_s<'a>(item: &'a Item, name: &str) -> Result<&'a str, IndexError> {
    match item.get(name) {
        Some(AttributeValue::S(v)) => Ok(v),
        _ => Err(corrupt(format_args!("missing string attribute {name}"))),
    }
}

pub(crate) fn get_n<T: std::str::FromStr>(item: &Item, name: &str) -> Result<T, IndexError> {
    match item.get(name) {
        Some(AttributeValue::N(v)) => v
            .parse()
            .map_err(|_| corrupt(format_args!("attribute {name} = {v} is not a number"))),
        _ => Err(corrupt(format_args!("missing number attribute {name}"))),
    }
}

pub(crate) fn parse_photo_key(text: &str) -> Result<PhotoKey, IndexError> {
    PhotoKey::parse(text).map_err(|e| corrupt(format_args!("photo key {text:?}: {e}")))
}

fn parse_label(text: &str) -> Result<Label, IndexError> {
    Label::parse(text).map_err(|e| corrupt(format_args!("label {text:?}: {e}")))
}

fn parse_time(text: &str) -> Result<DateTime<Utc>, IndexError> {
    DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| corrupt(format_args!("timestamp {text:?}: {e}")))
}

pub(crate) fn record_from(item: &Item) -> Result<PhotoRecord, IndexError> {
    Ok(PhotoRecord {
        key: parse_photo_key(get_s(item, "photo_key")?)?,
        file_name: get_s(item, "file_name")?.to_owned(),
        size: get_n(item, "size")?,
        sha256: Sha256::parse(get_s(item, "sha256")?).map_err(corrupt)?,
        crc32: get_n(item, "crc32")?,
    })
}

pub(crate) fn labels_from(item: &Item) -> Result<Vec<PhotoLabel>, IndexError> {
    let Some(AttributeValue::L(list)) = item.get("labels") else {
        return Ok(Vec::new());
    };
    list.iter()
        .map(|value| {
            let AttributeValue::M(m) = value else {
                return Err(corrupt("a label that is not a map"));
            };
            let parents = match m.get("parents") {
                Some(AttributeValue::L(ps)) => ps
                    .iter()
                    .map(|p| match p {
                        AttributeValue::S(name) => parse_label(name),
                        _ => Err(corrupt("a parent label that is not a string")),
                    })
                    .collect::<Result<_, _>>()?,
                _ => Vec::new(),
            };
            Ok(PhotoLabel {
                name: parse_label(get_s(m, "name")?)?,
                confidence: get_n(m, "confidence")?,
                parents,
            })
        })
        .collect()
}

pub(crate) fn entry_from(item: &Item) -> Result<PhotoEntry, IndexError> {
    Ok(PhotoEntry {
        record: record_from(item)?,
        indexed_at: match item.get("indexed_at") {
            Some(AttributeValue::S(t)) => Some(parse_time(t)?),
            _ => None,
        },
        labels: labels_from(item)?,
    })
}

pub(crate) fn quarantine_from(item: &Item) -> Result<QuarantineRecord, IndexError> {
    Ok(QuarantineRecord {
        key: parse_photo_key(get_s(item, "photo_key")?)?,
        error: get_s(item, "error")?.to_owned(),
        reason: get_s(item, "reason")?.to_owned(),
        at: parse_time(get_s(item, "at")?)?,
    })
}

const TOKEN_VERSION: &str = "v1:";

/// The token for the page after `last` (a photo key or a label name).
pub(crate) fn encode_token(last: &str) -> String {
    URL_SAFE_NO_PAD.encode(format!("{TOKEN_VERSION}{last}"))
}

/// Checks a page request: the key to continue after ("" for the first page) and the size.
pub(crate) fn page_bounds(page: &PageRequest) -> Result<(String, usize), IndexError> {
    if !(1..=1000).contains(&page.limit) {
        return Err(IndexError::InvalidArgument(format!(
            "a page holds 1 to 1000 items, not {}",
            page.limit
        )));
    }
    let after = match &page.after {
        None => String::new(),
        Some(token) => {
            let bad = || {
                IndexError::InvalidArgument(format!(
                    "page token {token:?} is not one this index issued"
                ))
            };
            let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| bad())?;
            let text = String::from_utf8(bytes).map_err(|_| bad())?;
            let last = text.strip_prefix(TOKEN_VERSION).ok_or_else(bad)?;
            if last.is_empty() {
                return Err(bad());
            }
            last.to_owned()
        }
    };
    Ok((after, page.limit as usize))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pam_core::ports::index::PageRequest;

    #[test]
    fn tokens_round_trip_and_reject_forgeries() {
        let token = encode_token("photos/a b.jpg");
        let page = PageRequest {
            after: Some(token),
            limit: 5,
        };
        assert_eq!(
            page_bounds(&page).unwrap(),
            ("photos/a b.jpg".to_owned(), 5)
        );
        for bad in ["%%%", "dGVzdA", ""] {
            let page = PageRequest {
                after: Some(bad.to_owned()),
                limit: 5,
            };
            assert!(matches!(
                page_bounds(&page),
                Err(IndexError::InvalidArgument(_))
            ));
        }
        assert!(page_bounds(&PageRequest::first(0)).is_err());
        assert!(page_bounds(&PageRequest::first(1001)).is_err());
    }

    #[test]
    fn photos_and_labels_round_trip() {
        let record = PhotoRecord {
            key: PhotoKey::parse("photos/a.jpg").unwrap(),
            file_name: "a.jpg".into(),
            size: 12,
            sha256: Sha256::of(b"a"),
            crc32: 7,
        };
        let labels = vec![PhotoLabel {
            name: Label::parse("Mountain").unwrap(),
            confidence: 98.5,
            parents: vec![Label::parse("Nature").unwrap()],
        }];
        let mut item = photo_item(&record);
        item.insert("labels".into(), labels_value(&labels));
        let entry = entry_from(&item).unwrap();
        assert_eq!(entry.record, record);
        assert_eq!(entry.labels, labels);
        assert_eq!(entry.indexed_at, None);
    }
}
