//! Turns path text into a [`JsonPath`]: Jayway's dialect as Step Functions accepts it,
//! plus the ASL roots `$$` (context object) and `$name` (variables).

use super::ast::{Function, JsonPath, Root, Segment, Selector};
use super::filter;

/// Why a path could not be parsed; `position` counts characters from the start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at position {position}")]
pub struct ParseError {
    pub message: String,
    pub position: usize,
}

/// Parses a whole path; trailing text is an error.
pub fn parse(text: &str) -> Result<JsonPath, ParseError> {
    let mut cursor = Cursor::new(text);
    cursor.skip_ws();
    let path = cursor.path(false)?;
    cursor.skip_ws();
    if !cursor.done() {
        return Err(cursor.error(format!("unexpected '{}'", cursor.rest())));
    }
    Ok(path)
}

/// A character cursor shared by the path and filter parsers.
pub struct Cursor<'a> {
    chars: Vec<char>,
    pub pos: usize,
    text: &'a str,
}

impl<'a> Cursor<'a> {
    pub fn new(text: &'a str) -> Self {
        Self {
            chars: text.chars().collect(),
            pos: 0,
            text,
        }
    }

    pub fn done(&self) -> bool {
        self.pos >= self.chars.len()
    }

    pub fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    pub fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    pub fn bump(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.pos += 1;
        }
        c
    }

    /// Consumes `s` if the text continues with it.
    pub fn eat(&mut self, s: &str) -> bool {
        let n = s.chars().count();
        if self.chars.len() >= self.pos + n
            && self.chars[self.pos..self.pos + n]
                .iter()
                .copied()
                .eq(s.chars())
        {
            self.pos += n;
            true
        } else {
            false
        }
    }

    pub fn expect(&mut self, s: &str) -> Result<(), ParseError> {
        if self.eat(s) {
            Ok(())
        } else {
            Err(self.error(format!("expected '{s}'")))
        }
    }

    pub fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    pub fn rest(&self) -> String {
        self.chars[self.pos.min(self.chars.len())..]
            .iter()
            .collect()
    }

    pub fn error(&self, message: impl Into<String>) -> ParseError {
        let _ = self.text;
        ParseError {
            message: message.into(),
            position: self.pos,
        }
    }

    /// Parses a path starting at the cursor. Inside a filter, names also stop at operators.
    pub fn path(&mut self, in_filter: bool) -> Result<JsonPath, ParseError> {
        let root = self.root()?;
        let mut segments = Vec::new();
        loop {
            if self.eat("..") {
                let selector = match self.peek() {
                    Some('[') => self.bracket()?,
                    Some('*') => {
                        self.bump();
                        Selector::Wildcard
                    }
                    _ => Selector::Names(vec![self.name(in_filter)?]),
                };
                segments.push(Segment::Descendant(selector));
            } else if self.eat(".") {
                if self.eat("*") {
                    segments.push(Segment::Child(Selector::Wildcard));
                    continue;
                }
                let name = self.name(in_filter)?;
                if self.peek() == Some('(') {
                    let start = self.pos;
                    self.bump();
                    self.skip_ws();
                    self.expect(")")?;
                    let function = Function::from_name(&name).ok_or_else(|| ParseError {
                        message: format!("unknown path function '{name}()'"),
                        position: start,
                    })?;
                    segments.push(Segment::Function(function));
                } else {
                    segments.push(Segment::Child(Selector::Names(vec![name])));
                }
            } else if self.peek() == Some('[') {
                segments.push(Segment::Child(self.bracket()?));
            } else {
                break;
            }
            if segments.len() > 1 && matches!(segments[segments.len() - 2], Segment::Function(_)) {
                return Err(self.error("a path function must end the path"));
            }
        }
        Ok(JsonPath { root, segments })
    }

    fn root(&mut self) -> Result<Root, ParseError> {
        if self.eat("@") {
            return Ok(Root::Current);
        }
        if !self.eat("$") {
            return Err(self.error("a path must start with '$'"));
        }
        if self.eat("$") {
            return Ok(Root::Context);
        }
        if self.peek().is_some_and(|c| c.is_alphabetic() || c == '_') {
            let mut name = String::new();
            while let Some(c) = self.peek().filter(|c| c.is_alphanumeric() || *c == '_') {
                name.push(c);
                self.bump();
            }
            return Ok(Root::Variable(name));
        }
        Ok(Root::Input)
    }

    fn name(&mut self, in_filter: bool) -> Result<String, ParseError> {
        let mut name = String::new();
        while let Some(c) = self.peek().filter(|c| is_name_char(*c, in_filter)) {
            name.push(c);
            self.bump();
        }
        if name.is_empty() {
            return Err(self.error("expected a member name"));
        }
        Ok(name)
    }

    fn bracket(&mut self) -> Result<Selector, ParseError> {
        self.expect("[")?;
        self.skip_ws();
        let selector = match self.peek() {
            Some('*') => {
                self.bump();
                Selector::Wildcard
            }
            Some('?') => {
                self.bump();
                self.skip_ws();
                let parenthesised = self.eat("(");
                let expr = filter::parse_expr(self)?;
                self.skip_ws();
                if parenthesised {
                    self.expect(")")?;
                }
                Selector::Filter(Box::new(expr))
            }
            Some('\'') | Some('"') => {
                let mut names = vec![self.quoted()?];
                self.skip_ws();
                while self.eat(",") {
                    self.skip_ws();
                    names.push(self.quoted()?);
                    self.skip_ws();
                }
                Selector::Names(names)
            }
            Some(c) if c == '-' || c == ':' || c.is_ascii_digit() => self.indices_or_slice()?,
            _ => {
                return Err(
                    self.error("expected '*', '?', a quoted name, an index or a slice after '['")
                );
            }
        };
        self.skip_ws();
        self.expect("]")?;
        Ok(selector)
    }

    /// A quoted member name. A backslash only protects the next character from closing the
    /// string; `\'` inside `'…'` (and `\"` inside `"…"`) yields the bare quote, other
    /// backslashes are kept, as Step Functions reads `$['a\"b']`.
    pub fn quoted(&mut self) -> Result<String, ParseError> {
        let quote = self
            .bump()
            .ok_or_else(|| self.error("expected a quoted name"))?;
        let mut out = String::new();
        loop {
            match self.bump() {
                None => return Err(self.error(format!("unterminated string, missing {quote}"))),
                Some('\\') => match self.bump() {
                    Some(c) if c == quote => out.push(c),
                    Some(c) => {
                        out.push('\\');
                        out.push(c);
                    }
                    None => return Err(self.error("unterminated escape")),
                },
                Some(c) if c == quote => return Ok(out),
                Some(c) => out.push(c),
            }
        }
    }

    fn integer(&mut self) -> Result<Option<i64>, ParseError> {
        self.skip_ws();
        let start = self.pos;
        let mut digits = String::new();
        if self.peek() == Some('-') {
            digits.push('-');
            self.bump();
        }
        while let Some(c) = self.peek().filter(char::is_ascii_digit) {
            digits.push(c);
            self.bump();
        }
        self.skip_ws();
        match digits.as_str() {
            "" => Ok(None),
            "-" => Err(ParseError {
                message: "expected digits after '-'".into(),
                position: start,
            }),
            d => d.parse().map(Some).map_err(|_| ParseError {
                message: format!("index '{d}' is out of range"),
                position: start,
            }),
        }
    }

    fn indices_or_slice(&mut self) -> Result<Selector, ParseError> {
        let first = self.integer()?;
        if self.eat(":") {
            let end = self.integer()?;
            let step = if self.eat(":") { self.integer()? } else { None };
            if step == Some(0) {
                return Err(self.error("a slice step cannot be 0"));
            }
            return Ok(Selector::Slice {
                start: first,
                end,
                step,
            });
        }
        let mut indices = vec![first.ok_or_else(|| self.error("expected an index"))?];
        while self.eat(",") {
            indices.push(
                self.integer()?
                    .ok_or_else(|| self.error("expected an index after ','"))?,
            );
        }
        Ok(Selector::Indices(indices))
    }
}

/// Characters allowed in a dot-notation member name.
fn is_name_char(c: char, in_filter: bool) -> bool {
    if c.is_whitespace() || matches!(c, '.' | '[' | ']' | '(' | ')' | '\'' | '"') {
        return false;
    }
    !(in_filter && matches!(c, '=' | '!' | '<' | '>' | '&' | '|' | ','))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &[&str]) -> Segment {
        Segment::Child(Selector::Names(s.iter().map(|x| x.to_string()).collect()))
    }

    #[test]
    fn roots() {
        assert_eq!(
            parse("$").unwrap(),
            JsonPath {
                root: Root::Input,
                segments: vec![]
            }
        );
        assert_eq!(parse("$$.Execution.Id").unwrap().root, Root::Context);
        let v = parse("$my_var.field").unwrap();
        assert_eq!(v.root, Root::Variable("my_var".into()));
        assert_eq!(v.segments, vec![names(&["field"])]);
    }

    #[test]
    fn dots_brackets_and_quotes() {
        let p = parse("$.a['b c'][\"d\"].delivery-partner[0]").unwrap();
        assert_eq!(p.segments.len(), 5);
        assert_eq!(p.segments[3], names(&["delivery-partner"]));
        assert_eq!(p.segments[4], Segment::Child(Selector::Indices(vec![0])));
        assert!(p.is_definite() && p.is_reference());
        let q = parse(r#"$['Test\""Name"']"#).unwrap();
        assert_eq!(q.segments, vec![names(&[r#"Test\""Name""#])]);
        assert_eq!(
            parse(r"$['it\'s']").unwrap().segments,
            vec![names(&["it's"])]
        );
    }

    #[test]
    fn indefinite_forms() {
        for p in [
            "$.a[*]",
            "$..a",
            "$.a[1:2]",
            "$.a[0,1]",
            "$.a[?(@.x > 1)]",
            "$.*",
            "$['a','b']",
        ] {
            assert!(!parse(p).unwrap().is_definite(), "{p}");
        }
        assert_eq!(
            parse("$.a[-2:]").unwrap().segments[1],
            Segment::Child(Selector::Slice {
                start: Some(-2),
                end: None,
                step: None
            })
        );
    }

    #[test]
    fn functions() {
        let p = parse("$.items.length()").unwrap();
        assert_eq!(p.segments[1], Segment::Function(Function::Length));
        assert!(p.is_definite() && !p.is_reference());
        assert!(parse("$.a.nope()").is_err());
        assert!(parse("$.a.length().b").is_err());
    }

    #[test]
    fn errors_say_where() {
        assert_eq!(parse("a.b").unwrap_err().position, 0);
        assert!(parse("$.a[").is_err());
        assert!(parse("$.a['b").is_err());
        assert!(parse("$.").is_err());
        assert!(parse("$.a]").is_err());
        assert!(parse("$.a[0:1:0]").is_err());
    }
}
