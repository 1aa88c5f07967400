//! JSONata templates as Step Functions evaluates them.

use super::*;
use serde_json::json;

fn render_with(template: Value, input: Value) -> Result<Value, StatesError> {
    let states = json!({"input": input, "context": {"Execution": {"Name": "e1"}}});
    let mut variables = Map::new();
    variables.insert("varname".into(), json!({"varfield": "vf"}));
    variables.insert("n".into(), json!(2));
    render_field(
        "Output",
        &template,
        &JsonataScope {
            states: &states,
            variables: &variables,
        },
    )
}

#[test]
fn templates_evaluate_only_expression_strings() {
    let out = render_with(
        json!({"a": "{% $states.input.x + $n %}", "b": "plain {% text", "c": ["{% $varname.varfield %}", 1], "d": {"e": "{% $states.context.Execution.Name %}"}}),
        json!({"x": 40}),
    )
    .unwrap();
    assert_eq!(
        out,
        json!({"a": 42, "b": "plain {% text", "c": ["vf", 1], "d": {"e": "e1"}})
    );
    assert_eq!(
        render_with(json!("{% [] %}"), json!({})).unwrap(),
        json!([])
    );
    assert_eq!(
        render_with(json!("{% {'foo': 'bar'} %}"), json!({})).unwrap(),
        json!({"foo": "bar"})
    );
    assert_eq!(
        render_with(json!("{% $number(\"2\") %}"), json!({})).unwrap(),
        json!(2)
    );
    assert_eq!(
        render_with(json!("{% 1.5 * 2 %}"), json!({})).unwrap(),
        json!(3)
    );
    assert_eq!(
        render_with(
            json!("{% $contains('hello$world', /^hello\\$/) %}"),
            json!({})
        )
        .unwrap(),
        json!(true)
    );
}

#[test]
fn undefined_results_fail_with_aws_wording() {
    let err = render_with(json!({"result": "{% $doesNotExist %}"}), json!({})).unwrap_err();
    assert_eq!(err.error, QUERY_ERROR);
    assert_eq!(
        err.cause,
        "The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined)."
    );
    let err = render_with(json!("{% $states.input.x.( %}"), json!({})).unwrap_err();
    assert_eq!(err.error, QUERY_ERROR);
}

#[test]
fn aws_functions() {
    let input = json!({"a": [0, 1, 2], "s": "[1, \"x\"]"});
    assert_eq!(
        render_with(json!("{% $partition($states.input.a, 2) %}"), input.clone()).unwrap(),
        json!([[0, 1], [2]])
    );
    assert_eq!(
        render_with(json!("{% $partition([0], 2) %}"), input.clone()).unwrap(),
        json!([[0]])
    );
    assert_eq!(
        render_with(json!("{% $range(0, 9, 3) %}"), input.clone()).unwrap(),
        json!([0, 3, 6, 9])
    );
    assert_eq!(
        render_with(json!("{% $range(1, 9, 9) %}"), input.clone()).unwrap(),
        json!(1)
    );
    assert_eq!(
        render_with(json!("{% $parse($states.input.s) %}"), input.clone()).unwrap(),
        json!([1, "x"])
    );
    assert_eq!(
        render_with(json!("{% $hash('input data', 'MD5') %}"), input.clone()).unwrap(),
        json!("812f45842bc6d66ee14572ce20db8e86")
    );
    let r = render_with(json!("{% $random() %}"), input.clone())
        .unwrap()
        .as_f64()
        .unwrap();
    assert!((0.0..1.0).contains(&r));
    assert_eq!(
        render_with(json!("{% $random(3) %}"), input.clone()).unwrap(),
        render_with(json!("{% $random(3) %}"), input.clone()).unwrap()
    );
    assert_eq!(
        render_with(json!("{% $length($uuid()) %}"), input).unwrap(),
        json!(36)
    );
}

#[test]
fn evaluate_expression_reports_undefined_as_none() {
    let states = json!({"input": {"x": true}});
    let vars = Map::new();
    let scope = JsonataScope {
        states: &states,
        variables: &vars,
    };
    assert_eq!(
        evaluate_expression("$states.input.x", &scope).unwrap(),
        Some(json!(true))
    );
    assert_eq!(
        evaluate_expression("$states.input.y", &scope).unwrap(),
        None
    );
}

#[test]
fn validation_names_the_field() {
    assert!(
        validate(&json!({"a": "{% $x + 1 %}", "b": ["{% $states.input %}"], "c": "text"})).is_ok()
    );
    let problems =
        validate(&json!({"a": {"b": "{% $x + %}"}, "c": "{%  %}", "d": "{% open"})).unwrap_err();
    assert_eq!(problems.len(), 3, "{problems:?}");
    assert!(problems[0].starts_with("field 'a/b'"), "{}", problems[0]);
}
