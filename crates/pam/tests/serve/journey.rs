//! The journey in real headless Chromium, driven by `frontend/e2e/journey.mjs`
//! (playwright-core): sign in → upload three real photos → labels with counts → select
//! one → email → Download → job "ready" → the link's zip holds exactly the selected
//! photos. Screenshots of every page go to `target/journey/`. Skips, naming what is
//! missing, unless PAM_REQUIRE_BROWSER=1 (scripts/ci/browser.sh installs it all).

use crate::helpers::*;
use std::path::PathBuf;
use std::process::Command;

fn which(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|d| d.join(program))
            .find(|p| p.is_file())
    })
}

#[test]
fn browser_journey() {
    let frontend = repo().join("frontend");
    let chromium = std::env::var("CHROMIUM")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from("/usr/bin/chromium"));
    let photos = real_photos(3);
    let mut missing = Vec::new();
    if which("node").is_none() {
        missing.push("node (apt-get install nodejs)".to_owned());
    }
    if !chromium.is_file() {
        missing.push(format!("{} (apt-get install chromium)", chromium.display()));
    }
    for module in ["playwright-core", "@axe-core/playwright"] {
        if !frontend.join("node_modules").join(module).is_dir() {
            missing.push(format!(
                "frontend/node_modules/{module} (npm ci in frontend)"
            ));
        }
    }
    if !frontend.join("dist/index.html").is_file() {
        missing.push("frontend/dist (npm run build in frontend)".to_owned());
    }
    if !model_path().is_file() {
        missing.push("the model (scripts/fetch-model.sh)".to_owned());
    }
    if photos.len() < 3 {
        missing.push("three photos in .cache/photos (scripts/fetch-photos.sh)".to_owned());
    }
    if !require(
        "browser_journey (scripts/ci/browser.sh installs it all)",
        &missing,
        "PAM_REQUIRE_BROWSER",
    ) {
        return;
    }
    let out_dir = repo().join("target/journey");
    let _ = std::fs::remove_dir_all(&out_dir);
    std::fs::create_dir_all(&out_dir).unwrap();
    let server = Server::start(&frontend.join("dist"));
    let password = server.admin_password.clone().unwrap();
    let joined: Vec<String> = photos.iter().map(|p| p.display().to_string()).collect();
    let status = Command::new("node")
        .arg(frontend.join("e2e/journey.mjs"))
        .current_dir(&frontend)
        .env("BASE_URL", &server.url)
        .env("USERNAME", "admin")
        .env("PASSWORD", &password)
        .env("PHOTOS", joined.join(","))
        .env("OUT_DIR", &out_dir)
        .env("CHROMIUM", &chromium)
        .env("TIMEOUT_MS", "300000")
        .status()
        .expect("node runs");
    let summary = std::fs::read_to_string(out_dir.join("journey.json")).unwrap_or_default();
    assert!(
        status.success(),
        "the browser journey failed; see {}: {summary}",
        out_dir.display()
    );
    let shots: Vec<_> = std::fs::read_dir(&out_dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".png"))
        .collect();
    for page in [
        "signin",
        "upload",
        "labels",
        "job-ready",
        "outbox",
        "executions",
        "execution-history",
    ] {
        assert!(
            shots.iter().any(|s| s.contains(page)),
            "no screenshot of {page} in {shots:?}"
        );
    }
    eprintln!(
        "journey screenshots in {}: {}",
        out_dir.display(),
        shots.join(", ")
    );
}
