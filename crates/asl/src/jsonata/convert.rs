//! Moves values between serde_json and jsonata-core's `JValue`. JSONata numbers are
//! doubles; whole ones come back as JSON integers (`3`, not `3.0`), as AWS prints them.

use jsonata_core::value::JValue;
use serde_json::Value;

/// A JSON value as JSONata sees it.
pub fn to_jvalue(v: &Value) -> JValue {
    JValue::from(v.clone())
}

/// A JSONata result as JSON; `None` when it is undefined (or a function, which JSON cannot hold).
pub fn to_json(v: &JValue) -> Option<Value> {
    Some(match v {
        JValue::Undefined | JValue::Lambda(_) | JValue::Builtin { .. } | JValue::Regex { .. } => {
            return None;
        }
        JValue::Null => Value::Null,
        JValue::Bool(b) => Value::Bool(*b),
        JValue::Number(n) => number(*n),
        JValue::String(s) => Value::String(s.to_string()),
        JValue::Array(items) => Value::Array(items.iter().filter_map(to_json).collect()),
        JValue::Object(map) => Value::Object(
            map.iter()
                .filter_map(|(k, v)| Some((k.clone(), to_json(v)?)))
                .collect(),
        ),
    })
}

/// A double as JSON: whole numbers within the exact range become integers.
pub fn number(n: f64) -> Value {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    if n.fract() == 0.0 && n.abs() < EXACT {
        Value::from(n as i64)
    } else {
        serde_json::Number::from_f64(n)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn round_trip_keeps_integers_and_drops_undefined() {
        let v = json!({"a": [1, 2.5, "x", null, true], "b": {"c": 3}});
        assert_eq!(to_json(&to_jvalue(&v)), Some(v));
        assert_eq!(to_json(&JValue::Undefined), None);
        assert_eq!(number(-0.0), json!(0));
        assert_eq!(number(1e300), json!(1e300));
    }
}
