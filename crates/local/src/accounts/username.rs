//! An account name: what a person types to sign in and what the ID token carries as
//! `cognito:username`. Restricted to a small, unambiguous alphabet so it is safe in logs,
//! URLs and file names, and compared case-insensitively by storing it lowercased.

use std::fmt;

/// Why a name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid user name {name:?}: {reason}")]
pub struct UsernameError {
    /// The refused name (a user name is not personal contact data).
    pub name: String,
    /// What is wrong with it.
    pub reason: &'static str,
}

/// A validated, lowercased user name: 1–64 of `a-z 0-9 . _ -`, starting with a letter or digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Username(String);

impl Username {
    /// Validates `name` (surrounding spaces are trimmed, letters lowercased).
    pub fn parse(name: impl AsRef<str>) -> Result<Self, UsernameError> {
        let raw = name.as_ref().trim();
        let err = |reason| UsernameError {
            name: raw.to_owned(),
            reason,
        };
        if raw.is_empty() {
            return Err(err("it is empty"));
        }
        if raw.len() > 64 {
            return Err(err("it is longer than 64 characters"));
        }
        let lower = raw.to_ascii_lowercase();
        if !lower
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "._-".contains(c))
        {
            return Err(err("only letters, digits, '.', '_' and '-' are allowed"));
        }
        if !lower.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Err(err("it must start with a letter or digit"));
        }
        Ok(Self(lower))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_lowercases() {
        assert_eq!(Username::parse(" Ana.B-1 ").unwrap().as_str(), "ana.b-1");
        assert_eq!(Username::parse("admin").unwrap().to_string(), "admin");
    }

    #[test]
    fn refuses_bad_names() {
        for bad in ["", "   ", "-x", ".x", "a b", "a/b", "é", &"a".repeat(65)] {
            let e = Username::parse(bad).unwrap_err();
            assert!(!e.reason.is_empty(), "{bad:?}");
        }
    }
}
