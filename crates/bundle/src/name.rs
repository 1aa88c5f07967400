//! Entry names: a photo's original file name made safe to extract anywhere, and
//! unique within a bundle.
//!
//! Safe means: one path component (the last of whatever was given, `/` or `\`
//! separated, so `C:\fakepath\beach.jpg` gives `beach.jpg`), no control or bidi
//! override characters, none of the characters Windows refuses (`<>:"|?*`), no leading
//! dots or spaces (no `..`, no hidden files), no trailing dots or spaces, not a
//! Windows device name (`CON`, `COM1`…), at most [`MAX_NAME_BYTES`] bytes of UTF-8 with
//! the extension kept. Unique means: compared case-insensitively, so `beach.jpg`,
//! `Beach.JPG` become `beach.jpg`, `Beach (2).JPG`.
//!
//! [`NameSet`] remembers a 64-bit hash of each lower-cased name, not the name: 16 bytes
//! an entry. A hash collision only costs a needless ` (n)` suffix, never a duplicate.

use crate::error::{BundleError, Result};
use std::collections::{HashMap, HashSet};
use std::fmt;
use std::hash::{DefaultHasher, Hash, Hasher};

/// Longest entry name in bytes (UTF-8); leaves room under every file system's 255.
pub const MAX_NAME_BYTES: usize = 200;
/// Longest extension (after the last dot) kept whole when a name is shortened.
const MAX_EXT_BYTES: usize = 16;
/// Name used when nothing usable is left of the original.
const FALLBACK_STEM: &str = "photo";
const WINDOWS_DEVICES: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// A name that is safe as a zip entry name (see the module doc). Build one with
/// [`EntryName::parse`] (refuses unsafe input) or [`NameSet::assign`] (repairs it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryName(String);

impl EntryName {
    /// Accepts `name` only if sanitising would leave it unchanged.
    pub fn parse(name: &str) -> Result<Self> {
        let clean = sanitize(name);
        if clean != name {
            return Err(BundleError::UnsafeName {
                name: name.to_owned(),
                reason: unsafe_reason(name),
            });
        }
        Ok(Self(clean))
    }

    /// The name as it goes in the zip.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EntryName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn unsafe_reason(name: &str) -> &'static str {
    if name.contains(['/', '\\']) {
        "contains a path separator"
    } else if name.len() > MAX_NAME_BYTES {
        "too long"
    } else if name.chars().any(is_dropped) {
        "contains a control or direction-override character"
    } else if name.starts_with(['.', ' ']) || name.ends_with(['.', ' ']) {
        "starts or ends with a dot or space"
    } else {
        "contains a reserved character or is a reserved name"
    }
}

/// Characters removed outright: C0/C1 controls and the invisible direction overrides
/// that make `gpj.exe` display as `exe.jpg`.
fn is_dropped(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Makes one safe name of `original` (see the module doc); never empty.
pub fn sanitize(original: &str) -> String {
    let last = original.rsplit(['/', '\\']).next().unwrap_or_default();
    let mut name: String = last
        .chars()
        .filter(|c| !is_dropped(*c))
        .map(|c| {
            if matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*') {
                '_'
            } else {
                c
            }
        })
        .collect();
    name = name.trim_matches(|c| c == '.' || c == ' ').to_owned();
    let (stem, ext) = split_ext(&name);
    let mut stem = stem.trim_end_matches([' ', '.']).to_owned();
    if stem.is_empty() {
        stem = FALLBACK_STEM.to_owned();
    }
    if WINDOWS_DEVICES
        .iter()
        .any(|d| d.eq_ignore_ascii_case(&stem))
    {
        stem.insert(0, '_');
    }
    join_bounded(&stem, ext, "")
}

/// Splits at the last dot when what follows is a short, plain extension.
fn split_ext(name: &str) -> (&str, &str) {
    match name.rfind('.') {
        Some(i) if i > 0 && name.len() - i <= MAX_EXT_BYTES + 1 => (&name[..i], &name[i..]),
        _ => (name, ""),
    }
}

/// `stem + suffix + ext`, the stem cut (at a character boundary) to fit the bound.
fn join_bounded(stem: &str, ext: &str, suffix: &str) -> String {
    let room = MAX_NAME_BYTES - ext.len() - suffix.len();
    let mut cut = stem.len().min(room);
    while !stem.is_char_boundary(cut) {
        cut -= 1;
    }
    let stem = stem[..cut].trim_end_matches([' ', '.']);
    let stem = if stem.is_empty() { FALLBACK_STEM } else { stem };
    format!("{stem}{suffix}{ext}")
}

fn key(name: &str) -> u64 {
    // SipHash with fixed keys: the same name hashes the same in every run.
    let mut h = DefaultHasher::new();
    name.to_lowercase().hash(&mut h);
    h.finish()
}

/// The names given out so far in one bundle; hands out safe, unique names.
#[derive(Debug, Default)]
pub struct NameSet {
    taken: HashSet<u64>,
    /// Next ` (n)` to try for a name that collided (only names that did).
    next_suffix: HashMap<u64, u32>,
}

impl NameSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Marks `name` as taken without handing it out (e.g. `manifest.csv`).
    pub fn reserve(&mut self, name: &EntryName) {
        self.taken.insert(key(name.as_str()));
    }

    /// A safe name for `original`, different (ignoring case) from every name given
    /// out or reserved before.
    pub fn assign(&mut self, original: &str) -> EntryName {
        let clean = sanitize(original);
        let base = key(&clean);
        if self.taken.insert(base) {
            return EntryName(clean);
        }
        let (stem, ext) = split_ext(&clean);
        let mut n = self.next_suffix.get(&base).copied().unwrap_or(2);
        loop {
            let candidate = join_bounded(stem, ext, &format!(" ({n})"));
            n += 1;
            if self.taken.insert(key(&candidate)) {
                self.next_suffix.insert(base, n);
                return EntryName(candidate);
            }
        }
    }

    /// How many names are taken.
    pub fn len(&self) -> usize {
        self.taken.len()
    }

    /// Whether no name is taken.
    pub fn is_empty(&self) -> bool {
        self.taken.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_paths_dots_controls_and_reserved() {
        assert_eq!(sanitize("beach.jpg"), "beach.jpg");
        assert_eq!(sanitize("../../etc/passwd"), "passwd");
        assert_eq!(sanitize("C:\\fakepath\\IMG 1.JPG"), "IMG 1.JPG");
        assert_eq!(sanitize("C:beach.jpg"), "C_beach.jpg");
        assert_eq!(sanitize(".."), "photo");
        assert_eq!(sanitize("photos/"), "photo");
        assert_eq!(sanitize(".hidden.jpg"), "hidden.jpg");
        assert_eq!(sanitize("a\u{0}b\nc\u{7f}.jpg"), "abc.jpg");
        assert_eq!(sanitize("evil\u{202E}gpj.exe"), "evilgpj.exe");
        assert_eq!(sanitize("what?*.jpg"), "what__.jpg");
        assert_eq!(sanitize("con.jpg"), "_con.jpg");
        assert_eq!(sanitize("trail. .jpg"), "trail.jpg");
        assert_eq!(sanitize(""), "photo");
        assert_eq!(sanitize(".jpg"), "jpg");
        assert_eq!(sanitize("日本の海.jpg"), "日本の海.jpg");
    }

    #[test]
    fn long_names_keep_their_extension_and_char_boundaries() {
        let long = format!("{}.jpeg", "é".repeat(300));
        let s = sanitize(&long);
        assert!(s.len() <= MAX_NAME_BYTES, "{}", s.len());
        assert!(s.ends_with("é.jpeg"));
        let mut set = NameSet::new();
        set.assign(&long);
        let second = set.assign(&long);
        assert!(second.as_str().ends_with(" (2).jpeg") && second.as_str().len() <= MAX_NAME_BYTES);
    }

    #[test]
    fn duplicates_get_numbered_case_insensitively() {
        let mut set = NameSet::new();
        set.reserve(&EntryName::parse("manifest.csv").unwrap());
        let got: Vec<String> = [
            "beach.jpg",
            "Beach.JPG",
            "beach (2).jpg",
            "x/beach.jpg",
            "MANIFEST.csv",
            "noext",
            "NoExt",
        ]
        .iter()
        .map(|n| set.assign(n).to_string())
        .collect();
        assert_eq!(
            got,
            [
                "beach.jpg",
                "Beach (2).JPG",
                "beach (2) (2).jpg",
                "beach (3).jpg",
                "MANIFEST (2).csv",
                "noext",
                "NoExt (2)"
            ]
        );
    }

    #[test]
    fn parse_refuses_what_sanitize_would_change() {
        assert!(EntryName::parse("manifest.csv").is_ok());
        for bad in ["a/b.jpg", "..", ".x", "a\nb", "nul", "x:y"] {
            assert!(
                matches!(EntryName::parse(bad), Err(BundleError::UnsafeName { .. })),
                "{bad:?}"
            );
        }
    }
}
