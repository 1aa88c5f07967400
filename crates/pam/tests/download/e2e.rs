//! The whole journey: import, cold, dry run, `pam download --tier Expedited --email …
//! --wait --json` with a real SMTP server, the restore loop in the execution history,
//! the zip checked entry by entry, the mail holding the link, and the address nowhere
//! on disk or in the logs.

use crate::helpers::*;
use serde_json::Value;
use std::time::{Duration, Instant};

/// Distinctive enough that finding its local part anywhere is a leak.
const ADDRESS: &str = "zq.leakcheck.7731@example.org";
const LOCAL_PART: &str = "zq.leakcheck.7731";

fn events_named(history: &Value, event_type: &str, state: &str) -> usize {
    history["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| {
            e["type"] == event_type
                && e.as_object()
                    .unwrap()
                    .values()
                    .any(|d| d.get("name").and_then(Value::as_str) == Some(state))
        })
        .count()
}

#[test]
fn expedited_bundle_is_restored_zipped_mailed_and_leaves_no_address() {
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let Some(assets) = assets("download_e2e") else {
        return;
    };
    let smtp = SmtpServer::start(&assets.python);
    let mut pam = Pam::new(&assets.model);
    pam.set("PAM_SMTP_URL", smtp.url());
    pam.set("RUST_LOG", "debug");
    // Restores take 4 s, so the Wait / CheckRestores loop goes round more than once.
    pam.set("PAM_RESTORE_DELAYS", "4s");
    let input = tempfile::tempdir().unwrap();
    copy_tree(&assets.photos.join("mate-backgrounds"), input.path());
    copy_tree(&assets.photos.join("palapeli-data"), input.path());
    let originals = originals(input.path());
    let (label, count) = import_and_pick_label(&pam, input.path());

    let dry = pam.json(&[
        "download",
        "--label",
        &label,
        "--tier",
        "Expedited",
        "--dry-run",
        "--json",
    ]);
    assert_eq!(dry["photos"], count, "{dry}");
    assert_eq!(dry["archived"], count, "every photo went cold: {dry}");

    let started = Instant::now();
    let args = [
        "download",
        "--label",
        &label,
        "--tier",
        "Expedited",
        "--email",
        ADDRESS,
        "--wait",
        "--json",
    ];
    let out = pam.run(&args);
    let took = started.elapsed();
    check(&out, &args);
    let job = parse(&out, &args);
    eprintln!("download of {count} photo(s) labelled {label}: {took:?}");
    assert_eq!(job["status"], "ready", "{job}");
    assert_eq!(job["photos"], count, "{job}");
    let counts = &job["counts"];
    assert_eq!(counts["matched"], dry["photos"], "{job}");
    assert_eq!(counts["archived"], dry["archived"], "{job}");
    assert_eq!(counts["restored"], dry["archived"], "{job}");
    assert_eq!(counts["zipped"], count, "{job}");
    assert!(
        took >= Duration::from_secs(4),
        "restores cannot beat their delay"
    );

    // The restore loop ran: waited, checked, waited again.
    let job_id = job["job_id"].as_str().unwrap();
    let history = pam.json(&["executions", "history", job_id, "--json"]);
    let checks = events_named(&history, "TaskStateEntered", "CheckRestores");
    let waits = events_named(&history, "WaitStateEntered", "WaitForRestores");
    assert!(checks >= 2 && waits >= 2, "{checks} checks, {waits} waits");

    // The bundle: every entry byte-identical to an original, one per matched photo.
    let bundle = &job["bundle"];
    let zip = std::path::PathBuf::from(bundle["path"].as_str().expect("bundle path"));
    assert_eq!(check_zip(&zip, &originals) as u64, count);
    assert_eq!(
        std::fs::metadata(&zip).unwrap().len(),
        bundle["size"].as_u64().unwrap()
    );
    let estimate = dry["bundle_size_estimate"].as_u64().unwrap();
    let size = bundle["size"].as_u64().unwrap();
    assert!(
        size >= dry["bytes"].as_u64().unwrap() && size.abs_diff(estimate) < 200 * count + 1024,
        "size {size}, estimate {estimate}"
    );

    // The mail reached the SMTP server, addressed to the person, holding the link.
    let mails = smtp.wait_for(1, Duration::from_secs(10));
    assert_eq!(mails.len(), 1, "{mails:?}");
    let (rcpt, body) = &mails[0];
    assert!(rcpt.contains(ADDRESS), "{rcpt}");
    let url = bundle["url"].as_str().unwrap();
    assert!(
        body.lines().any(|l| l.trim() == url),
        "the link is not alone on a line of the mail:\n{body}"
    );

    // The address is nowhere under the data dir, nor in any log line.
    assert_nowhere_under(pam.data.path(), LOCAL_PART);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("DEBUG"), "RUST_LOG=debug logged nothing");
    assert!(!stderr.contains(LOCAL_PART), "a log line holds the address");
    let listing = pam.run(&["jobs", "--json"]);
    assert!(!String::from_utf8_lossy(&listing.stdout).contains(LOCAL_PART));
}
