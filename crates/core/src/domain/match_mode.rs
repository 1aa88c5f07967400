//! How a download's labels combine: photos carrying any of them, or all of them.

use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// Whether a photo must carry any or all of the requested labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchMode {
    /// At least one of the labels.
    #[default]
    Any,
    /// Every one of the labels.
    All,
}

/// An unknown match mode.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown match mode {0:?}; expected \"any\" or \"all\"")]
pub struct MatchModeError(String);

impl FromStr for MatchMode {
    type Err = MatchModeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "any" => Ok(Self::Any),
            "all" => Ok(Self::All),
            _ => Err(MatchModeError(s.to_owned())),
        }
    }
}

impl fmt::Display for MatchMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Any => "any",
            Self::All => "all",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_modes() {
        assert_eq!("ANY".parse::<MatchMode>().unwrap(), MatchMode::Any);
        assert_eq!("all".parse::<MatchMode>().unwrap(), MatchMode::All);
        assert!("some".parse::<MatchMode>().is_err());
        assert_eq!(serde_json::to_string(&MatchMode::All).unwrap(), "\"all\"");
    }
}
