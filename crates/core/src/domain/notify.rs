//! Where a finished download is announced: an email address or an E.164 phone number.
//! The address is personal data: it is validated on input, and `Debug`/`Display` never
//! print it (only its kind), so it cannot leak into logs, errors or panics. The only
//! way to read it is [`NotifyTarget::expose`], called by the notification adapter.
//! There is deliberately no `Serialize`: persisting it must be a visible decision.

use serde::Deserialize;
use std::fmt;

/// Why an address was refused. Never contains the address itself.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NotifyTargetError {
    /// Not an email address we can send to.
    #[error("invalid email address: {0}")]
    Email(&'static str),
    /// Not an E.164 phone number.
    #[error("invalid phone number: {0}; expected E.164 such as +14155550123")]
    Phone(&'static str),
}

#[derive(Clone, PartialEq, Eq)]
enum Inner {
    Email(String),
    Phone(String),
}

/// A validated email address or E.164 phone number, redacted when printed.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "NotifyWire")]
pub struct NotifyTarget(Inner);

/// The API's JSON shape: `{"email": "..."}` or `{"phone": "..."}`.
#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
#[doc(hidden)]
pub enum NotifyWire {
    Email(String),
    Phone(String),
}

impl TryFrom<NotifyWire> for NotifyTarget {
    type Error = NotifyTargetError;
    fn try_from(wire: NotifyWire) -> Result<Self, Self::Error> {
        match wire {
            NotifyWire::Email(a) => Self::email(a),
            NotifyWire::Phone(p) => Self::phone(p),
        }
    }
}

impl NotifyTarget {
    /// Validates a plain `local@domain` address (dot-atom form, which SMTP relays and
    /// SNS accept): local part ≤ 64, total ≤ 254, a dotted domain of letter/digit/hyphen
    /// labels. Quoted local parts and IP literals are refused on purpose.
    pub fn email(address: impl Into<String>) -> Result<Self, NotifyTargetError> {
        let address = address.into().trim().to_owned();
        let err = NotifyTargetError::Email;
        if address.len() > 254 {
            return Err(err("longer than 254 characters"));
        }
        let (local, domain) = address.rsplit_once('@').ok_or(err("missing '@'"))?;
        if local.is_empty() || local.len() > 64 {
            return Err(err("the part before '@' must be 1 to 64 characters"));
        }
        let atext = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c);
        if local
            .split('.')
            .any(|part| part.is_empty() || !part.chars().all(atext))
        {
            return Err(err(
                "the part before '@' has a character or dot not allowed there",
            ));
        }
        let labels: Vec<&str> = domain.split('.').collect();
        if labels.len() < 2 {
            return Err(err("the domain needs a dot"));
        }
        let label_ok = |l: &&str| {
            (1..=63).contains(&l.len())
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        if !labels.iter().all(label_ok) {
            return Err(err("the domain has an invalid part"));
        }
        let tld = labels[labels.len() - 1];
        if tld.len() < 2 || !tld.chars().all(|c| c.is_ascii_alphabetic()) {
            return Err(err("the domain must end in a top-level domain of letters"));
        }
        Ok(Self(Inner::Email(address)))
    }

    /// Validates an E.164 number: `+`, a non-zero digit, 7 to 15 digits in all.
    /// Spaces, dashes and parentheses people type are removed first.
    pub fn phone(number: impl Into<String>) -> Result<Self, NotifyTargetError> {
        let number: String = number
            .into()
            .chars()
            .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
            .collect();
        let err = NotifyTargetError::Phone;
        let digits = number.strip_prefix('+').ok_or(err("must start with '+'"))?;
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return Err(err("only digits may follow '+'"));
        }
        if !(7..=15).contains(&digits.len()) {
            return Err(err("must have 7 to 15 digits"));
        }
        if digits.starts_with('0') {
            return Err(err("the country code cannot start with 0"));
        }
        Ok(Self(Inner::Phone(number)))
    }

    /// Whether this is an email address (else a phone number).
    pub fn is_email(&self) -> bool {
        matches!(self.0, Inner::Email(_))
    }

    /// The kind, safe to log: `"email"` or `"phone"`.
    pub fn kind(&self) -> &'static str {
        if self.is_email() { "email" } else { "phone" }
    }

    /// The address itself. Only the notification adapter should call this; never log it.
    pub fn expose(&self) -> &str {
        match &self.0 {
            Inner::Email(a) | Inner::Phone(a) => a,
        }
    }
}

impl fmt::Debug for NotifyTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NotifyTarget({} <redacted>)", self.kind())
    }
}

impl fmt::Display for NotifyTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} <redacted>", self.kind())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_common_addresses() {
        let t = NotifyTarget::email(" jane.doe+photos@example.co.uk ").unwrap();
        assert_eq!(t.expose(), "jane.doe+photos@example.co.uk");
        assert_eq!(
            NotifyTarget::phone("+1 (415) 555-0123").unwrap().expose(),
            "+14155550123"
        );
    }

    #[test]
    fn refuses_bad_addresses() {
        for bad in [
            "plain",
            "@example.com",
            "a@b",
            "a..b@example.com",
            ".a@example.com",
            "a@-x.com",
            "a@example.c0m",
            "a b@example.com",
        ] {
            assert!(NotifyTarget::email(bad).is_err(), "{bad}");
        }
        for bad in [
            "4155550123",
            "+0123456789",
            "+12",
            "+1234567890123456",
            "+1415abc0123",
        ] {
            assert!(NotifyTarget::phone(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn never_prints_the_address() {
        let email = NotifyTarget::email("secret.person@example.com").unwrap();
        let phone = NotifyTarget::phone("+442071234567").unwrap();
        for shown in [
            format!("{email:?}"),
            format!("{email}"),
            format!("{phone:?}"),
            format!("{phone}"),
            format!("{:?}", Some(&email)),
        ] {
            assert!(
                !shown.contains("secret") && !shown.contains("example"),
                "{shown}"
            );
            assert!(!shown.contains("2071234567"), "{shown}");
        }
        let err = NotifyTarget::email("secret.person@nowhere").unwrap_err();
        assert!(!err.to_string().contains("secret"));
    }

    #[test]
    fn deserializes_the_api_shape() {
        let t: NotifyTarget = serde_json::from_str(r#"{"email":"a@example.com"}"#).unwrap();
        assert!(t.is_email());
        let t: NotifyTarget = serde_json::from_str(r#"{"phone":"+14155550123"}"#).unwrap();
        assert_eq!(t.kind(), "phone");
        assert!(serde_json::from_str::<NotifyTarget>(r#"{"email":"nope"}"#).is_err());
    }
}
