//! The reads of the label index: label counts, photos matching any / all labels, one
//! photo, and the photo and quarantine listings. Every Query follows
//! `LastEvaluatedKey`; pages continue strictly after the last key returned.

use aws_sdk_dynamodb::types::KeysAndAttributes;
use pam_core::ports::index::{
    IndexError, LabelCount, Page, PageRequest, PhotoEntry, QuarantineRecord,
};
use pam_core::{Label, MatchMode, PhotoKey};
use std::collections::{BTreeSet, HashSet};
use std::time::Duration;

use super::DynamoIndex;
use super::error::{INDEX, build_err, index_err};
use super::items::{
    self, ALL_LABELS, ALL_PHOTOS, ALL_QUARANTINED, GSI, GSI_PK, GSI_SK, Item, MEMBER_PREFIX, PK,
    SK, s,
};

/// Items asked of one Query call: pages are followed by `LastEvaluatedKey`, so this
/// bounds the size of one response, not of a result.
const QUERY_PAGE: usize = 100;

/// One key range to read: a partition (of the table or the GSI) and a sort-key prefix.
struct Range<'a> {
    index: Option<&'a str>,
    pk_name: &'a str,
    pk: String,
    sk_name: &'a str,
    prefix: &'a str,
}

impl<'a> Range<'a> {
    fn gsi(partition: &str) -> Self {
        Self {
            index: Some(GSI),
            pk_name: GSI_PK,
            pk: partition.to_owned(),
            sk_name: GSI_SK,
            prefix: "",
        }
    }

    fn members(label: &Label) -> Self {
        Self {
            index: None,
            pk_name: PK,
            pk: items::label_pk(label),
            sk_name: SK,
            prefix: MEMBER_PREFIX,
        }
    }
}

/// Builds a page of at most `limit` from up to `limit + 1` items.
fn page_of<T>(mut items: Vec<T>, limit: usize, last_key: impl Fn(&T) -> String) -> Page<T> {
    let next = (items.len() > limit).then(|| {
        items.truncate(limit);
        items::encode_token(&last_key(&items[limit - 1]))
    });
    Page { items, next }
}

impl DynamoIndex {
    /// Up to `limit` items of `range` whose sort key (less the prefix) sorts after
    /// `after`, in order, following `LastEvaluatedKey` across responses.
    async fn query_after(
        &self,
        range: &Range<'_>,
        after: &str,
        limit: Option<usize>,
    ) -> Result<Vec<Item>, IndexError> {
        let mut out = Vec::new();
        let mut start = None;
        loop {
            let want = limit.map_or(QUERY_PAGE, |l| (l - out.len()).min(QUERY_PAGE)) as i32;
            // DynamoDB refuses empty strings in key conditions: pick the condition.
            let mut query = self
                .client
                .query()
                .table_name(&self.table)
                .set_index_name(range.index.map(str::to_owned))
                .expression_attribute_names("#pk", range.pk_name)
                .expression_attribute_values(":pk", s(&range.pk));
            query = match (after.is_empty(), range.prefix.is_empty()) {
                (true, true) => query.key_condition_expression("#pk = :pk"),
                (true, false) => query
                    .key_condition_expression("#pk = :pk AND begins_with(#sk, :prefix)")
                    .expression_attribute_names("#sk", range.sk_name)
                    .expression_attribute_values(":prefix", s(range.prefix)),
                (false, _) => query
                    .key_condition_expression("#pk = :pk AND #sk > :after")
                    .expression_attribute_names("#sk", range.sk_name)
                    .expression_attribute_values(":after", s(format!("{}{after}", range.prefix))),
            };
            let resp = query
                .set_consistent_read(range.index.is_none().then_some(true))
                .limit(want)
                .set_exclusive_start_key(start)
                .send()
                .await
                .map_err(index_err)?;
            let prefix_ok = |item: &Item| {
                items::get_s(item, range.sk_name).is_ok_and(|sk| sk.starts_with(range.prefix))
            };
            out.extend(resp.items.unwrap_or_default().into_iter().filter(prefix_ok));
            start = resp.last_evaluated_key;
            let full = limit.is_some_and(|l| out.len() >= l);
            if start.is_none() || full {
                return Ok(out);
            }
        }
    }

    async fn member_keys(
        &self,
        label: &Label,
        after: &str,
        limit: usize,
    ) -> Result<Vec<PhotoKey>, IndexError> {
        self.query_after(&Range::members(label), after, Some(limit))
            .await?
            .iter()
            .map(|item| items::parse_photo_key(items::get_s(item, "photo_key")?))
            .collect()
    }

    pub(super) async fn counts(&self) -> Result<Vec<LabelCount>, IndexError> {
        let all = self.query_after(&Range::gsi(ALL_LABELS), "", None).await?;
        let mut counts = all
            .iter()
            .map(|item| {
                Ok(LabelCount {
                    name: Label::parse(items::get_s(item, "label")?)
                        .map_err(|e| build_err("a label count", e))?,
                    count: items::get_n(item, "photos")?,
                })
            })
            .filter(|c: &Result<LabelCount, IndexError>| !matches!(c, Ok(c) if c.count == 0))
            .collect::<Result<Vec<_>, _>>()?;
        counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.name.cmp(&b.name)));
        Ok(counts)
    }

    async fn count_of(&self, label: &Label) -> Result<u64, IndexError> {
        match self.get_item(items::counter_key(label)).await? {
            Some(item) => items::get_n(&item, "photos"),
            None => Ok(0),
        }
    }

    pub(super) async fn matching(
        &self,
        labels: &[Label],
        mode: MatchMode,
        page: PageRequest,
    ) -> Result<Page<PhotoKey>, IndexError> {
        if labels.is_empty() {
            return Err(IndexError::InvalidArgument(
                "name at least one label to match".into(),
            ));
        }
        let (after, limit) = items::page_bounds(&page)?;
        let labels: Vec<&Label> = labels.iter().collect::<BTreeSet<_>>().into_iter().collect();
        let keys = match mode {
            MatchMode::Any => {
                // The first limit+1 keys of the union lie within each label's first limit+1.
                let mut union = BTreeSet::new();
                for label in &labels {
                    union.extend(self.member_keys(label, &after, limit + 1).await?);
                }
                union.into_iter().take(limit + 1).collect()
            }
            MatchMode::All => self.intersection(&labels, &after, limit + 1).await?,
        };
        Ok(page_of(keys, limit, |k| k.as_str().to_owned()))
    }

    /// Up to `want` keys after `after` carrying every label: walks the rarest label's
    /// members and checks the others in batches.
    async fn intersection(
        &self,
        labels: &[&Label],
        after: &str,
        want: usize,
    ) -> Result<Vec<PhotoKey>, IndexError> {
        let mut counted = Vec::with_capacity(labels.len());
        for label in labels {
            counted.push((self.count_of(label).await?, *label));
        }
        counted.sort();
        let (rarest_count, rarest) = counted[0];
        if rarest_count == 0 {
            return Ok(Vec::new());
        }
        let others: Vec<&Label> = counted[1..].iter().map(|(_, l)| *l).collect();
        let mut found = Vec::new();
        let mut cursor = after.to_owned();
        loop {
            let batch = self.member_keys(rarest, &cursor, 100).await?;
            let Some(last) = batch.last() else {
                return Ok(found);
            };
            cursor = last.as_str().to_owned();
            let exhausted = batch.len() < 100;
            for key in self.having_all(&batch, &others).await? {
                found.push(key);
                if found.len() == want {
                    return Ok(found);
                }
            }
            if exhausted {
                return Ok(found);
            }
        }
    }

    /// The keys of `candidates` (in order) that are members of every label in `others`.
    async fn having_all(
        &self,
        candidates: &[PhotoKey],
        others: &[&Label],
    ) -> Result<Vec<PhotoKey>, IndexError> {
        if others.is_empty() {
            return Ok(candidates.to_vec());
        }
        let mut wanted = Vec::new();
        for key in candidates {
            for label in others {
                wanted.push(items::key(
                    items::label_pk(label),
                    format!("{MEMBER_PREFIX}{key}"),
                ));
            }
        }
        let mut present = HashSet::new();
        for chunk in wanted.chunks(100) {
            for item in self.batch_get(chunk.to_vec()).await? {
                present.insert((
                    items::get_s(&item, PK)?.to_owned(),
                    items::get_s(&item, SK)?.to_owned(),
                ));
            }
        }
        Ok(candidates
            .iter()
            .filter(|key| {
                others.iter().all(|label| {
                    present.contains(&(items::label_pk(label), format!("{MEMBER_PREFIX}{key}")))
                })
            })
            .cloned()
            .collect())
    }

    /// BatchGetItem of up to 100 keys, retrying unprocessed keys.
    async fn batch_get(&self, keys: Vec<Item>) -> Result<Vec<Item>, IndexError> {
        let mut found = Vec::new();
        let mut pending = Some(
            KeysAndAttributes::builder()
                .set_keys(Some(keys))
                .consistent_read(true)
                .build()
                .map_err(|e| build_err("a batch get", e))?,
        );
        for attempt in 1..=10u64 {
            let Some(request) = pending.take() else {
                return Ok(found);
            };
            let out = self
                .client
                .batch_get_item()
                .request_items(&self.table, request)
                .send()
                .await
                .map_err(index_err)?;
            if let Some(mut responses) = out.responses {
                found.extend(responses.remove(&self.table).unwrap_or_default());
            }
            pending = out
                .unprocessed_keys
                .and_then(|mut m| m.remove(&self.table))
                .filter(|k| !k.keys().is_empty());
            if pending.is_some() {
                tokio::time::sleep(Duration::from_millis(20 * attempt)).await;
            }
        }
        match pending {
            None => Ok(found),
            Some(_) => Err(IndexError::Transient {
                index: INDEX,
                source: "BatchGetItem left keys unprocessed".into(),
            }),
        }
    }

    pub(super) async fn get_photo(&self, key: &PhotoKey) -> Result<Option<PhotoEntry>, IndexError> {
        self.get_item(items::photo_key(key))
            .await?
            .map(|item| items::entry_from(&item))
            .transpose()
    }

    pub(super) async fn photos_page(
        &self,
        page: PageRequest,
    ) -> Result<Page<PhotoEntry>, IndexError> {
        let (after, limit) = items::page_bounds(&page)?;
        let found = self
            .query_after(&Range::gsi(ALL_PHOTOS), &after, Some(limit + 1))
            .await?;
        let entries = found
            .iter()
            .map(items::entry_from)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(page_of(entries, limit, |e| {
            e.record.key.as_str().to_owned()
        }))
    }

    pub(super) async fn quarantine_page(
        &self,
        page: PageRequest,
    ) -> Result<Page<QuarantineRecord>, IndexError> {
        let (after, limit) = items::page_bounds(&page)?;
        let found = self
            .query_after(&Range::gsi(ALL_QUARANTINED), &after, Some(limit + 1))
            .await?;
        let records = found
            .iter()
            .map(items::quarantine_from)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(page_of(records, limit, |r| r.key.as_str().to_owned()))
    }
}
