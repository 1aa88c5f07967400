//! The functions Step Functions adds to JSONata: `$partition`, `$range`, `$hash`,
//! `$random` (with an optional seed), `$uuid` and `$parse`.

use super::convert;
use jsonata_core::evaluator::{Evaluator, EvaluatorError};
use jsonata_core::value::JValue;

/// The most items `$range` may produce (as for States.ArrayRange).
const MAX_RANGE_ITEMS: f64 = 1000.0;

/// Registers the AWS functions on an evaluator.
pub fn register(evaluator: &mut Evaluator) -> Result<(), String> {
    let e = |r: Result<(), EvaluatorError>| r.map_err(|e| e.to_string());
    e(evaluator.register_fn("partition", partition))?;
    e(evaluator.register_fn("range", range))?;
    e(evaluator.register_fn("hash", hash))?;
    e(evaluator.register_fn("uuid", |_: &[JValue]| {
        Ok(JValue::from(uuid::Uuid::new_v4().to_string()))
    }))?;
    e(evaluator.register_fn("parse", parse))?;
    e(evaluator.register_fn_override("random", random))?;
    Ok(())
}

fn fail(function: &str, why: impl std::fmt::Display) -> EvaluatorError {
    EvaluatorError::EvaluationError(format!("${function}: {why}"))
}

fn integer(function: &str, args: &[JValue], i: usize) -> Result<i64, EvaluatorError> {
    match args.get(i) {
        Some(JValue::Number(n)) if n.fract() == 0.0 && n.abs() < 9.0e15 => Ok(*n as i64),
        Some(other) => Err(fail(
            function,
            format!("argument {} must be an integer, not {other:?}", i + 1),
        )),
        None => Err(fail(function, format!("argument {} is missing", i + 1))),
    }
}

fn string<'a>(function: &str, args: &'a [JValue], i: usize) -> Result<&'a str, EvaluatorError> {
    match args.get(i) {
        Some(JValue::String(s)) => Ok(s),
        _ => Err(fail(
            function,
            format!("argument {} must be a string", i + 1),
        )),
    }
}

/// `$partition(array, size)`: chunks of `size` items (an array, never unwrapped).
fn partition(args: &[JValue]) -> Result<JValue, EvaluatorError> {
    let items: Vec<JValue> = match args.first() {
        Some(JValue::Array(a)) => a.iter().cloned().collect(),
        Some(JValue::Undefined) | None => {
            return Err(fail("partition", "argument 1 must be an array"));
        }
        Some(single) => vec![single.clone()],
    };
    let size = integer("partition", args, 1)?;
    if size <= 0 {
        return Err(fail(
            "partition",
            format!("the chunk size must be positive, not {size}"),
        ));
    }
    Ok(JValue::array(
        items
            .chunks(size as usize)
            .map(|c| JValue::array(c.to_vec()))
            .collect(),
    ))
}

/// `$range(start, end, step)`: from start to end inclusive; a sequence, so one item unwraps.
fn range(args: &[JValue]) -> Result<JValue, EvaluatorError> {
    let (start, end, step) = (
        integer("range", args, 0)?,
        integer("range", args, 1)?,
        integer("range", args, 2)?,
    );
    if step == 0 {
        return Err(fail("range", "the step must not be 0"));
    }
    let count = if (step > 0 && start > end) || (step < 0 && start < end) {
        0.0
    } else {
        ((end - start) / step + 1) as f64
    };
    if count > MAX_RANGE_ITEMS {
        return Err(fail(
            "range",
            format!("the range would hold {count} items; at most {MAX_RANGE_ITEMS} are allowed"),
        ));
    }
    Ok(JValue::sequence(
        (0..count as i64)
            .map(|i| JValue::from((start + i * step) as f64))
            .collect(),
    ))
}

/// `$hash(text, algorithm)` with MD5, SHA-1, SHA-256, SHA-384 or SHA-512, lowercase hex.
fn hash(args: &[JValue]) -> Result<JValue, EvaluatorError> {
    use sha2::Digest;
    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
    let data = string("hash", args, 0)?.as_bytes();
    let digest = match string("hash", args, 1)? {
        "MD5" => hex(&md5::Md5::digest(data)),
        "SHA-1" => hex(&sha1::Sha1::digest(data)),
        "SHA-256" => hex(&sha2::Sha256::digest(data)),
        "SHA-384" => hex(&sha2::Sha384::digest(data)),
        "SHA-512" => hex(&sha2::Sha512::digest(data)),
        other => {
            return Err(fail(
                "hash",
                format!(
                    "unsupported algorithm '{other}'; use MD5, SHA-1, SHA-256, SHA-384 or SHA-512"
                ),
            ));
        }
    };
    Ok(JValue::from(digest))
}

/// `$random([seed])`: a number in [0, 1); a seed makes it repeatable.
fn random(args: &[JValue]) -> Result<JValue, EvaluatorError> {
    use rand::{Rng, SeedableRng};
    let n: f64 = match args.first() {
        None | Some(JValue::Undefined) => rand::rng().random(),
        Some(_) => rand::rngs::StdRng::seed_from_u64(integer("random", args, 0)? as u64).random(),
    };
    Ok(JValue::from(n))
}

/// `$parse(text)`: the JSON value a string holds.
fn parse(args: &[JValue]) -> Result<JValue, EvaluatorError> {
    let text = string("parse", args, 0)?;
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| fail("parse", format!("the string is not valid JSON: {e}")))?;
    Ok(convert::to_jvalue(&value))
}
