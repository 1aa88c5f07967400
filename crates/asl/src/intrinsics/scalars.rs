//! String, encoding, hashing, math intrinsics: Format, StringSplit, Base64Encode/Decode,
//! Hash, MathAdd, MathRandom — with the quirks Step Functions shows (Java-style object
//! printing in Format, half-up rounding in MathAdd).

use super::Func;
use crate::StatesError;
use base64::Engine as _;
use serde_json::Value;

/// The longest input States.Base64Encode/Base64Decode/Hash accept, in characters.
pub const MAX_INPUT_CHARS: usize = 10_000;

/// How many `{}` placeholders a raw Format template holds (`\{` does not count).
pub fn count_placeholders(raw: &str) -> usize {
    let mut count = 0;
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                chars.next();
            }
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                count += 1;
            }
            _ => {}
        }
    }
    count
}

/// States.Format: each `{}` takes the next argument; `\{`, `\}`, `\'` and `\\` are literal.
pub fn format(f: &Func, raw: &str, args: &[Value]) -> Result<Value, StatesError> {
    let wanted = count_placeholders(raw);
    if wanted != args.len() {
        return Err(f.fail(format!(
            "the template has {wanted} '{{}}' placeholder(s) but {} argument(s) were given",
            args.len()
        )));
    }
    let mut out = String::new();
    let mut next = args.iter();
    let mut chars = raw.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some(e @ ('{' | '}' | '\\' | '\'')) => out.push(e),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            },
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                if let Some(arg) = next.next() {
                    out.push_str(&java_text(arg));
                }
            }
            c => out.push(c),
        }
    }
    Ok(Value::String(out))
}

/// A value printed as the Java runtime behind Step Functions prints it: strings bare,
/// arrays `[a, b]`, objects `{k=v, k2=v2}`.
pub fn java_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(java_text).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{k}={}", java_text(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => other.to_string(),
    }
}

/// States.StringSplit: every character of the second argument is a delimiter; empty pieces
/// are dropped (`", , ,"` split on `","` gives `[" ", " "]`).
pub fn split(f: &Func, s: &Value, delimiters: &Value) -> Result<Value, StatesError> {
    let s = f.string(s, 1)?;
    let delimiters: Vec<char> = f.string(delimiters, 2)?.chars().collect();
    Ok(Value::Array(
        s.split(|c| delimiters.contains(&c))
            .filter(|p| !p.is_empty())
            .map(|p| Value::String(p.into()))
            .collect(),
    ))
}

fn limited<'v>(f: &Func, v: &'v Value) -> Result<&'v str, StatesError> {
    let s = f.string(v, 1)?;
    let n = s.chars().count();
    if n > MAX_INPUT_CHARS {
        return Err(f.fail(format!(
            "the input has {n} characters; at most {MAX_INPUT_CHARS} are allowed"
        )));
    }
    Ok(s)
}

pub fn base64_encode(f: &Func, v: &Value) -> Result<Value, StatesError> {
    Ok(Value::String(
        base64::engine::general_purpose::STANDARD.encode(limited(f, v)?),
    ))
}

pub fn base64_decode(f: &Func, v: &Value) -> Result<Value, StatesError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(limited(f, v)?)
        .map_err(|e| f.fail(format!("the input is not valid base64: {e}")))?;
    String::from_utf8(bytes)
        .map(Value::String)
        .map_err(|_| f.fail("the decoded bytes are not UTF-8 text"))
}

/// States.Hash with MD5, SHA-1, SHA-256, SHA-384 or SHA-512, as lowercase hex.
pub fn hash(f: &Func, data: &Value, algorithm: &Value) -> Result<Value, StatesError> {
    use sha2::Digest;
    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
    let data = limited(f, data)?.as_bytes();
    let digest = match f.string(algorithm, 2)? {
        "MD5" => hex(&md5::Md5::digest(data)),
        "SHA-1" => hex(&sha1::Sha1::digest(data)),
        "SHA-256" => hex(&sha2::Sha256::digest(data)),
        "SHA-384" => hex(&sha2::Sha384::digest(data)),
        "SHA-512" => hex(&sha2::Sha512::digest(data)),
        other => {
            return Err(f.fail(format!(
                "unsupported algorithm '{other}'; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512"
            )));
        }
    };
    Ok(Value::String(digest))
}

/// States.MathAdd: each operand is first rounded half-up toward +infinity (0.5 → 1,
/// -0.5 → 0, -2.5 → -2), then the two are added.
pub fn add(f: &Func, a: &Value, b: &Value) -> Result<Value, StatesError> {
    let round = |v: &Value, position: usize| -> Result<i64, StatesError> {
        if let Some(i) = v.as_i64() {
            return Ok(i);
        }
        let x = f.number(v, position)?;
        let r = (x + 0.5).floor();
        if r.abs() > 9.0e15 {
            return Err(f.fail(format!("argument {position} ({x}) is too large")));
        }
        Ok(r as i64)
    };
    let (a, b) = (round(a, 1)?, round(b, 2)?);
    a.checked_add(b)
        .map(Value::from)
        .ok_or_else(|| f.fail("the sum overflows"))
}

/// States.MathRandom(start, end[, seed]): an integer in `[start, end)`; a seed makes it repeatable.
pub fn random(f: &Func, args: &[Value]) -> Result<Value, StatesError> {
    use rand::{Rng, SeedableRng};
    let (start, end) = (f.integer(&args[0], 1)?, f.integer(&args[1], 2)?);
    if end <= start {
        return Err(f.fail(format!(
            "the end ({end}) must be greater than the start ({start})"
        )));
    }
    let n = match args.get(2) {
        Some(seed) => {
            rand::rngs::StdRng::seed_from_u64(f.integer(seed, 3)? as u64).random_range(start..end)
        }
        None => rand::rng().random_range(start..end),
    };
    Ok(Value::from(n))
}
