//! ISO-8601 extended offset date-times as Step Functions accepts them
//! (`2016-03-14T01:59:00Z`, `…+01:00`, fractional seconds): a `T` separator and an
//! offset are required, unlike RFC 3339 parsers that also take a space or `-00:00`.

use chrono::{DateTime, Utc};

/// Parses a timestamp, `None` when it is not an ISO-8601 extended offset date-time.
pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    let bytes = text.as_bytes();
    if bytes.len() < 20 || !matches!(bytes[10], b'T' | b't') {
        return None;
    }
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn accepts_offsets_and_fractions_refuses_the_rest() {
        assert!(parse("2016-03-14T01:59:00Z").is_some());
        assert!(parse("2016-03-05T21:29:29.243167252Z").is_some());
        assert!(parse("2012-10-09T19:00:55+01:00").is_some());
        assert!(parse("2016-12-05T21:29:29").is_none());
        assert!(parse("2016-12-05 21:29:29Z").is_none());
        assert!(parse("2016-13-05T21:29:29Z").is_none());
        assert!(parse("2023-02-24").is_none());
    }
}
