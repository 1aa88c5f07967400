//! Parallel and Map: the states that hold whole state machines of their own. Each branch
//! or item processor is checked recursively as its own scope; the fields around it
//! (concurrency, tolerated failures, where the items come from) are checked here.

use super::machine::{Kind, check_machine};
use super::values::{self, array, at_most_one, integer, jsonata_instead, number, path};
use super::{Ctx, Lang};
use crate::path::PathKind;
use serde_json::{Map, Value};

/// Parallel: Branches is a non-empty array of state machines.
pub(super) fn parallel(cx: &mut Ctx, loc: &str, obj: &Map<String, Value>, lang: Lang) {
    let Some(branches) = obj.get("Branches") else {
        cx.report(
            loc,
            "Branches",
            "missing: a Parallel state needs at least one branch",
        );
        return;
    };
    let Some(branches) = array(cx, loc, "Branches", branches) else {
        return;
    };
    if branches.is_empty() {
        cx.report(
            loc,
            "Branches",
            "is empty: a Parallel state needs at least one branch",
        );
    }
    for (i, branch) in branches.iter().enumerate() {
        let bloc = format!("{loc}.Branches[{i}]");
        match branch.as_object() {
            Some(b) => check_machine(cx, b, &bloc, lang, Kind::Branch),
            None => values::wrong_type(
                cx,
                loc,
                &format!("Branches[{i}]"),
                "an object with StartAt and States",
                branch,
            ),
        }
    }
}

/// Map: one item processor, where the items come from, concurrency and failure tolerance.
pub(super) fn map(cx: &mut Ctx, loc: &str, obj: &Map<String, Value>, lang: Lang) {
    let processors = ["ItemProcessor", "Iterator"];
    if at_most_one(cx, loc, obj, &processors) == 0 {
        cx.report(
            loc,
            "ItemProcessor",
            "missing: a Map state needs an ItemProcessor (or the older Iterator)",
        );
    }
    at_most_one(cx, loc, obj, &["Parameters", "ItemSelector"]);
    at_most_one(cx, loc, obj, &["MaxConcurrency", "MaxConcurrencyPath"]);
    at_most_one(
        cx,
        loc,
        obj,
        &["ToleratedFailureCount", "ToleratedFailureCountPath"],
    );
    at_most_one(
        cx,
        loc,
        obj,
        &[
            "ToleratedFailurePercentage",
            "ToleratedFailurePercentagePath",
        ],
    );
    if let Some(v) = obj.get("MaxConcurrency") {
        integer(cx, loc, "MaxConcurrency", v, 0, lang);
    }
    if let Some(v) = obj.get("ToleratedFailureCount") {
        integer(cx, loc, "ToleratedFailureCount", v, 0, lang);
    }
    if let Some(v) = obj.get("ToleratedFailurePercentage")
        && let Some(p) = number(cx, loc, "ToleratedFailurePercentage", v, 0.0, lang)
        && p > 100.0
    {
        cx.report(
            loc,
            "ToleratedFailurePercentage",
            format!("must be at most 100, found {p}"),
        );
    }
    for field in [
        "ItemsPath",
        "MaxConcurrencyPath",
        "ToleratedFailureCountPath",
        "ToleratedFailurePercentagePath",
    ] {
        if let Some(v) = obj.get(field) {
            path(cx, loc, field, v, PathKind::Reference, false);
        }
    }
    if let Some(v) = obj.get("Items")
        && !jsonata_instead(cx, loc, "Items", v, lang)
        && array(cx, loc, "Items", v).is_some()
    {
        values::jsonata(cx, loc, "Items", v);
    }
    for field in ["ItemReader", "ItemBatcher", "ResultWriter"] {
        if let Some(v) = obj.get(field) {
            values::object(cx, loc, field, v);
        }
    }
    if let Some(v) = obj.get("Label") {
        values::string(cx, loc, "Label", v);
    }
    // The processor last, so the Map's own problems come before those inside it.
    for field in processors {
        let Some(value) = obj.get(field) else {
            continue;
        };
        match value.as_object() {
            Some(p) => check_machine(cx, p, &format!("{loc}.{field}"), lang, Kind::Processor),
            None => values::wrong_type(cx, loc, field, "an object with StartAt and States", value),
        }
    }
}
