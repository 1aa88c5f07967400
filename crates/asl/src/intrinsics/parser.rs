//! Parses the intrinsic call syntax: `States.Name(arg, …)` where an argument is a nested
//! call, a `'string'` (escapes `\'` `\{` `\}` `\\`), a number, `true`/`false`/`null`, or a
//! path (`$.x`, `$$.Execution.Id`, `$var.field`).

/// A parsed intrinsic call.
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    /// The name after `States.`, e.g. `Format`.
    pub name: String,
    pub args: Vec<Arg>,
}

/// One argument of a call.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// A string literal: `value` has the escapes resolved; `raw` keeps them, because
    /// `States.Format` must tell `\{` (a brace) from `{` (a placeholder).
    Str { value: String, raw: String },
    /// A number, boolean or null literal.
    Literal(serde_json::Value),
    /// A path to read from the scope.
    Path(String),
    /// A nested call.
    Call(Call),
}

/// Why an intrinsic call could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at position {position} of '{text}'")]
pub struct ParseError {
    pub message: String,
    pub position: usize,
    pub text: String,
}

/// Parses a whole call; text after the closing parenthesis is an error.
pub fn parse(text: &str) -> Result<Call, ParseError> {
    let mut p = Parser {
        chars: text.chars().collect(),
        pos: 0,
        text,
    };
    p.skip_ws();
    let call = p.call()?;
    p.skip_ws();
    if p.pos < p.chars.len() {
        return Err(p.error("unexpected text after the closing ')'"));
    }
    Ok(call)
}

struct Parser<'a> {
    chars: Vec<char>,
    pos: usize,
    text: &'a str,
}

impl Parser<'_> {
    fn error(&self, message: &str) -> ParseError {
        ParseError {
            message: message.to_string(),
            position: self.pos,
            text: self.text.to_string(),
        }
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn call(&mut self) -> Result<Call, ParseError> {
        for expected in "States.".chars() {
            if !self.eat(expected) {
                return Err(self.error("an intrinsic function call must start with 'States.'"));
            }
        }
        let mut name = String::new();
        while let Some(c) = self.peek().filter(char::is_ascii_alphanumeric) {
            name.push(c);
            self.pos += 1;
        }
        if name.is_empty() {
            return Err(self.error("expected a function name after 'States.'"));
        }
        self.skip_ws();
        if !self.eat('(') {
            return Err(self.error("expected '(' after the function name"));
        }
        let mut args = Vec::new();
        self.skip_ws();
        if self.eat(')') {
            return Ok(Call { name, args });
        }
        loop {
            self.skip_ws();
            args.push(self.arg()?);
            self.skip_ws();
            if self.eat(')') {
                return Ok(Call { name, args });
            }
            if !self.eat(',') {
                return Err(self.error("expected ',' or ')' after an argument"));
            }
        }
    }

    fn arg(&mut self) -> Result<Arg, ParseError> {
        match self.peek() {
            Some('\'') => self.string(),
            Some('$') => Ok(Arg::Path(self.path_text()?)),
            Some('S') => Ok(Arg::Call(self.call()?)),
            Some(_) => self.literal(),
            None => Err(self.error("expected an argument")),
        }
    }

    fn string(&mut self) -> Result<Arg, ParseError> {
        self.pos += 1;
        let (mut value, mut raw) = (String::new(), String::new());
        loop {
            match self.peek() {
                None => return Err(self.error("unterminated string literal, missing '")),
                Some('\'') => {
                    self.pos += 1;
                    return Ok(Arg::Str { value, raw });
                }
                Some('\\') => {
                    self.pos += 1;
                    let Some(next) = self.peek() else {
                        return Err(self.error("unterminated escape in string literal"));
                    };
                    self.pos += 1;
                    raw.push('\\');
                    raw.push(next);
                    if !matches!(next, '\'' | '{' | '}' | '\\') {
                        value.push('\\');
                    }
                    value.push(next);
                }
                Some(c) => {
                    self.pos += 1;
                    raw.push(c);
                    value.push(c);
                }
            }
        }
    }

    /// A path argument ends at a `,` or `)` outside brackets, parentheses and quotes.
    fn path_text(&mut self) -> Result<String, ParseError> {
        let start = self.pos;
        let (mut depth, mut quote) = (0i32, None::<char>);
        while let Some(c) = self.peek() {
            match (quote, c) {
                (Some(q), '\\') if self.chars.get(self.pos + 1) == Some(&q) => self.pos += 1,
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '[' | '(') => depth += 1,
                (None, ']' | ')') if depth > 0 => depth -= 1,
                (None, ',' | ')') if depth == 0 => break,
                _ => {}
            }
            self.pos += 1;
        }
        if quote.is_some() || depth != 0 {
            return Err(self.error("unbalanced brackets or quotes in a path argument"));
        }
        Ok(self.chars[start..self.pos]
            .iter()
            .collect::<String>()
            .trim_end()
            .to_string())
    }

    fn literal(&mut self) -> Result<Arg, ParseError> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| !c.is_whitespace() && c != ',' && c != ')')
        {
            self.pos += 1;
        }
        let word: String = self.chars[start..self.pos].iter().collect();
        let value = match word.as_str() {
            "true" => serde_json::Value::Bool(true),
            "false" => serde_json::Value::Bool(false),
            "null" => serde_json::Value::Null,
            w => match serde_json::from_str::<serde_json::Number>(w) {
                Ok(n) => serde_json::Value::Number(n),
                Err(_) => {
                    self.pos = start;
                    return Err(self.error(&format!(
                        "'{w}' is not a valid argument (expected a 'string', number, true, false, null, path or States.* call)"
                    )));
                }
            },
        };
        Ok(Arg::Literal(value))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_calls_and_literals() {
        let c = parse("States.Format('a {} \\{b\\} it\\'s \\\\', States.Array(1, -2.5, true, null), $.x[0,1], $$.Execution.Id, $v)").unwrap();
        assert_eq!(c.name, "Format");
        assert_eq!(
            c.args[0],
            Arg::Str {
                value: "a {} {b} it's \\".into(),
                raw: "a {} \\{b\\} it\\'s \\\\".into()
            }
        );
        assert_eq!(
            c.args[1],
            Arg::Call(Call {
                name: "Array".into(),
                args: vec![
                    Arg::Literal(json!(1)),
                    Arg::Literal(json!(-2.5)),
                    Arg::Literal(json!(true)),
                    Arg::Literal(json!(null))
                ]
            })
        );
        assert_eq!(c.args[2], Arg::Path("$.x[0,1]".into()));
        assert_eq!(c.args[3], Arg::Path("$$.Execution.Id".into()));
        assert_eq!(c.args[4], Arg::Path("$v".into()));
        assert_eq!(parse("States.UUID()").unwrap().args, vec![]);
    }

    #[test]
    fn other_backslashes_are_kept() {
        let c = parse(r#"States.StringToJson('{"t":"a \"q\""}')"#).unwrap();
        assert_eq!(
            c.args[0],
            Arg::Str {
                value: r#"{"t":"a \"q\""}"#.into(),
                raw: r#"{"t":"a \"q\""}"#.into()
            }
        );
    }

    #[test]
    fn errors() {
        for bad in [
            "Format('x')",
            "States.Format('x'",
            "States.Format('x) ",
            "States.Array(1,)",
            "States.Array(1 2)",
            "States.Array(abc)",
            "States.()",
            "States.Array() x",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
