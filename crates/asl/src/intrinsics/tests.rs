//! Every intrinsic function, its quirks and its argument checks.

use super::*;
use serde_json::{Map, Value, json};

fn eval_with(expr: &str, input: Value) -> Result<Value, StatesError> {
    let mut variables = Map::new();
    variables.insert("v".into(), json!({"k": "var"}));
    let context = json!({"Execution": {"Name": "exec-1"}});
    evaluate(
        expr,
        &Scope {
            input: &input,
            context: &context,
            variables: &variables,
        },
    )
}

fn ok(expr: &str) -> Value {
    eval_with(expr, json!({})).unwrap_or_else(|e| panic!("{expr}: {e}"))
}

fn fails(expr: &str) -> String {
    let err = eval_with(expr, json!({"s": "text", "n": 1, "a": [1]})).unwrap_err();
    assert_eq!(err.error, FAILURE, "{expr}");
    err.cause
}

#[test]
fn format_prints_like_java() {
    let input = json!({"o": {"Arg1": 1, "Arg2": []}, "l": ["a", 1.5, null], "s": "x"});
    let out = eval_with(
        "States.Format('{} and {} and {} {}', $.o, $.l, $.s, 1.1)",
        input,
    )
    .unwrap();
    assert_eq!(out, json!("{Arg1=1, Arg2=[]} and [a, 1.5, null] and x 1.1"));
    assert_eq!(
        ok("States.Format('null={} bool={}', null, true)"),
        json!("null=null bool=true")
    );
    assert_eq!(
        ok(r"States.Format('\{\} {} it\'s \\', 'x')"),
        json!(r"{} x it's \")
    );
    assert_eq!(
        ok("States.Format('{}', $$.Execution.Name)"),
        json!("exec-1")
    );
    assert_eq!(ok("States.Format('{}', $v.k)"), json!("var"));
    assert!(fails("States.Format('{} {}', 1)").contains("placeholder"));
}

#[test]
fn json_conversions() {
    assert_eq!(
        ok("States.StringToJson('{\"a\": [1, 2]}')"),
        json!({"a": [1, 2]})
    );
    assert_eq!(ok("States.StringToJson('null')"), json!(null));
    assert_eq!(
        ok("States.JsonToString(States.Array(1, 'a'))"),
        json!("[1,\"a\"]")
    );
    let out = eval_with(
        "States.JsonToString($.o)",
        json!({"o": {"Arg1": 1, "Arg2": []}}),
    )
    .unwrap();
    assert_eq!(out, json!("{\"Arg1\":1,\"Arg2\":[]}"));
    assert!(fails("States.StringToJson('{nope')").contains("not valid JSON"));
    assert!(fails("States.StringToJson($.n)").contains("must be a string"));
}

#[test]
fn arrays() {
    assert_eq!(ok("States.Array()"), json!([]));
    assert_eq!(
        ok("States.Array(1, 'two', States.Array(true))"),
        json!([1, "two", [true]])
    );
    assert_eq!(
        ok("States.ArrayPartition(States.Array(0, 1, 2, 3, 4), 2)"),
        json!([[0, 1], [2, 3], [4]])
    );
    assert_eq!(ok("States.ArrayPartition(States.Array(), 3)"), json!([]));
    assert!(fails("States.ArrayPartition($.a, 0)").contains("positive"));
    assert_eq!(
        ok("States.ArrayContains(States.Array(1, 2), 2.0)"),
        json!(true)
    );
    assert_eq!(
        ok("States.ArrayContains(States.Array(), States.Array())"),
        json!(false)
    );
    assert_eq!(ok("States.ArrayRange(0, 9, 3)"), json!([0, 3, 6, 9]));
    assert_eq!(ok("States.ArrayRange(5, 1, -2)"), json!([5, 3, 1]));
    assert_eq!(ok("States.ArrayRange(5, 1, 1)"), json!([]));
    assert_eq!(
        ok("States.ArrayRange(1, 1000, 1)")
            .as_array()
            .unwrap()
            .len(),
        1000
    );
    assert!(fails("States.ArrayRange(0, 1000, 1)").contains("at most 1000"));
    assert!(fails("States.ArrayRange(0, 3, 0)").contains("step"));
    assert_eq!(
        ok("States.ArrayGetItem(States.Array(1, 2, 3), 1)"),
        json!(2)
    );
    assert!(fails("States.ArrayGetItem($.a, 1)").contains("out of bounds"));
    assert!(fails("States.ArrayGetItem($.a, -1)").contains("out of bounds"));
    assert_eq!(ok("States.ArrayLength(States.Array(1, 2, 3))"), json!(3));
    assert_eq!(
        ok("States.ArrayUnique(States.Array(1, 2, 1, 'a', 'a', 1.0))"),
        json!([1, 2, "a"])
    );
    assert!(fails("States.ArrayLength($.s)").contains("must be an array"));
}

#[test]
fn merge_is_shallow_only() {
    let input = json!({"a": {"x": {"p": 1}, "b": 2}, "b": {"x": {"q": 1}, "c": 3}});
    let out = eval_with("States.JsonMerge($.a, $.b, false)", input.clone()).unwrap();
    assert_eq!(out, json!({"x": {"q": 1}, "b": 2, "c": 3}));
    assert!(
        eval_with("States.JsonMerge($.a, $.b, true)", input)
            .unwrap_err()
            .cause
            .contains("shallow")
    );
}

#[test]
fn encodings_and_hashes() {
    assert_eq!(
        ok("States.Base64Encode('Data to encode')"),
        json!("RGF0YSB0byBlbmNvZGU=")
    );
    assert_eq!(
        ok("States.Base64Decode('RGF0YSB0byBlbmNvZGU=')"),
        json!("Data to encode")
    );
    assert!(fails("States.Base64Decode('***')").contains("base64"));
    assert_eq!(
        ok("States.Hash('input data', 'MD5')"),
        json!("812f45842bc6d66ee14572ce20db8e86")
    );
    assert_eq!(
        ok("States.Hash('input data', 'SHA-1')"),
        json!("aaff4a450a104cd177d28d18d74485e8cae074b7")
    );
    assert_eq!(
        ok("States.Hash('abc', 'SHA-256')"),
        json!("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    );
    assert_eq!(ok("States.Hash('', 'SHA-384')").as_str().unwrap().len(), 96);
    assert_eq!(
        ok("States.Hash('', 'SHA-512')").as_str().unwrap().len(),
        128
    );
    assert!(fails("States.Hash('x', 'CRC32')").contains("unsupported algorithm"));
    let long = "a".repeat(10_001);
    assert!(
        eval_with("States.Base64Encode($.s)", json!({ "s": long }))
            .unwrap_err()
            .cause
            .contains("at most 10000")
    );
}

#[test]
fn math_rounds_half_up_before_adding() {
    for (a, b, sum) in [
        (-9.0, 3.0, -6),
        (1.49, 1.5, 3),
        (-0.5, 0.0, 0),
        (-2.5, 0.0, -2),
        (-1.5, -1.51, -3),
        (1.5, 0.0, 2),
        (-1.49, 0.0, -1),
    ] {
        let out = eval_with("States.MathAdd($.a, $.b)", json!({"a": a, "b": b})).unwrap();
        assert_eq!(out, json!(sum), "{a} + {b}");
    }
    assert_eq!(ok("States.MathAdd(3, -1)"), json!(2));
    assert!(fails("States.MathAdd($.s, 1)").contains("must be a number"));
    let r = ok("States.MathRandom(1, 5)").as_i64().unwrap();
    assert!((1..5).contains(&r));
    assert_eq!(
        ok("States.MathRandom(0, 1000, 7)"),
        ok("States.MathRandom(0, 1000, 7)")
    );
    assert!(fails("States.MathRandom(5, 5)").contains("greater"));
}

#[test]
fn strings_and_uuid() {
    assert_eq!(ok("States.StringSplit(', , ,', ',')"), json!([" ", " "]));
    assert_eq!(
        ok("States.StringSplit('This.is+a,test=string', '.+,=')"),
        json!(["This", "is", "a", "test", "string"])
    );
    let id = ok("States.UUID()");
    assert!(uuid::Uuid::parse_str(id.as_str().unwrap()).is_ok());
    assert_ne!(id, ok("States.UUID()"));
}

#[test]
fn missing_path_arguments_and_bad_calls() {
    let err = eval_with("States.Format('{}', $.missing)", json!({"a": 1})).unwrap_err();
    assert_eq!(
        err.cause,
        "The JsonPath argument for the field '$.missing' could not be found in the input '{\"a\":1}'"
    );
    assert!(fails("States.Nope()").contains("not an intrinsic function"));
    assert!(fails("States.ArrayLength()").contains("exactly 1"));
    assert!(fails("States.Array(").contains("Invalid intrinsic"));
}

#[test]
fn static_validation() {
    assert!(validate("States.Format('{} {}', $.a, States.UUID())").is_ok());
    assert!(validate("States.MathRandom(1, 2, 3)").is_ok());
    assert!(
        validate("States.MathRandom(1)")
            .unwrap_err()
            .contains("2 to 3")
    );
    assert!(validate("States.Array(1, $.a[)").is_err());
    assert!(
        validate("States.Format('{}')")
            .unwrap_err()
            .contains("placeholder")
    );
    assert!(
        validate("States.Unknown()")
            .unwrap_err()
            .contains("States.Unknown")
    );
    assert!(
        validate("States.Array(States.UUID(1))")
            .unwrap_err()
            .contains("exactly 0")
    );
}
