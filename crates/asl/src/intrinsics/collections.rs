//! Array and JSON intrinsics: ArrayPartition, ArrayRange, ArrayGetItem, ArrayUnique,
//! JsonMerge, StringToJson, and the value equality ArrayContains/ArrayUnique use.

use super::Func;
use crate::StatesError;
use serde_json::Value;

/// The most items States.ArrayRange may produce.
pub const MAX_RANGE_ITEMS: usize = 1000;

/// JSON equality with numbers compared by value, so `1` and `1.0` are the same item.
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => a == b,
    }
}

pub fn string_to_json(f: &Func, s: &Value) -> Result<Value, StatesError> {
    let text = f.string(s, 1)?;
    serde_json::from_str(text.trim())
        .map_err(|e| f.fail(format!("the string is not valid JSON: {e}")))
}

pub fn partition(f: &Func, array: &Value, size: &Value) -> Result<Value, StatesError> {
    let items = f.array(array, 1)?;
    let size = f.integer(size, 2)?;
    if size <= 0 {
        return Err(f.fail(format!(
            "the chunk size must be a positive integer, but was {size}"
        )));
    }
    Ok(Value::Array(
        items
            .chunks(size as usize)
            .map(|c| Value::Array(c.to_vec()))
            .collect(),
    ))
}

pub fn range(f: &Func, start: &Value, end: &Value, step: &Value) -> Result<Value, StatesError> {
    let (start, end, step) = (
        f.integer(start, 1)?,
        f.integer(end, 2)?,
        f.integer(step, 3)?,
    );
    if step == 0 {
        return Err(f.fail("the step must not be 0"));
    }
    let count = if (step > 0 && start > end) || (step < 0 && start < end) {
        0
    } else {
        ((end as i128 - start as i128) / step as i128 + 1) as u128
    };
    if count > MAX_RANGE_ITEMS as u128 {
        return Err(f.fail(format!(
            "the range would hold {count} items; at most {MAX_RANGE_ITEMS} are allowed"
        )));
    }
    Ok(Value::Array(
        (0..count as i64)
            .map(|i| Value::from(start + i * step))
            .collect(),
    ))
}

pub fn get_item(f: &Func, array: &Value, index: &Value) -> Result<Value, StatesError> {
    let items = f.array(array, 1)?;
    let index = f.integer(index, 2)?;
    usize::try_from(index)
        .ok()
        .and_then(|i| items.get(i))
        .cloned()
        .ok_or_else(|| {
            f.fail(format!(
                "index {index} is out of bounds for an array of {} items",
                items.len()
            ))
        })
}

pub fn unique(f: &Func, array: &Value) -> Result<Value, StatesError> {
    let mut out: Vec<Value> = Vec::new();
    for item in f.array(array, 1)? {
        if !out.iter().any(|seen| same(seen, item)) {
            out.push(item.clone());
        }
    }
    Ok(Value::Array(out))
}

/// Shallow merge: members of the second object replace those of the first. Step Functions
/// only supports the shallow mode, so the third argument must be `false`.
pub fn merge(f: &Func, a: &Value, b: &Value, deep: &Value) -> Result<Value, StatesError> {
    let Value::Object(first) = a else {
        return Err(f.wrong_type(1, "an object", a));
    };
    let Value::Object(second) = b else {
        return Err(f.wrong_type(2, "an object", b));
    };
    match deep {
        Value::Bool(false) => {}
        Value::Bool(true) => {
            return Err(
                f.fail("only shallow merging is supported: the third argument must be false")
            );
        }
        other => return Err(f.wrong_type(3, "a boolean", other)),
    }
    let mut out = first.clone();
    for (k, v) in second {
        out.insert(k.clone(), v.clone());
    }
    Ok(Value::Object(out))
}
