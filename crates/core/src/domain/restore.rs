//! Restore tiers and the restore state S3 reports in HeadObject's `x-amz-restore`
//! header (`ongoing-request="true"`, or `ongoing-request="false", expiry-date="…"`).
//! The header codec lives here so the AWS adapter parses exactly what the local
//! store produces.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// How fast (and how expensively) an archived object is restored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RestoreTier {
    /// Minutes; GLACIER and the Intelligent-Tiering Archive Access tier only.
    Expedited,
    /// Hours.
    Standard,
    /// Many hours; cheapest.
    Bulk,
}

impl RestoreTier {
    /// The S3 name (`Expedited`, `Standard`, `Bulk`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Expedited => "Expedited",
            Self::Standard => "Standard",
            Self::Bulk => "Bulk",
        }
    }
}

/// An unknown tier name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown restore tier {0:?}; expected Expedited, Standard or Bulk")]
pub struct RestoreTierError(String);

impl FromStr for RestoreTier {
    type Err = RestoreTierError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "expedited" => Ok(Self::Expedited),
            "standard" => Ok(Self::Standard),
            "bulk" => Ok(Self::Bulk),
            _ => Err(RestoreTierError(s.to_owned())),
        }
    }
}

impl fmt::Display for RestoreTier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What HeadObject says about a restore.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum RestoreState {
    /// A restore was requested and is not finished (`ongoing-request="true"`).
    Ongoing,
    /// The restored copy is readable. `expiry` is when the temporary copy goes away;
    /// `None` for Intelligent-Tiering, whose restored objects stay in the Frequent tier.
    Restored {
        /// When the temporary copy expires.
        expiry: Option<DateTime<Utc>>,
    },
}

/// The `x-amz-restore` header could not be understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unparseable x-amz-restore header {0:?}")]
pub struct RestoreHeaderError(String);

const HTTP_DATE: &str = "%a, %d %b %Y %H:%M:%S GMT";

impl RestoreState {
    /// Formats the `x-amz-restore` header value as S3 does.
    pub fn to_header(&self) -> String {
        match self {
            Self::Ongoing => "ongoing-request=\"true\"".to_owned(),
            Self::Restored { expiry: None } => "ongoing-request=\"false\"".to_owned(),
            Self::Restored { expiry: Some(at) } => format!(
                "ongoing-request=\"false\", expiry-date=\"{}\"",
                at.format(HTTP_DATE)
            ),
        }
    }

    /// Parses an `x-amz-restore` header value.
    pub fn parse_header(value: &str) -> Result<Self, RestoreHeaderError> {
        let err = || RestoreHeaderError(value.to_owned());
        let mut ongoing = None;
        let mut expiry = None;
        let mut rest = value.trim();
        while !rest.is_empty() {
            // name="value" pairs separated by commas; values may contain ", " (dates).
            let (name, after) = rest.split_once("=\"").ok_or_else(err)?;
            let (text, tail) = after.split_once('"').ok_or_else(err)?;
            match name.trim() {
                "ongoing-request" => ongoing = Some(text == "true"),
                "expiry-date" => {
                    let naive =
                        NaiveDateTime::parse_from_str(text, HTTP_DATE).map_err(|_| err())?;
                    expiry = Some(naive.and_utc());
                }
                _ => {}
            }
            rest = tail.trim_start().trim_start_matches(',').trim_start();
        }
        match ongoing.ok_or_else(err)? {
            true => Ok(Self::Ongoing),
            false => Ok(Self::Restored { expiry }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn header_round_trips() {
        let at = Utc.with_ymd_and_hms(2012, 12, 21, 0, 0, 0).unwrap();
        let restored = RestoreState::Restored { expiry: Some(at) };
        assert_eq!(
            restored.to_header(),
            "ongoing-request=\"false\", expiry-date=\"Fri, 21 Dec 2012 00:00:00 GMT\""
        );
        for state in [
            RestoreState::Ongoing,
            restored,
            RestoreState::Restored { expiry: None },
        ] {
            assert_eq!(
                RestoreState::parse_header(&state.to_header()).unwrap(),
                state
            );
        }
        assert!(RestoreState::parse_header("nonsense").is_err());
    }

    #[test]
    fn tiers_parse_in_any_case() {
        assert_eq!("BULK".parse::<RestoreTier>().unwrap(), RestoreTier::Bulk);
        assert_eq!(
            "Expedited".parse::<RestoreTier>().unwrap(),
            RestoreTier::Expedited
        );
        assert!("fast".parse::<RestoreTier>().is_err());
    }
}
