//! Behaviour of the public path API: selection, ResultPath insertion, templates, validation.

use super::*;
use serde_json::{Value, json};

fn with_scope<T>(input: &Value, f: impl FnOnce(&Scope) -> T) -> T {
    let context = json!({"Execution": {"Id": "arn:exec", "Input": {"a": 1}}, "Map": {"Item": {"Index": 2, "Value": "v"}}});
    let mut variables = Map::new();
    variables.insert("answer".into(), json!({"x": [10, 20]}));
    variables.insert("n".into(), json!(3));
    f(&Scope {
        input,
        context: &context,
        variables: &variables,
    })
}

fn sel(path: &str, input: &Value) -> Result<Value, StatesError> {
    with_scope(input, |s| select(path, s))
}

#[test]
fn definite_paths_return_the_node() {
    let input =
        json!({"a": {"b": [1, 2, 3]}, "delivery-partner": "UQS", "items": [{"k": 0}, {"k": 1}]});
    assert_eq!(sel("$", &input).unwrap(), input);
    assert_eq!(sel("$.a.b[0]", &input).unwrap(), json!(1));
    assert_eq!(sel("$.a.b[-1]", &input).unwrap(), json!(3));
    assert_eq!(sel("$['a']['b'][1]", &input).unwrap(), json!(2));
    assert_eq!(sel("$.delivery-partner", &input).unwrap(), json!("UQS"));
    assert_eq!(sel("$.a.b.length()", &input).unwrap(), json!(3));
    assert_eq!(sel("$.items[1]", &input).unwrap(), json!({"k": 1}));
}

#[test]
fn context_and_variables() {
    let input = json!({});
    assert_eq!(sel("$$.Execution.Id", &input).unwrap(), json!("arn:exec"));
    assert_eq!(sel("$$.Map.Item.Value", &input).unwrap(), json!("v"));
    assert_eq!(sel("$answer.x[1]", &input).unwrap(), json!(20));
    assert_eq!(sel("$n", &input).unwrap(), json!(3));
    let err = sel("$nope", &input).unwrap_err();
    assert_eq!(err.error, "States.Runtime");
    assert!(err.cause.contains("nope"), "{}", err.cause);
}

#[test]
fn misses_use_aws_wording() {
    let input = json!({"a": {"b": 1}, "arr": [1]});
    let err = sel("$.NoSuchInputPath", &input).unwrap_err();
    assert_eq!(
        err,
        StatesError::runtime(
            "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']"
        )
    );
    assert_eq!(
        sel("$.a.c", &input).unwrap_err().cause,
        "Invalid path '$.a.c' : No results for path: $['a']['c']"
    );
    assert_eq!(
        sel("$.x.y", &input).unwrap_err().cause,
        "Invalid path '$.x.y' : Missing property in path $['x']"
    );
    assert_eq!(
        sel("$.arr[5]", &input).unwrap_err().cause,
        "Invalid path '$.arr[5]' : No results for path: $['arr'][5]"
    );
    assert!(
        sel("$.a.b.c", &input)
            .unwrap_err()
            .cause
            .contains("Expected to find an object with property ['c']")
    );
}

#[test]
fn indefinite_paths_return_arrays() {
    let input = json!({"items": [{"v": 1, "t": "a"}, {"v": 2}, {"v": 3, "t": "c"}], "o": {"x": 1, "y": {"x": 2}}});
    assert_eq!(sel("$.items[*].v", &input).unwrap(), json!([1, 2, 3]));
    assert_eq!(sel("$.items[*].t", &input).unwrap(), json!(["a", "c"]));
    assert_eq!(sel("$.items[:2].v", &input).unwrap(), json!([1, 2]));
    assert_eq!(sel("$.items[-2:].v", &input).unwrap(), json!([2, 3]));
    assert_eq!(sel("$.items[::2].v", &input).unwrap(), json!([1, 3]));
    assert_eq!(sel("$.items[0,2].v", &input).unwrap(), json!([1, 3]));
    assert_eq!(sel("$..x", &input).unwrap(), json!([1, 2]));
    assert_eq!(sel("$.o.*", &input).unwrap(), json!([1, {"x": 2}]));
    assert_eq!(
        sel("$.items[?(@.v >= 2)].v", &input).unwrap(),
        json!([2, 3])
    );
    assert_eq!(sel("$.items[*].v.length()", &input).unwrap(), json!(3));
    assert_eq!(sel("$.items[*].v.sum()", &input).unwrap(), json!(6.0));
    // Missing input under an indefinite path is an empty list, not an error (AWS does the same).
    let empty = json!({});
    for p in ["$.items[*]", "$.items[:1].itemValue", "$.items[:1]", "$[*]"] {
        assert_eq!(sel(p, &empty).unwrap(), json!([]), "{p}");
    }
}

#[test]
fn quoted_names_keep_backslashes() {
    let input = json!({"Test\\\"\"Name\"": "Value\"\\"});
    assert_eq!(
        sel(r#"$['Test\""Name"']"#, &input).unwrap(),
        json!("Value\"\\")
    );
}

#[test]
fn optional_selection() {
    let input = json!({"a": 1});
    with_scope(&input, |s| {
        assert_eq!(select_optional("$.a", s).unwrap(), Some(json!(1)));
        assert_eq!(select_optional("$.b", s).unwrap(), None);
        assert!(select_optional("$ghost", s).is_err());
    });
}

#[test]
fn result_path_insertion() {
    let input = json!({"a": {"keep": true}, "arr": [1, 2]});
    assert_eq!(insert(input.clone(), "$", json!(5)).unwrap(), json!(5));
    assert_eq!(
        insert(input.clone(), "$.r", json!(5)).unwrap(),
        json!({"a": {"keep": true}, "arr": [1, 2], "r": 5})
    );
    assert_eq!(
        insert(input.clone(), "$.a.b.c", json!(5)).unwrap(),
        json!({"a": {"keep": true, "b": {"c": 5}}, "arr": [1, 2]})
    );
    assert_eq!(
        insert(input.clone(), "$.a", json!([])).unwrap(),
        json!({"a": [], "arr": [1, 2]})
    );
    assert_eq!(
        insert(input.clone(), "$.arr[1]", json!("x")).unwrap(),
        json!({"a": {"keep": true}, "arr": [1, "x"]})
    );
    assert!(insert(input.clone(), "$.arr[9]", json!(0)).is_err());
    assert!(insert(input.clone(), "$.a.keep.x", json!(0)).is_err());
    assert!(insert(input.clone(), "$.arr[*]", json!(0)).is_err());
    assert!(insert(input.clone(), "$$.Execution", json!(0)).is_err());
    assert!(insert(json!("scalar"), "$.x", json!(0)).is_err());
}

#[test]
fn templates_render_paths_intrinsics_and_nesting() {
    let input = json!({"name": "x", "list": [1, 2]});
    let template = json!({
        "const": "$.not.a.path",
        "n.$": "$.name",
        "ctx.$": "$$.Map.Item.Index",
        "var.$": "$n",
        "fmt.$": "States.Format('hi {}', $.name)",
        "nested": {"inner.$": "$.list[0]", "arr": [{"deep.$": "$.list.length()"}, 7]}
    });
    let out = with_scope(&input, |s| render_template(&template, s)).unwrap();
    assert_eq!(
        out,
        json!({"const": "$.not.a.path", "n": "x", "ctx": 2, "var": 3, "fmt": "hi x", "nested": {"inner": 1, "arr": [{"deep": 2}, 7]}})
    );
}

#[test]
fn template_misses_name_the_field() {
    let input = json!({"a": 1});
    let err = with_scope(&input, |s| render_template(&json!({"x.$": "$.b"}), s)).unwrap_err();
    assert_eq!(
        err,
        StatesError::runtime(
            "The JSONPath '$.b' specified for the field 'x.$' could not be found in the input '{\"a\":1}'"
        )
    );
    let err = with_scope(&input, |s| render_template(&json!({"x.$": 5}), s)).unwrap_err();
    assert!(err.cause.contains("'x.$'"), "{}", err.cause);
}

#[test]
fn validation_messages() {
    assert!(validate("$.a.b[0]", PathKind::Reference).is_ok());
    assert!(validate("$$.Execution.Id", PathKind::Reference).is_ok());
    assert!(validate("$.a[*]", PathKind::Path).is_ok());
    let e = validate("$.a[*]", PathKind::Reference).unwrap_err();
    assert!(e.contains("not a reference path"), "{e}");
    let e = validate("a.b", PathKind::Path).unwrap_err();
    assert!(e.contains("must start with '$'"), "{e}");
    assert!(validate("@.a", PathKind::Path).is_err());
    assert!(validate_result_path("$.x").is_ok());
    assert!(validate_result_path("$$.x").is_err());
    assert!(validate_result_path("$v.x").is_err());

    let problems = validate_template(&json!({
        "ok.$": "$.a", "bad.$": "$.a[", "num.$": 3, "f.$": "States.Nope(1)",
        "deep": {"x.$": "States.Format('{} {}', 1)"}, "dup": 1, "dup.$": "$.a"
    }))
    .unwrap_err();
    assert_eq!(problems.len(), 5, "{problems:#?}");
    assert!(problems.iter().any(|p| p.starts_with("field 'bad.$'")));
    assert!(problems.iter().any(|p| p.starts_with("field 'num.$'")));
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("field 'f.$'") && p.contains("States.Nope"))
    );
    assert!(
        problems
            .iter()
            .any(|p| p.starts_with("field 'deep.x.$'") && p.contains("placeholder"))
    );
    assert!(problems.iter().any(|p| p.starts_with("field 'dup.$'")));
    assert!(validate_template(&json!({"a": [{"b.$": "$.c"}], "c": "$.d["})).is_ok());
}
