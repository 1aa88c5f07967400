//! Conformance against executions recorded on real AWS Step Functions
//! (`<workspace>/../shared/asl-conformance/cases.jsonl`). Status and error are compared
//! exactly, output as JSON values; cause is counted apart (its wording cites event ids).
//! Prints the pass rate overall, JSONata vs the rest and per feature, writes the table to
//! `target/asl-conformance.md`, and requires every non-JSONata case to pass.

use pam_asl::{ExecutionStatus, NoInvoker, Outcome, VirtualClock, run_definition};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

#[derive(Default)]
struct Tally {
    total: usize,
    passed: usize,
}

impl Tally {
    fn add(&mut self, ok: bool) {
        self.total += 1;
        self.passed += usize::from(ok);
    }

    fn rate(&self) -> String {
        if self.total == 0 {
            return "-".into();
        }
        format!(
            "{}/{} ({:.1}%)",
            self.passed,
            self.total,
            100.0 * self.passed as f64 / self.total as f64
        )
    }
}

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

async fn run_case(case: &Value) -> Outcome {
    let definition = &case["definition"];
    let input = case.get("input").cloned().unwrap_or(Value::Null);
    let run = run_definition(
        definition,
        input,
        Arc::new(VirtualClock::default()),
        Arc::new(NoInvoker),
    );
    match tokio::time::timeout(Duration::from_secs(20), run).await {
        Ok(Ok((outcome, _))) => outcome,
        Ok(Err(e)) => Outcome {
            status: ExecutionStatus::Failed,
            output: None,
            error: Some("InvalidDefinition".into()),
            cause: Some(e.to_string()),
        },
        Err(_) => Outcome {
            status: ExecutionStatus::Failed,
            output: None,
            error: Some("TestTimeout".into()),
            cause: Some("the case did not finish within 20 s".into()),
        },
    }
}

/// Status + output/error agree (cause excluded).
fn matches(expected: &Value, got: &Outcome) -> bool {
    if expected["status"].as_str() != Some(got.status.as_str()) {
        return false;
    }
    if got.status == ExecutionStatus::Succeeded {
        return Some(&expected["output"]) == got.output.as_ref();
    }
    expected.get("error").and_then(Value::as_str) == got.error.as_deref()
}

#[tokio::test]
async fn conformance_with_recorded_aws_outcomes() {
    let path = workspace().join("../shared/asl-conformance/cases.jsonl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("skipping: {} not found", path.display());
        return;
    };
    let mut overall = Tally::default();
    let mut by_lang: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut by_feature: BTreeMap<String, Tally> = BTreeMap::new();
    let mut causes = Tally::default();
    let mut failures = Vec::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: Value = serde_json::from_str(line).expect("cases.jsonl line is JSON");
        let id = case["id"].as_str().unwrap_or("?").to_string();
        let features: Vec<String> = case["features"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|f| f.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        let jsonata = features.iter().any(|f| f == "JSONata");
        let expected = &case["expected"];
        let got = run_case(&case).await;
        let ok = matches(expected, &got);
        overall.add(ok);
        by_lang
            .entry(if jsonata {
                "JSONata"
            } else {
                "JSONPath (non-JSONata)"
            })
            .or_default()
            .add(ok);
        for f in &features {
            by_feature.entry(f.clone()).or_default().add(ok);
        }
        if let Some(cause) = expected.get("cause").and_then(Value::as_str) {
            let same = got.cause.as_deref() == Some(cause);
            causes.add(same);
            if !same && ok {
                println!("CAUSE {id}\n  expected {cause}\n  got      {:?}", got.cause);
            }
        }
        if !ok {
            failures.push((jsonata, id, expected.clone(), got.to_json()));
        }
    }

    let mut report = String::from("# ASL conformance\n\n");
    report.push_str(
        "Cases recorded on AWS Step Functions; status and output/error compared exactly.\n\n",
    );
    report.push_str(&format!(
        "| Set | Passed |\n|---|---|\n| all | {} |\n",
        overall.rate()
    ));
    for (lang, t) in &by_lang {
        report.push_str(&format!("| {lang} | {} |\n", t.rate()));
    }
    report.push_str(&format!(
        "| cause text (cases that record one) | {} |\n\n",
        causes.rate()
    ));
    report.push_str("| Feature | Passed |\n|---|---|\n");
    for (f, t) in &by_feature {
        report.push_str(&format!("| {f} | {} |\n", t.rate()));
    }
    println!("{report}");
    for (jsonata, id, expected, got) in &failures {
        let tag = if *jsonata { "JSONata" } else { "JSONPath" };
        println!("FAIL [{tag}] {id}\n  expected {expected}\n  got      {got}");
    }
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace().join("target"), PathBuf::from);
    if let Err(e) = std::fs::create_dir_all(&target)
        .and_then(|()| std::fs::write(target.join("asl-conformance.md"), &report))
    {
        println!("could not write the table: {e}");
    }
    let non_jsonata_failures: Vec<_> = failures
        .iter()
        .filter(|f| !f.0)
        .map(|f| f.1.clone())
        .collect();
    assert!(
        non_jsonata_failures.is_empty(),
        "non-JSONata cases failing: {non_jsonata_failures:?}"
    );
}
