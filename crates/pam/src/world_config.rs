//! The local world's tunables that are not paths: how long restores take and how long
//! a labelled photo stays hot. Both come from flags or the environment so `pam serve`,
//! `pam import` and `pam download` in one data directory can be run alike:
//! - `--restore-delays` / `PAM_RESTORE_DELAYS`: `local` (default: seconds, so the
//!   journey is visible), `aws` (AWS's published upper bounds: Expedited 5 min,
//!   Standard 5 h, Bulk 12 h; deep archives 12 h / 12 h / 48 h), or one duration such
//!   as `8s` that every tier and archive depth takes (a test knob: a restore wait long
//!   enough to kill `pam` in).
//! - `--cold-after` / `PAM_COLD_AFTER`: photos younger than this stay hot when Archive
//!   runs (default `0s`: cold at once). Durations are `<n>[s|m|h|d]`.

use chrono::Duration;
use clap::Args;
use pam_local::{RestoreDelays, TierDelays};
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The model file, relative to the repository (scripts/fetch-model.sh writes it).
const MODEL_IN_REPO: &str = ".cache/models/efficientnet-lite0.onnx";

/// Options every command that opens the local world takes.
#[derive(Args, Debug, Clone)]
pub struct WorldArgs {
    /// The data directory (default `$XDG_DATA_HOME/pam`, else `~/.local/share/pam`).
    #[arg(long, env = "PAM_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// The EfficientNet-Lite0 ONNX model (default `.cache/models/efficientnet-lite0.onnx`
    /// in the working directory, else in the repository pam was built from).
    #[arg(long, env = "PAM_MODEL")]
    pub model: Option<PathBuf>,
    /// How long restores take: `local` (seconds), `aws` (AWS's published times), or one
    /// duration for every tier (e.g. `8s`).
    #[arg(long, env = "PAM_RESTORE_DELAYS", default_value = "local")]
    pub restore_delays: DelayChoice,
    /// How long a labelled photo stays hot before it goes cold (e.g. `0s`, `30d`).
    #[arg(long, env = "PAM_COLD_AFTER", default_value = "0s")]
    pub cold_after: Age,
}

impl WorldArgs {
    /// The data directory these options name.
    pub fn data_dir(&self) -> Result<PathBuf, crate::world::WorldError> {
        if let Some(dir) = &self.data_dir {
            return Ok(dir.clone());
        }
        if let Some(xdg) = std::env::var_os("XDG_DATA_HOME").filter(|v| !v.is_empty()) {
            return Ok(PathBuf::from(xdg).join("pam"));
        }
        let home = std::env::var_os("HOME").filter(|v| !v.is_empty());
        home.map(|h| PathBuf::from(h).join(".local/share/pam"))
            .ok_or(crate::world::WorldError::NoDataDir)
    }

    /// The model file these options name.
    pub fn model_path(&self) -> PathBuf {
        if let Some(model) = &self.model {
            return model.clone();
        }
        let here = PathBuf::from(MODEL_IN_REPO);
        if here.is_file() {
            return here;
        }
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../..")
            .join(MODEL_IN_REPO)
    }
}

/// A `<n>[s|m|h|d]` duration (bare `n` is seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Age(pub Duration);

/// A duration that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid duration {0:?}: use a whole number with s, m, h or d (e.g. 30s, 5m, 2h, 7d)")]
pub struct AgeError(String);

impl FromStr for Age {
    type Err = AgeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let text = s.trim();
        let (digits, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
            Some(i) => text.split_at(i),
            None => (text, "s"),
        };
        let n: i64 = digits.parse().map_err(|_| AgeError(s.to_owned()))?;
        let d = match unit {
            "s" => Duration::try_seconds(n),
            "m" => Duration::try_minutes(n),
            "h" => Duration::try_hours(n),
            "d" => Duration::try_days(n),
            _ => None,
        };
        d.map(Age).ok_or_else(|| AgeError(s.to_owned()))
    }
}

/// Which restore delays the store applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DelayChoice {
    /// Short local defaults.
    Local,
    /// AWS's published upper bounds.
    Aws,
    /// One delay for every tier and depth.
    Fixed(Duration),
}

/// A restore-delay setting that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid restore delays {0:?}: use local, aws, or one duration such as 8s")]
pub struct DelayChoiceError(String);

impl FromStr for DelayChoice {
    type Err = DelayChoiceError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "local" => Ok(Self::Local),
            "aws" => Ok(Self::Aws),
            other => other
                .parse::<Age>()
                .map(|a| Self::Fixed(a.0))
                .map_err(|_| DelayChoiceError(s.to_owned())),
        }
    }
}

impl DelayChoice {
    /// The store's restore delays.
    pub fn delays(self) -> RestoreDelays {
        match self {
            Self::Local => RestoreDelays::local_defaults(),
            Self::Aws => RestoreDelays::aws_like(),
            Self::Fixed(d) => {
                let all = TierDelays {
                    expedited: d,
                    standard: d,
                    bulk: d,
                };
                RestoreDelays {
                    flexible: all,
                    deep: all,
                }
            }
        }
    }

    /// Whether the AWS-like figures were chosen (the steps poll as rarely as on AWS).
    pub fn is_aws(self) -> bool {
        matches!(self, Self::Aws)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_with_units_and_refuse_nonsense() {
        assert_eq!("0".parse::<Age>().unwrap().0, Duration::zero());
        assert_eq!("30s".parse::<Age>().unwrap().0, Duration::seconds(30));
        assert_eq!("5m".parse::<Age>().unwrap().0, Duration::minutes(5));
        assert_eq!("2h".parse::<Age>().unwrap().0, Duration::hours(2));
        assert_eq!("7d".parse::<Age>().unwrap().0, Duration::days(7));
        for bad in ["", "s", "5x", "-1s", "1.5h", "5 m"] {
            assert!(bad.parse::<Age>().is_err(), "{bad}");
        }
    }

    #[test]
    fn delay_choices() {
        assert_eq!("AWS".parse::<DelayChoice>().unwrap(), DelayChoice::Aws);
        assert_eq!(
            "local".parse::<DelayChoice>().unwrap().delays(),
            RestoreDelays::local_defaults()
        );
        let fixed = "8s".parse::<DelayChoice>().unwrap().delays();
        assert_eq!(fixed.deep.bulk, Duration::seconds(8));
        assert!("soon".parse::<DelayChoice>().is_err());
    }
}
