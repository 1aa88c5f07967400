//! Checks a state machine as a whole: the top-level definition, a Parallel branch or a Map
//! processor. Each is its own scope: Next/Default/Catch targets are resolved among the
//! states of that scope only, and every state must be reachable from its StartAt.

use super::state::{self, Transition};
use super::values::{self, integer, string, type_name};
use super::{Ctx, Lang};
use serde_json::{Map, Value};
use std::collections::{HashMap, HashSet, VecDeque};

/// The longest state name Step Functions accepts, in characters.
const MAX_NAME_CHARS: usize = 80;

/// Which kind of state machine is being checked; each allows different top-level fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Top,
    Branch,
    Processor,
}

impl Kind {
    fn fields(self) -> &'static [&'static str] {
        match self {
            Kind::Top => &[
                "StartAt",
                "States",
                "Comment",
                "Version",
                "TimeoutSeconds",
                "QueryLanguage",
            ],
            Kind::Branch => &["StartAt", "States", "Comment"],
            Kind::Processor => &["StartAt", "States", "Comment", "ProcessorConfig"],
        }
    }

    fn noun(self) -> &'static str {
        match self {
            Kind::Top => "state machine definition",
            Kind::Branch => "Parallel branch",
            Kind::Processor => "Map item processor",
        }
    }
}

/// Checks a whole definition: the top-level-only fields, then the machine.
pub(super) fn check_top(cx: &mut Ctx, definition: &Value) {
    let Some(obj) = definition.as_object() else {
        cx.report(
            "",
            "",
            format!(
                "a definition must be a JSON object, found {}",
                type_name(definition)
            ),
        );
        return;
    };
    let lang = match obj.get("QueryLanguage") {
        None => Lang::JsonPath,
        Some(v) => query_language(cx, "", v).unwrap_or(Lang::JsonPath),
    };
    if let Some(v) = obj.get("TimeoutSeconds") {
        integer(cx, "", "TimeoutSeconds", v, 1, Lang::JsonPath);
    }
    if let Some(v) = obj.get("Version") {
        string(cx, "", "Version", v);
    }
    check_machine(cx, obj, "", lang, Kind::Top);
}

/// Parses a QueryLanguage value, reporting a bad one.
pub(super) fn query_language(cx: &mut Ctx, loc: &str, value: &Value) -> Option<Lang> {
    let text = string(cx, loc, "QueryLanguage", value)?;
    let lang = Lang::parse(text);
    if lang.is_none() {
        cx.report(
            loc,
            "QueryLanguage",
            format!("'{text}' is not a query language; use JSONPath or JSONata"),
        );
    }
    lang
}

/// Where a state of the machine at `loc` is reported.
fn state_location(loc: &str, name: &str) -> String {
    if loc.is_empty() {
        format!("States.{name}")
    } else {
        format!("{loc}.States.{name}")
    }
}

/// Checks one state machine (any kind) whose states default to `lang`.
pub(super) fn check_machine(
    cx: &mut Ctx,
    obj: &Map<String, Value>,
    loc: &str,
    lang: Lang,
    kind: Kind,
) {
    for key in obj.keys() {
        if !kind.fields().contains(&key.as_str()) {
            cx.report(
                loc,
                key,
                format!("'{key}' is not a field of a {}", kind.noun()),
            );
        }
    }
    if let Some(config) = obj.get("ProcessorConfig") {
        processor_config(cx, loc, config);
    }
    let states = match obj.get("States") {
        None => {
            cx.report(
                loc,
                "States",
                "missing: a state machine needs a States object naming at least one state",
            );
            None
        }
        Some(v) => values::object(cx, loc, "States", v),
    };
    if states.is_some_and(|s| s.is_empty()) {
        cx.report(
            loc,
            "States",
            "is empty: a state machine needs at least one state",
        );
    }
    let start = match obj.get("StartAt") {
        None => {
            cx.report(
                loc,
                "StartAt",
                "missing: name the state the machine starts at",
            );
            None
        }
        Some(v) => string(cx, loc, "StartAt", v),
    };
    let Some(states) = states else { return };
    if let Some(start) = start
        && !states.contains_key(start)
    {
        cx.report(
            loc,
            "StartAt",
            format!("StartAt '{start}' names no state in this scope"),
        );
    }

    let mut edges: HashMap<&str, Vec<Transition>> = HashMap::new();
    for (name, state) in states {
        let sloc = state_location(loc, name);
        check_name(cx, &sloc, name);
        edges.insert(name, state::check_state(cx, &sloc, state, lang));
    }
    for name in states.keys() {
        let transitions = &edges[name.as_str()];
        for t in transitions {
            if !states.contains_key(&t.target) {
                let label = t.field.rsplit('.').next().unwrap_or(&t.field);
                cx.report(
                    &state_location(loc, name),
                    &t.field,
                    format!("{label} '{}' names no state in this scope", t.target),
                );
            }
        }
    }
    if let Some(start) = start.filter(|s| states.contains_key(*s)) {
        for name in unreachable(start, states, &edges) {
            cx.report(
                &state_location(loc, name),
                "",
                format!("state '{name}' is unreachable: no transition from StartAt '{start}' leads to it"),
            );
        }
    }
}

/// Name length, and uniqueness across the whole definition.
fn check_name(cx: &mut Ctx, sloc: &str, name: &str) {
    let chars = name.chars().count();
    if chars == 0 {
        cx.report(sloc, "", "a state name must not be empty");
    } else if chars > MAX_NAME_CHARS {
        cx.report(
            sloc,
            "",
            format!("state name is {chars} characters long; the limit is {MAX_NAME_CHARS}"),
        );
    }
    if let Some(previous) = cx.names.get(name) {
        let message = format!(
            "state name '{name}' is already used at {previous}; names must be unique across the whole state machine, branches and Map processors included"
        );
        cx.report(sloc, "", message);
    } else {
        cx.names.insert(name.to_owned(), sloc.to_owned());
    }
}

/// The states no path of transitions from `start` reaches, in definition order.
fn unreachable<'s>(
    start: &str,
    states: &'s Map<String, Value>,
    edges: &HashMap<&str, Vec<Transition>>,
) -> Vec<&'s str> {
    let mut seen: HashSet<&str> = HashSet::from([start]);
    let mut queue: VecDeque<&str> = VecDeque::from([start]);
    while let Some(name) = queue.pop_front() {
        for t in edges.get(name).into_iter().flatten() {
            if let Some((target, _)) = states.get_key_value(&t.target)
                && seen.insert(target.as_str())
            {
                queue.push_back(target);
            }
        }
    }
    states
        .keys()
        .map(String::as_str)
        .filter(|n| !seen.contains(*n))
        .collect()
}

/// A Map processor's ProcessorConfig: Mode INLINE|DISTRIBUTED, ExecutionType STANDARD|EXPRESS.
fn processor_config(cx: &mut Ctx, loc: &str, config: &Value) {
    let Some(obj) = values::object(cx, loc, "ProcessorConfig", config) else {
        return;
    };
    for (key, value) in obj {
        let field = format!("ProcessorConfig.{key}");
        let choices: &[&str] = match key.as_str() {
            "Mode" => &["INLINE", "DISTRIBUTED"],
            "ExecutionType" => &["STANDARD", "EXPRESS"],
            _ => {
                cx.report(
                    loc,
                    &field,
                    format!("'{key}' is not a field of ProcessorConfig (Mode, ExecutionType)"),
                );
                continue;
            }
        };
        if let Some(text) = string(cx, loc, &field, value)
            && !choices.contains(&text)
        {
            cx.report(
                loc,
                &field,
                format!("'{text}' is not one of {}", choices.join(", ")),
            );
        }
    }
}
