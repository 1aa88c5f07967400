//! Filter expressions (`[?(@.price < 10 && @.tag == 'x')]`): parsing and evaluation with
//! Jayway's rules — a missing operand makes a comparison false, never an error.

use super::Scope;
use super::ast::{CompareOp, FilterExpr, Operand};
use super::eval;
use super::parser::{Cursor, ParseError};
use serde_json::Value;

/// Parses `a || b`, `a && b`, `!a`, `(a)`, comparisons and bare existence tests.
pub fn parse_expr(c: &mut Cursor) -> Result<FilterExpr, ParseError> {
    let mut left = parse_and(c)?;
    loop {
        c.skip_ws();
        if !c.eat("||") {
            return Ok(left);
        }
        left = FilterExpr::Or(Box::new(left), Box::new(parse_and(c)?));
    }
}

fn parse_and(c: &mut Cursor) -> Result<FilterExpr, ParseError> {
    let mut left = parse_unary(c)?;
    loop {
        c.skip_ws();
        if !c.eat("&&") {
            return Ok(left);
        }
        left = FilterExpr::And(Box::new(left), Box::new(parse_unary(c)?));
    }
}

fn parse_unary(c: &mut Cursor) -> Result<FilterExpr, ParseError> {
    c.skip_ws();
    if c.peek() == Some('!') && c.peek_at(1) != Some('=') {
        c.bump();
        return Ok(FilterExpr::Not(Box::new(parse_unary(c)?)));
    }
    if c.eat("(") {
        let inner = parse_expr(c)?;
        c.skip_ws();
        c.expect(")")?;
        return Ok(inner);
    }
    let left = parse_operand(c)?;
    c.skip_ws();
    let Some(op) = parse_op(c) else {
        return Ok(FilterExpr::Exists(left));
    };
    c.skip_ws();
    let right = parse_operand(c)?;
    Ok(FilterExpr::Compare(left, op, right))
}

fn parse_op(c: &mut Cursor) -> Option<CompareOp> {
    const SYMBOLS: [(&str, CompareOp); 7] = [
        ("==", CompareOp::Eq),
        ("!=", CompareOp::Ne),
        ("<=", CompareOp::Le),
        (">=", CompareOp::Ge),
        ("=~", CompareOp::Matches),
        ("<", CompareOp::Lt),
        (">", CompareOp::Gt),
    ];
    if c.eat("===") {
        return Some(CompareOp::Eq);
    }
    if c.eat("!==") {
        return Some(CompareOp::Ne);
    }
    for (s, op) in SYMBOLS {
        if c.eat(s) {
            return Some(op);
        }
    }
    const WORDS: [(&str, CompareOp); 5] = [
        ("nin", CompareOp::Nin),
        ("in", CompareOp::In),
        ("contains", CompareOp::Contains),
        ("empty", CompareOp::Empty),
        ("size", CompareOp::Size),
    ];
    for (w, op) in WORDS {
        let save = c.pos;
        if c.eat(w) && c.peek().is_some_and(char::is_whitespace) {
            return Some(op);
        }
        c.pos = save;
    }
    None
}

fn parse_operand(c: &mut Cursor) -> Result<Operand, ParseError> {
    c.skip_ws();
    match c.peek() {
        Some('@') | Some('$') => Ok(Operand::Path(c.path(true)?)),
        Some('\'') | Some('"') => Ok(Operand::Literal(Value::String(c.quoted()?))),
        Some('/') => {
            c.bump();
            let mut pattern = String::new();
            loop {
                match c.bump() {
                    None => return Err(c.error("unterminated regular expression")),
                    Some('\\') if c.peek() == Some('/') => {
                        c.bump();
                        pattern.push('/');
                    }
                    Some('/') => break,
                    Some(ch) => pattern.push(ch),
                }
            }
            let mut flags = String::new();
            while let Some(f) = c.peek().filter(|f| matches!(f, 'i' | 'm' | 's' | 'x')) {
                flags.push(f);
                c.bump();
            }
            if !flags.is_empty() {
                pattern = format!("(?{flags}){pattern}");
            }
            regex::Regex::new(&pattern)
                .map_err(|e| c.error(format!("invalid regular expression: {e}")))?;
            Ok(Operand::Regex(pattern))
        }
        Some('[') => {
            c.bump();
            let mut items = Vec::new();
            loop {
                c.skip_ws();
                if c.eat("]") {
                    break;
                }
                match parse_operand(c)? {
                    Operand::Literal(v) => items.push(v),
                    _ => {
                        return Err(c.error(
                            "a list literal may hold only strings, numbers, booleans and null",
                        ));
                    }
                }
                c.skip_ws();
                if !c.eat(",") {
                    c.skip_ws();
                    c.expect("]")?;
                    break;
                }
            }
            Ok(Operand::Literal(Value::Array(items)))
        }
        _ => {
            let start = c.pos;
            let mut word = String::new();
            while let Some(ch) = c
                .peek()
                .filter(|ch| ch.is_alphanumeric() || matches!(ch, '-' | '+' | '.' | '_'))
            {
                word.push(ch);
                c.bump();
            }
            let value = match word.as_str() {
                "true" => Value::Bool(true),
                "false" => Value::Bool(false),
                "null" => Value::Null,
                w => serde_json::from_str::<serde_json::Number>(w)
                    .map(Value::Number)
                    .map_err(|_| ParseError {
                        message: format!(
                            "expected a path, string, number, true, false or null, found '{w}'"
                        ),
                        position: start,
                    })?,
            };
            Ok(Operand::Literal(value))
        }
    }
}

/// Evaluates a filter for the node `current`.
pub fn holds(expr: &FilterExpr, current: &Value, scope: &Scope) -> bool {
    match expr {
        FilterExpr::Or(a, b) => holds(a, current, scope) || holds(b, current, scope),
        FilterExpr::And(a, b) => holds(a, current, scope) && holds(b, current, scope),
        FilterExpr::Not(a) => !holds(a, current, scope),
        FilterExpr::Exists(Operand::Path(p)) => eval::exists(p, scope, Some(current)),
        FilterExpr::Exists(Operand::Literal(v)) => !matches!(v, Value::Null | Value::Bool(false)),
        FilterExpr::Exists(Operand::Regex(_)) => false,
        FilterExpr::Compare(l, op, r) => {
            let (Some(l), Some(r)) = (operand(l, current, scope), operand(r, current, scope))
            else {
                return false;
            };
            compare(&l, *op, &r)
        }
    }
}

fn operand(o: &Operand, current: &Value, scope: &Scope) -> Option<Value> {
    match o {
        Operand::Path(p) => eval::evaluate(p, scope, Some(current)).ok(),
        Operand::Literal(v) => Some(v.clone()),
        Operand::Regex(r) => Some(Value::String(r.clone())),
    }
}

fn compare(l: &Value, op: CompareOp, r: &Value) -> bool {
    use std::cmp::Ordering;
    let order = || match (l, r) {
        (Value::Number(a), Value::Number(b)) => a.as_f64()?.partial_cmp(&b.as_f64()?),
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        _ => None,
    };
    match op {
        CompareOp::Eq => equal(l, r),
        CompareOp::Ne => !equal(l, r),
        CompareOp::Lt => order() == Some(Ordering::Less),
        CompareOp::Le => matches!(order(), Some(Ordering::Less | Ordering::Equal)),
        CompareOp::Gt => order() == Some(Ordering::Greater),
        CompareOp::Ge => matches!(order(), Some(Ordering::Greater | Ordering::Equal)),
        CompareOp::Matches => match (l, r) {
            (Value::String(s), Value::String(p)) => {
                regex::Regex::new(&format!("^(?:{p})$")).is_ok_and(|re| re.is_match(s))
            }
            _ => false,
        },
        CompareOp::In => r.as_array().is_some_and(|a| a.iter().any(|x| equal(l, x))),
        CompareOp::Nin => r.as_array().is_some_and(|a| !a.iter().any(|x| equal(l, x))),
        CompareOp::Contains => match (l, r) {
            (Value::String(s), Value::String(sub)) => s.contains(sub.as_str()),
            (Value::Array(a), x) => a.iter().any(|y| equal(x, y)),
            _ => false,
        },
        CompareOp::Empty => {
            let empty = match l {
                Value::String(s) => s.is_empty(),
                Value::Array(a) => a.is_empty(),
                _ => return false,
            };
            r.as_bool() == Some(empty)
        }
        CompareOp::Size => {
            let len = match l {
                Value::String(s) => s.chars().count(),
                Value::Array(a) => a.len(),
                _ => return false,
            };
            r.as_u64() == Some(len as u64)
        }
    }
}

/// JSON equality with numbers compared by value (1 == 1.0).
fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Scope, eval::no_variables, parser::parse};
    use serde_json::{Value, json};

    fn run(path: &str, input: &Value) -> Value {
        let scope = Scope {
            input,
            context: &Value::Null,
            variables: no_variables(),
        };
        super::super::eval::evaluate(&parse(path).unwrap(), &scope, None).unwrap()
    }

    #[test]
    fn comparisons_and_logic() {
        let input = json!({"books": [
            {"title": "a", "price": 8, "tags": ["x"]},
            {"title": "b", "price": 12.5, "isbn": "1"},
            {"title": "c", "price": 10}
        ], "limit": 10});
        assert_eq!(run("$.books[?(@.price < 10)].title", &input), json!(["a"]));
        assert_eq!(
            run("$.books[?(@.price >= 10 && @.title != 'b')].title", &input),
            json!(["c"])
        );
        assert_eq!(
            run(
                "$.books[?(@.price > $.limit || @.title == \"a\")].title",
                &input
            ),
            json!(["a", "b"])
        );
        assert_eq!(run("$.books[?(@.isbn)].title", &input), json!(["b"]));
        assert_eq!(run("$.books[?(!@.isbn)].title", &input), json!(["a", "c"]));
        assert_eq!(
            run("$.books[?(@.price == 10.0)].title", &input),
            json!(["c"])
        );
        assert_eq!(
            run("$.books[?(@.title in ['a','c'])].price", &input),
            json!([8, 10])
        );
        assert_eq!(
            run("$.books[?(@.title =~ /[ab]/)].title", &input),
            json!(["a", "b"])
        );
        assert_eq!(
            run("$.books[?(@.tags contains 'x')].title", &input),
            json!(["a"])
        );
        assert_eq!(run("$.books[?(@.missing > 1)]", &input), json!([]));
    }

    #[test]
    fn bad_filters_are_refused() {
        for p in [
            "$.a[?(@.x >)]",
            "$.a[?(@.x == 'b)]",
            "$.a[?(@.x =~ /(/)]",
            "$.a[?(@.x == bogus)]",
        ] {
            assert!(parse(p).is_err(), "{p}");
        }
    }
}
