//! The parsed form of an ASL JSONPath, kept apart from parsing and evaluation so the
//! validator, the evaluator and ResultPath insertion all read the same structure.

use std::fmt;

/// Where a path starts reading.
#[derive(Debug, Clone, PartialEq)]
pub enum Root {
    /// `$`: the state's effective input.
    Input,
    /// `$$`: the context object.
    Context,
    /// `$name`: a variable set by `Assign`.
    Variable(String),
    /// `@`: the current node inside a filter.
    Current,
}

/// One step after the root.
#[derive(Debug, Clone, PartialEq)]
pub enum Segment {
    /// `.name`, `['a']`, `[0]`, `[*]`, `[?(…)]`: select among the children.
    Child(Selector),
    /// `..name`, `..[0]`, `..*`: select among all descendants.
    Descendant(Selector),
    /// `.length()` (and the other Jayway aggregate functions): ends the path.
    Function(Function),
}

/// What a segment picks.
#[derive(Debug, Clone, PartialEq)]
pub enum Selector {
    /// One or more member names; more than one makes the path indefinite.
    Names(Vec<String>),
    /// One or more array indices (negative counts from the end).
    Indices(Vec<i64>),
    /// `[start:end:step]`.
    Slice {
        start: Option<i64>,
        end: Option<i64>,
        step: Option<i64>,
    },
    /// `*`: every member or element.
    Wildcard,
    /// `?(expr)`: the elements (or members) for which `expr` holds.
    Filter(Box<FilterExpr>),
}

/// The Jayway path functions AWS accepts at the end of a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    Length,
    Min,
    Max,
    Avg,
    Sum,
    StdDev,
    Keys,
}

impl Function {
    /// The name written before `()`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Length => "length",
            Self::Min => "min",
            Self::Max => "max",
            Self::Avg => "avg",
            Self::Sum => "sum",
            Self::StdDev => "stddev",
            Self::Keys => "keys",
        }
    }

    /// Looks a function up by the name written before `()`.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "length" | "size" => Self::Length,
            "min" => Self::Min,
            "max" => Self::Max,
            "avg" => Self::Avg,
            "sum" => Self::Sum,
            "stddev" => Self::StdDev,
            "keys" => Self::Keys,
            _ => return None,
        })
    }
}

/// A parsed path: a root and the segments that follow it.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonPath {
    pub root: Root,
    pub segments: Vec<Segment>,
}

impl JsonPath {
    /// A definite path names at most one node (no wildcard, filter, slice, union or `..`).
    pub fn is_definite(&self) -> bool {
        self.segments.iter().all(|s| match s {
            Segment::Child(Selector::Names(n)) => n.len() == 1,
            Segment::Child(Selector::Indices(i)) => i.len() == 1,
            Segment::Function(_) => true,
            _ => false,
        })
    }

    /// A reference path: definite and made only of single names and indices (no function).
    pub fn is_reference(&self) -> bool {
        self.is_definite()
            && !self
                .segments
                .iter()
                .any(|s| matches!(s, Segment::Function(_)))
    }
}

/// A filter expression inside `[?( … )]`.
#[derive(Debug, Clone, PartialEq)]
pub enum FilterExpr {
    Or(Box<FilterExpr>, Box<FilterExpr>),
    And(Box<FilterExpr>, Box<FilterExpr>),
    Not(Box<FilterExpr>),
    Compare(Operand, CompareOp, Operand),
    /// A bare operand: true when a path exists (Jayway) or a literal is truthy.
    Exists(Operand),
}

/// A side of a filter comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand {
    Path(JsonPath),
    Literal(serde_json::Value),
    /// `/pattern/flags` on the right of `=~`.
    Regex(String),
}

/// The comparison operators Jayway filters understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Matches,
    In,
    Nin,
    Contains,
    Empty,
    Size,
}

/// A normalized location, printed the way Jayway prints it in errors: `$['a'][0]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Location(pub Vec<Step>);

/// One component of a [`Location`].
#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Name(String),
    Index(usize),
}

impl Location {
    /// This location with one more step.
    pub fn with(&self, step: Step) -> Self {
        let mut steps = self.0.clone();
        steps.push(step);
        Self(steps)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("$")?;
        for step in &self.0 {
            match step {
                Step::Name(n) => write!(f, "['{n}']")?,
                Step::Index(i) => write!(f, "[{i}]")?,
            }
        }
        Ok(())
    }
}
