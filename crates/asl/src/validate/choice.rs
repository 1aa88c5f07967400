//! Choice states: JSONPath rules (Variable plus exactly one comparison operator, or one of
//! And/Or/Not, each operand of the right JSON type) and JSONata rules (a Condition).
//! A top-level rule names its Next; nested rules never do.

use super::state::Transition;
use super::values::{self, array, object, path, string, template};
use super::{Ctx, Lang, join};
use crate::path::PathKind;
use serde_json::{Map, Value};

/// What a comparison operator takes on its right-hand side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operand {
    String,
    Number,
    Boolean,
    Timestamp,
    /// `Is*` type tests take a boolean: whether the test should hold.
    Test,
    /// `*Path` variants take a reference path to the value to compare with.
    Path,
}

const COMPARISONS: &[&str] = &[
    "Equals",
    "LessThan",
    "GreaterThan",
    "LessThanEquals",
    "GreaterThanEquals",
];
const TESTS: &[&str] = &[
    "IsNull",
    "IsPresent",
    "IsNumeric",
    "IsString",
    "IsBoolean",
    "IsTimestamp",
];
const COMBINATORS: &[&str] = &["And", "Or", "Not"];

/// The operand an operator takes, or None when the name is no operator.
fn operand(name: &str) -> Option<Operand> {
    if TESTS.contains(&name) {
        return Some(Operand::Test);
    }
    if name == "StringMatches" {
        return Some(Operand::String);
    }
    let (base, is_path) = match name.strip_suffix("Path") {
        Some(base) => (base, true),
        None => (name, false),
    };
    let (kind, comparison) = [
        ("String", Operand::String),
        ("Numeric", Operand::Number),
        ("Timestamp", Operand::Timestamp),
        ("Boolean", Operand::Boolean),
    ]
    .into_iter()
    .find_map(|(prefix, kind)| base.strip_prefix(prefix).map(|rest| (kind, rest)))?;
    let known = if kind == Operand::Boolean {
        comparison == "Equals"
    } else {
        COMPARISONS.contains(&comparison)
    };
    match (known, is_path) {
        (false, _) => None,
        (true, true) => Some(Operand::Path),
        (true, false) => Some(kind),
    }
}

/// Checks Choices (and Default); returns the transitions they name.
pub(super) fn check(
    cx: &mut Ctx,
    loc: &str,
    obj: &Map<String, Value>,
    lang: Lang,
) -> Vec<Transition> {
    let mut out = Vec::new();
    if let Some(default) = obj
        .get("Default")
        .and_then(|v| string(cx, loc, "Default", v))
    {
        out.push(Transition::new("Default", default));
    }
    let Some(choices) = obj.get("Choices") else {
        cx.report(
            loc,
            "Choices",
            "missing: a Choice state needs a non-empty Choices array",
        );
        return out;
    };
    let Some(choices) = array(cx, loc, "Choices", choices) else {
        return out;
    };
    if choices.is_empty() {
        cx.report(
            loc,
            "Choices",
            "is empty: a Choice state needs at least one rule",
        );
    }
    for (i, rule) in choices.iter().enumerate() {
        let field = format!("Choices[{i}]");
        let Some(rule) = object(cx, loc, &field, rule) else {
            continue;
        };
        match lang {
            Lang::JsonPath => {
                if let Some(v) = rule.get("Assign")
                    && object(cx, loc, &join(&field, "Assign"), v).is_some()
                {
                    template(cx, loc, &join(&field, "Assign"), v);
                }
                jsonpath_rule(cx, loc, &field, rule, true);
            }
            Lang::Jsonata => jsonata_rule(cx, loc, &field, rule),
        }
        let next_field = join(&field, "Next");
        match rule.get("Next") {
            None => cx.report(
                loc,
                &next_field,
                "missing: a Choice rule must name the state to go to",
            ),
            Some(v) => {
                if let Some(target) = string(cx, loc, &next_field, v) {
                    out.push(Transition::new(next_field, target));
                }
            }
        }
    }
    out
}

/// A JSONata rule: Condition (a boolean or `{% %}` expression), Next, Assign, Output.
fn jsonata_rule(cx: &mut Ctx, loc: &str, field: &str, rule: &Map<String, Value>) {
    for (key, value) in rule {
        let f = join(field, key);
        match key.as_str() {
            "Next" => {}
            "Comment" => {
                string(cx, loc, &f, value);
            }
            "Assign" | "Output" => values::jsonata(cx, loc, &f, value),
            "Condition" => match value {
                Value::Bool(_) => {}
                Value::String(s) if values::is_jsonata(s) => values::jsonata(cx, loc, &f, value),
                _ => cx.report(loc, &f, "must be a {% %} JSONata expression or a boolean"),
            },
            k if k == "Variable" || COMBINATORS.contains(&k) || operand(k).is_some() => cx.report(
                loc,
                &f,
                format!(
                    "'{k}' is a JSONPath Choice rule field; this state uses JSONata (use Condition)"
                ),
            ),
            k => cx.report(loc, &f, format!("'{k}' is not a field of a Choice rule")),
        }
    }
    if !rule.contains_key("Condition") {
        cx.report(
            loc,
            join(field, "Condition"),
            "missing: a JSONata Choice rule needs a Condition",
        );
    }
}

/// A JSONPath rule at `field`: exactly one operator (comparison or And/Or/Not).
fn jsonpath_rule(cx: &mut Ctx, loc: &str, field: &str, rule: &Map<String, Value>, top: bool) {
    let mut operators: Vec<&str> = Vec::new();
    for key in rule.keys() {
        let k = key.as_str();
        let f = join(field, k);
        match k {
            "Variable" | "Comment" => {}
            "Next" | "Assign" if top => {}
            "Next" | "Assign" => cx.report(
                loc,
                &f,
                format!("only a top-level Choice rule can have {k}; rules nested in And/Or/Not cannot"),
            ),
            "Condition" => cx.report(
                loc,
                &f,
                "'Condition' is a JSONata field; this state uses JSONPath (use Variable and a comparison operator)",
            ),
            _ if COMBINATORS.contains(&k) || operand(k).is_some() => operators.push(k),
            _ if looks_like_operator(k) => cx.report(
                loc,
                &f,
                format!("'{k}' is not a comparison operator (e.g. StringEquals, NumericLessThanPath, IsPresent)"),
            ),
            _ => cx.report(loc, &f, format!("'{k}' is not a field of a Choice rule")),
        }
    }
    match operators.len() {
        1 => {}
        0 => cx.report(
            loc,
            field,
            "Choice rule needs exactly one comparison operator, found none (use e.g. StringEquals, or And/Or/Not)",
        ),
        n => cx.report(
            loc,
            field,
            format!("Choice rule needs exactly one comparison operator, found {n}: {}", operators.join(", ")),
        ),
    }
    let compares = operators.iter().any(|k| !COMBINATORS.contains(k));
    match rule.get("Variable") {
        Some(v) if compares => path(
            cx,
            loc,
            &join(field, "Variable"),
            v,
            PathKind::Reference,
            false,
        ),
        Some(_) if !operators.is_empty() => cx.report(
            loc,
            join(field, "Variable"),
            "is not used beside And/Or/Not; put Variable in the nested rules",
        ),
        None if compares => cx.report(
            loc,
            join(field, "Variable"),
            "missing: a comparison rule needs a Variable naming the value to compare",
        ),
        _ => {}
    }
    for key in operators {
        let f = join(field, key);
        let value = &rule[key];
        match key {
            "And" | "Or" => {
                let Some(rules) = array(cx, loc, &f, value) else {
                    continue;
                };
                if rules.is_empty() {
                    cx.report(loc, &f, format!("is empty: {key} needs at least one rule"));
                }
                for (j, nested) in rules.iter().enumerate() {
                    let nf = format!("{f}[{j}]");
                    if let Some(n) = object(cx, loc, &nf, nested) {
                        jsonpath_rule(cx, loc, &nf, n, false);
                    }
                }
            }
            "Not" => {
                if let Some(n) = object(cx, loc, &f, value) {
                    jsonpath_rule(cx, loc, &f, n, false);
                }
            }
            _ => operand_value(cx, loc, &f, key, value),
        }
    }
}

/// The right-hand side of a comparison has the type its operator takes.
fn operand_value(cx: &mut Ctx, loc: &str, field: &str, key: &str, value: &Value) {
    let ok = match operand(key) {
        Some(Operand::String) => value.is_string(),
        Some(Operand::Number) => value.is_number(),
        Some(Operand::Boolean | Operand::Test) => value.is_boolean(),
        Some(Operand::Timestamp) => {
            values::timestamp(cx, loc, field, value, Lang::JsonPath);
            return;
        }
        Some(Operand::Path) => {
            path(cx, loc, field, value, PathKind::Reference, false);
            return;
        }
        None => return,
    };
    if !ok {
        let expected = match operand(key) {
            Some(Operand::String) => "a string",
            Some(Operand::Number) => "a number",
            _ => "a boolean",
        };
        cx.report(
            loc,
            field,
            format!("{key} takes {expected}, found {}", values::type_name(value)),
        );
    }
}

/// Names that look like an attempt at an operator (a typo rather than a stray field).
fn looks_like_operator(name: &str) -> bool {
    ["String", "Numeric", "Boolean", "Timestamp", "Is"]
        .iter()
        .any(|p| name.starts_with(p))
}
