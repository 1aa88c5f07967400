//! The Choice state: evaluates its rules in order and follows the first that holds.
//! Comparisons of mismatched types are false, not errors, as in Step Functions.

use super::io::{StateCtx, apply_assign};
use super::{Transition, Vars};
use crate::StatesError;
use crate::history::state_exited;
use crate::model::{ChoiceRule, ChoiceSpec, Comparison, Operand, Operator};
use crate::timestamp;
use serde_json::Value;
use std::cmp::Ordering;

pub(crate) async fn run(
    sc: &StateCtx<'_>,
    spec: &ChoiceSpec,
    raw: Value,
    vars: &mut Vars,
    prev: &mut u64,
) -> Result<Transition, StatesError> {
    let jsonata = sc.jsonata();
    let input = if jsonata {
        raw.clone()
    } else {
        sc.input_path(&raw, vars)?
    };
    let states = sc.states(&raw, None, None);
    let mut chosen = None;
    for rule in &spec.choices {
        if let ChoiceRule::Top {
            rule: test,
            next,
            assign,
            output,
        } = rule
            && eval(sc, test, &input, &states, vars)?
        {
            chosen = Some((next.clone(), assign.as_ref(), output.as_ref()));
            break;
        }
    }
    let common = &sc.state.common;
    let (next, assign, output_template) = match chosen {
        Some(c) => c,
        None => match &spec.default {
            Some(d) => (d.clone(), common.assign.as_ref(), common.output.as_ref()),
            None => {
                return Err(StatesError::new(
                    "States.NoChoiceMatched",
                    format!(
                        "An error occurred while executing the state '{}' (entered at the event id #{}). No Choice Rule matched and no Default is set.",
                        sc.state.name, sc.entered_id
                    ),
                ));
            }
        },
    };
    let assigned = sc.assign(assign, &input, &states, vars)?;
    let output = if jsonata {
        match output_template.or(common.output.as_ref()) {
            Some(t) => sc.jsonata_render("Output", t, &states, vars)?,
            None => raw,
        }
    } else {
        sc.output_path(input, vars)?
    };
    apply_assign(vars, assigned);
    *prev = sc.rt.emit(
        *prev,
        "ChoiceStateExited",
        Some((
            "stateExitedEventDetails",
            state_exited(&sc.state.name, &output),
        )),
    );
    Ok(Transition::Next(next, output))
}

fn eval(
    sc: &StateCtx<'_>,
    rule: &ChoiceRule,
    input: &Value,
    states: &Value,
    vars: &Vars,
) -> Result<bool, StatesError> {
    match rule {
        ChoiceRule::And(rules) => {
            for r in rules {
                if !eval(sc, r, input, states, vars)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        ChoiceRule::Or(rules) => {
            for r in rules {
                if eval(sc, r, input, states, vars)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        ChoiceRule::Not(r) => Ok(!eval(sc, r, input, states, vars)?),
        ChoiceRule::Top { rule, .. } => eval(sc, rule, input, states, vars),
        ChoiceRule::Condition(c) => match c {
            Value::Bool(b) => Ok(*b),
            template => match sc.jsonata_render("Condition", template, states, vars)? {
                Value::Bool(b) => Ok(b),
                other => Err(sc.query_error(format!(
                    "The Condition field must evaluate to a boolean, but was '{other}'"
                ))),
            },
        },
        ChoiceRule::Compare(c) => compare(sc, c, input, vars),
    }
}

fn compare(
    sc: &StateCtx<'_>,
    c: &Comparison,
    input: &Value,
    vars: &Vars,
) -> Result<bool, StatesError> {
    use Operator::*;
    let value = sc.select_optional(&c.variable, input, vars)?;
    if c.operator.is_type_test() {
        let expected = matches!(c.operand, Operand::Literal(Value::Bool(true)));
        let holds = match (&value, c.operator) {
            (None, IsPresent) => false,
            (Some(_), IsPresent) => true,
            (None, _) => return Ok(false),
            (Some(v), IsNull) => v.is_null(),
            (Some(v), IsNumeric) => v.is_number(),
            (Some(v), IsString) => v.is_string(),
            (Some(v), IsBoolean) => v.is_boolean(),
            (Some(v), IsTimestamp) => v.as_str().and_then(timestamp::parse).is_some(),
            _ => false,
        };
        return Ok(holds == expected);
    }
    // A missing variable is an error for value comparisons (AWS's "Invalid path").
    let value = match value {
        Some(v) => v,
        None => sc.select(&c.variable, input, vars)?,
    };
    let operand = match &c.operand {
        Operand::Literal(v) => v.clone(),
        Operand::Path(p) => sc.select(p, input, vars)?,
    };
    let result = match c.operator {
        StringEquals
        | StringLessThan
        | StringGreaterThan
        | StringLessThanEquals
        | StringGreaterThanEquals => match (value.as_str(), operand.as_str()) {
            (Some(a), Some(b)) => Some(holds(c.operator, a.cmp(b))),
            _ => None,
        },
        StringMatches => match (value.as_str(), operand.as_str()) {
            (Some(a), Some(pattern)) => Some(wildcard_match(pattern, a)),
            _ => None,
        },
        NumericEquals
        | NumericLessThan
        | NumericGreaterThan
        | NumericLessThanEquals
        | NumericGreaterThanEquals => {
            match (
                value.as_f64().filter(|_| value.is_number()),
                operand.as_f64(),
            ) {
                (Some(a), Some(b)) => a.partial_cmp(&b).map(|o| holds(c.operator, o)),
                _ => None,
            }
        }
        BooleanEquals => match (value.as_bool(), operand.as_bool()) {
            (Some(a), Some(b)) => Some(a == b),
            _ => None,
        },
        TimestampEquals
        | TimestampLessThan
        | TimestampGreaterThan
        | TimestampLessThanEquals
        | TimestampGreaterThanEquals => {
            match (
                value.as_str().and_then(timestamp::parse),
                operand.as_str().and_then(timestamp::parse),
            ) {
                (Some(a), Some(b)) => Some(holds(c.operator, a.cmp(&b))),
                _ => None,
            }
        }
        _ => None,
    };
    Ok(result.unwrap_or(false))
}

/// Does an ordering satisfy the operator's relation?
fn holds(op: Operator, o: Ordering) -> bool {
    use Operator::*;
    match op {
        StringEquals | NumericEquals | TimestampEquals => o == Ordering::Equal,
        StringLessThan | NumericLessThan | TimestampLessThan => o == Ordering::Less,
        StringGreaterThan | NumericGreaterThan | TimestampGreaterThan => o == Ordering::Greater,
        StringLessThanEquals | NumericLessThanEquals | TimestampLessThanEquals => {
            o != Ordering::Greater
        }
        StringGreaterThanEquals | NumericGreaterThanEquals | TimestampGreaterThanEquals => {
            o != Ordering::Less
        }
        _ => false,
    }
}

/// `StringMatches`: `*` matches any run of characters; `\*` and `\\` are literal.
fn wildcard_match(pattern: &str, text: &str) -> bool {
    enum Tok {
        Star,
        Char(char),
    }
    let mut toks = Vec::new();
    let mut it = pattern.chars();
    while let Some(ch) = it.next() {
        match ch {
            '\\' => toks.push(Tok::Char(it.next().unwrap_or('\\'))),
            '*' => toks.push(Tok::Star),
            c => toks.push(Tok::Char(c)),
        }
    }
    let text: Vec<char> = text.chars().collect();
    // Classic two-pointer glob match with backtracking to the last star.
    let (mut p, mut t, mut star, mut mark) = (0usize, 0usize, None::<usize>, 0usize);
    while t < text.len() {
        match toks.get(p) {
            Some(Tok::Char(c)) if *c == text[t] => {
                p += 1;
                t += 1;
            }
            Some(Tok::Star) => {
                star = Some(p);
                mark = t;
                p += 1;
            }
            _ => match star {
                Some(s) => {
                    p = s + 1;
                    mark += 1;
                    t = mark;
                }
                None => return false,
            },
        }
    }
    toks[p..].iter().all(|t| matches!(t, Tok::Star))
}

#[cfg(test)]
mod tests {
    use super::wildcard_match;

    #[test]
    fn wildcards() {
        assert!(wildcard_match("log-*.txt", "log-2024.txt"));
        assert!(wildcard_match("*", ""));
        assert!(!wildcard_match("a*b", "acbd"));
        assert!(wildcard_match("a\\*b", "a*b"));
        assert!(!wildcard_match("a\\*b", "axb"));
    }
}
