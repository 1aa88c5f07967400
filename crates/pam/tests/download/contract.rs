//! The CLI's stable contract: bad input exits 2 with a message naming the problem
//! (and never the address); empty listings; the queued (no `--wait`) path and its
//! JSON shape; `pam jobs ID --wait` running a queued job; `pam executions`.

use crate::helpers::*;
use serde_json::Value;
use std::path::Path;

/// Runs pam in an empty data dir (no model needed) and expects exit 2 with `needle`.
fn refused(pam: &Pam, args: &[&str], needle: &str) {
    let out = pam.run(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "pam {args:?}: {stderr}");
    assert!(
        stderr.contains(needle),
        "pam {args:?}: {stderr:?} lacks {needle:?}"
    );
    assert!(
        !stderr.contains("secret.person"),
        "the address was echoed: {stderr}"
    );
    assert!(
        out.stdout.is_empty(),
        "pam {args:?} printed {:?}",
        out.stdout
    );
}

#[test]
fn bad_input_exits_2_naming_the_problem() {
    let pam = Pam::new(Path::new("/nonexistent/model.onnx"));
    let ok = [
        "--label",
        "Mountain",
        "--email",
        "secret.person@example.com",
    ];
    let with = |extra: &[&'static str]| -> Vec<&'static str> {
        let mut v = vec!["download"];
        v.extend(ok);
        v.extend(extra);
        v
    };
    refused(&pam, &["download", "--email", "a@example.com"], "--label");
    refused(
        &pam,
        &[
            "download",
            "--label",
            "Mountain",
            "--email",
            "secret.person@nowhere",
        ],
        "invalid email address",
    );
    refused(
        &pam,
        &["download", "--label", "Mountain", "--phone", "12345"],
        "invalid phone number",
    );
    refused(
        &pam,
        &["download", "--label", "Mountain"],
        "--email ADDRESS or --phone",
    );
    refused(
        &pam,
        &[
            "download",
            "--label",
            "M",
            "--email",
            "a@example.com",
            "--phone",
            "+14155550123",
        ],
        "cannot be used with",
    );
    refused(&pam, &with(&["--tier", "Fast"]), "--tier");
    refused(&pam, &with(&["--match", "some"]), "--match");
    refused(&pam, &with(&["--link-ttl", "8d"]), "7 days");
    refused(&pam, &with(&["--link-ttl", "soon"]), "--link-ttl");
    refused(&pam, &with(&[]), "unknown label: \"Mountain\"");
    refused(&pam, &with(&["--wait"]), "unknown label: \"Mountain\"");
    refused(
        &pam,
        &[
            "download",
            "--label",
            "Mountain",
            "--dry-run",
            "--match",
            "x",
        ],
        "--match",
    );
    refused(
        &pam,
        &["jobs", "no-such-job"],
        "no download job no-such-job",
    );
    refused(&pam, &["jobs", "bad id!"], "invalid job id");
    refused(&pam, &["jobs", "--wait"], "JOB_ID");
    refused(
        &pam,
        &["executions", "history", "nope"],
        "no execution named",
    );
}

#[test]
fn empty_listings_have_their_shapes() {
    let pam = Pam::new(Path::new("/nonexistent/model.onnx"));
    assert_eq!(
        pam.json(&["jobs", "--json"]),
        serde_json::json!({"jobs": []})
    );
    assert_eq!(
        pam.json(&["executions", "--json"]),
        serde_json::json!({"executions": []})
    );
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    k.sort();
    k
}

#[test]
fn a_queued_download_runs_when_the_engine_runs_and_matches_its_dry_run() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let Some(assets) = assets("download_contract") else {
        return;
    };
    let pam = Pam::new(&assets.model);
    let input = tempfile::tempdir().unwrap();
    copy_tree(&assets.photos.join("palapeli-data"), input.path());
    let (label, count) = import_and_pick_label(&pam, input.path());
    let dry = pam.json(&["download", "--label", &label, "--dry-run", "--json"]);
    assert_eq!(
        keys(&dry),
        [
            "already_restored",
            "archived",
            "archived_by_class",
            "bundle_size_estimate",
            "bytes",
            "dry_run",
            "labels",
            "match",
            "photos",
            "tier",
            "tiers"
        ]
    );
    assert_eq!(dry["photos"], count);
    assert_eq!(
        dry["archived_by_class"]["GLACIER"]["photos"], count,
        "{dry}"
    );
    let tiers = dry["tiers"].as_array().unwrap();
    assert_eq!(tiers.len(), 3);
    for t in tiers {
        assert!(t["aws_cost_usd"].as_f64().unwrap() >= 0.0);
        assert!(t["aws_expected_wait_seconds"].as_i64().unwrap() >= 300);
    }

    // Without --wait: queued, shape as the contract says, bundle null.
    let args = [
        "download",
        "--label",
        &label,
        "--phone",
        "+14155550123",
        "--link-ttl",
        "6s",
        "--json",
    ];
    let out = pam.run(&args);
    check(&out, &args);
    let queued = parse(&out, &args);
    assert!(String::from_utf8_lossy(&out.stderr).contains("pam serve"));
    for key in [
        "job_id", "status", "photos", "bundle", "counts", "error", "stage",
    ] {
        assert!(queued.get(key).is_some(), "{key} missing: {queued}");
    }
    assert_eq!(queued["status"], "queued");
    assert!(queued["bundle"].is_null());
    assert_eq!(queued["execution_status"], "RUNNING");
    let job_id = queued["job_id"].as_str().unwrap();
    let listed = pam.json(&["jobs", "--json"]);
    assert_eq!(listed["jobs"][0]["job_id"], job_id);

    // The engine runs it (here: `pam jobs ID --wait`); counts equal the dry run's.
    let done = pam.json(&["jobs", job_id, "--wait", "--json"]);
    assert_eq!(done["status"], "ready", "{done}");
    assert_eq!(done["photos"], dry["photos"]);
    assert_eq!(done["counts"]["archived"], dry["archived"]);
    assert_eq!(done["notify"], "phone");
    let bundle = &done["bundle"];
    assert_eq!(keys(bundle), ["expires_at", "parts", "path", "size", "url"]);
    assert!(bundle["url"].as_str().unwrap().contains("X-Pam-Signature="));
    assert!(bundle["size"].as_u64().unwrap() >= dry["bytes"].as_u64().unwrap());
    // No SMTP and no webhook configured: the SMS went to the outbox, without the number.
    let outbox = files(&pam.data.path().join("outbox"));
    assert_eq!(outbox.len(), 1, "{outbox:?}");
    assert_nowhere_under(pam.data.path(), "4155550123");

    // Once the link has expired, the next engine-running command deletes the bundle.
    let zip = std::path::PathBuf::from(bundle["path"].as_str().unwrap());
    assert!(zip.is_file());
    std::thread::sleep(std::time::Duration::from_secs(7));
    let expired = pam.json(&["jobs", job_id, "--wait", "--json"]);
    assert!(expired["bundle"]["path"].is_null(), "{expired}");
    assert!(!zip.exists(), "the expired bundle's file is still there");

    let executions = pam.json(&["executions", "--json"]);
    let first = &executions["executions"][0];
    assert_eq!(
        keys(first),
        [
            "executionArn",
            "name",
            "startDate",
            "stateMachineArn",
            "status",
            "stopDate"
        ]
    );
    assert_eq!(first["name"], job_id);
    assert_eq!(first["status"], "SUCCEEDED");
}
