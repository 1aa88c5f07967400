//! Choice rules: the comparison operators, their `*Path` forms, `Is*` tests, And/Or/Not,
//! and the JSONata `Condition`. Parsed into a tree once; evaluated by `interp::choice`.

use serde_json::{Map, Value};

/// A comparison operator (without the `Path` suffix; that is in [`Operand`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum Operator {
    StringEquals,
    StringLessThan,
    StringGreaterThan,
    StringLessThanEquals,
    StringGreaterThanEquals,
    StringMatches,
    NumericEquals,
    NumericLessThan,
    NumericGreaterThan,
    NumericLessThanEquals,
    NumericGreaterThanEquals,
    BooleanEquals,
    TimestampEquals,
    TimestampLessThan,
    TimestampGreaterThan,
    TimestampLessThanEquals,
    TimestampGreaterThanEquals,
    IsNull,
    IsPresent,
    IsNumeric,
    IsString,
    IsBoolean,
    IsTimestamp,
}

impl Operator {
    const ALL: [(&'static str, Operator); 23] = [
        ("StringEquals", Operator::StringEquals),
        ("StringLessThan", Operator::StringLessThan),
        ("StringGreaterThan", Operator::StringGreaterThan),
        ("StringLessThanEquals", Operator::StringLessThanEquals),
        ("StringGreaterThanEquals", Operator::StringGreaterThanEquals),
        ("StringMatches", Operator::StringMatches),
        ("NumericEquals", Operator::NumericEquals),
        ("NumericLessThan", Operator::NumericLessThan),
        ("NumericGreaterThan", Operator::NumericGreaterThan),
        ("NumericLessThanEquals", Operator::NumericLessThanEquals),
        (
            "NumericGreaterThanEquals",
            Operator::NumericGreaterThanEquals,
        ),
        ("BooleanEquals", Operator::BooleanEquals),
        ("TimestampEquals", Operator::TimestampEquals),
        ("TimestampLessThan", Operator::TimestampLessThan),
        ("TimestampGreaterThan", Operator::TimestampGreaterThan),
        ("TimestampLessThanEquals", Operator::TimestampLessThanEquals),
        (
            "TimestampGreaterThanEquals",
            Operator::TimestampGreaterThanEquals,
        ),
        ("IsNull", Operator::IsNull),
        ("IsPresent", Operator::IsPresent),
        ("IsNumeric", Operator::IsNumeric),
        ("IsString", Operator::IsString),
        ("IsBoolean", Operator::IsBoolean),
        ("IsTimestamp", Operator::IsTimestamp),
    ];

    /// Finds the operator a key names: `(operator, is_path_form)`.
    pub fn from_key(key: &str) -> Option<(Operator, bool)> {
        let (base, is_path) = match key.strip_suffix("Path") {
            Some(b) => (b, true),
            None => (key, false),
        };
        let op = Self::ALL
            .iter()
            .find(|(n, _)| *n == base)
            .map(|(_, op)| *op)?;
        if is_path && op.is_type_test() {
            return None;
        }
        Some((op, is_path))
    }

    /// `Is*` tests take a boolean literal and have no `Path` form.
    pub fn is_type_test(self) -> bool {
        matches!(
            self,
            Operator::IsNull
                | Operator::IsPresent
                | Operator::IsNumeric
                | Operator::IsString
                | Operator::IsBoolean
                | Operator::IsTimestamp
        )
    }
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone)]
pub enum Operand {
    /// A literal value.
    Literal(Value),
    /// A `*Path` operand: a reference path read at evaluation time.
    Path(String),
}

/// `Variable <op> operand`.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// `Variable` (a reference path).
    pub variable: String,
    /// The operator.
    pub operator: Operator,
    /// The operand (literal or path).
    pub operand: Operand,
}

/// A boolean rule.
#[derive(Debug, Clone)]
pub enum ChoiceRule {
    /// `And`.
    And(Vec<ChoiceRule>),
    /// `Or`.
    Or(Vec<ChoiceRule>),
    /// `Not`.
    Not(Box<ChoiceRule>),
    /// A comparison.
    Compare(Comparison),
    /// JSONata `Condition` (a `{% %}` string or a literal boolean).
    Condition(Value),
    /// A top-level rule: the test plus where it leads and what it assigns/outputs.
    Top {
        /// The test.
        rule: Box<ChoiceRule>,
        /// `Next`.
        next: String,
        /// `Assign` on this choice.
        assign: Option<Value>,
        /// `Output` on this choice (JSONata).
        output: Option<Value>,
    },
}

impl ChoiceRule {
    /// Parses a top-level choice rule (which carries `Next`).
    pub fn parse_top(v: &Value) -> Result<Self, String> {
        let obj = v.as_object().ok_or("a choice rule must be an object")?;
        let next = obj
            .get("Next")
            .and_then(Value::as_str)
            .ok_or("Next is missing")?
            .to_string();
        let rule = Self::parse(obj)?;
        Ok(ChoiceRule::Top {
            rule: Box::new(rule),
            next,
            assign: obj.get("Assign").cloned(),
            output: obj.get("Output").cloned(),
        })
    }

    fn parse(obj: &Map<String, Value>) -> Result<Self, String> {
        if let Some(cond) = obj.get("Condition") {
            return Ok(ChoiceRule::Condition(cond.clone()));
        }
        let nested = |v: &Value| -> Result<ChoiceRule, String> {
            Self::parse(v.as_object().ok_or("a nested rule must be an object")?)
        };
        if let Some(list) = obj.get("And").or_else(|| obj.get("Or")) {
            let rules = list
                .as_array()
                .ok_or("And/Or takes an array")?
                .iter()
                .map(nested)
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(if obj.contains_key("And") {
                ChoiceRule::And(rules)
            } else {
                ChoiceRule::Or(rules)
            });
        }
        if let Some(inner) = obj.get("Not") {
            return Ok(ChoiceRule::Not(Box::new(nested(inner)?)));
        }
        let variable = obj
            .get("Variable")
            .and_then(Value::as_str)
            .ok_or("Variable is missing")?;
        let (key, operator, is_path) = obj
            .iter()
            .find_map(|(k, _)| Operator::from_key(k).map(|(op, p)| (k, op, p)))
            .ok_or("no comparison operator")?;
        let raw = &obj[key];
        let operand = if is_path {
            Operand::Path(
                raw.as_str()
                    .ok_or("a *Path operand must be a string")?
                    .to_string(),
            )
        } else {
            Operand::Literal(raw.clone())
        };
        Ok(ChoiceRule::Compare(Comparison {
            variable: variable.to_string(),
            operator,
            operand,
        }))
    }
}
