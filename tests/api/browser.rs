//! The report in a real browser: headless Chromium opens a share link (served with its real
//! headers and Content-Security-Policy) and a saved copy of the authenticated report, prints both
//! to PDF and takes screenshots. Nothing may fail to load or be refused, and the PDF has a page
//! for the summary and one per model. The files stay under `target/tmp/browser/` as CI artefacts.
//!
//! Needs Debian's `chromium` (or `SMM_CHROMIUM` naming a binary). Without one the test says so
//! and passes, unless `SMM_BROWSER_TESTS=required` (as CI sets it), when it fails.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::helpers::spawn_app;
use crate::reports::submitted_assessment;
use crate::share_links::new_link;

fn chromium() -> Option<PathBuf> {
    if let Ok(path) = std::env::var("SMM_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| {
            ["chromium", "chromium-browser", "google-chrome"].map(|name| dir.join(name))
        })
        .find(|candidate| candidate.is_file())
}

fn artefacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("browser");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs headless Chromium on `url` with `output` (`--print-to-pdf=…` or `--screenshot=…`);
/// returns what it logged. Console messages are logged at INFO, so CSP refusals and failed loads
/// show up there.
async fn chromium_on(browser: &Path, url: &str, output: String) -> String {
    let browser = browser.to_owned();
    let url = url.to_owned();
    let profile = tempdir();
    tokio::task::spawn_blocking(move || {
        let run = Command::new(&browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--enable-logging=stderr",
                "--v=0",
                "--no-pdf-header-footer",
                "--window-size=1280,2400",
                &format!("--user-data-dir={}", profile.display()),
                &output,
                &url,
            ])
            .output()
            .unwrap();
        let log = String::from_utf8_lossy(&run.stderr).into_owned();
        let _ = std::fs::remove_dir_all(&profile);
        assert!(run.status.success(), "chromium failed: {log}");
        log
    })
    .await
    .unwrap()
}

fn tempdir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("smm-chromium-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn assert_nothing_refused(log: &str, what: &str) {
    let complaints: Vec<&str> = log
        .lines()
        .filter(|line| {
            line.contains(":CONSOLE")
                || line.contains("Failed to load")
                || line.contains("net::ERR_")
        })
        .collect();
    assert!(complaints.is_empty(), "{what}: {complaints:#?}");
}

/// Pages of a PDF as Chromium writes it (one `/Type /Page` object per page).
fn pages(pdf: &Path) -> usize {
    let bytes = std::fs::read(pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "{} is no PDF", pdf.display());
    let needle = b"/Type /Page";
    bytes
        .windows(needle.len() + 1)
        .filter(|w| &w[..needle.len()] == needle && w[needle.len()] != b's')
        .count()
}

#[tokio::test]
async fn a_browser_shows_and_prints_the_report_and_a_share_link() {
    let Some(browser) = chromium() else {
        assert_ne!(
            std::env::var("SMM_BROWSER_TESTS").as_deref(),
            Ok("required"),
            "no Chromium found, and CI requires the browser test"
        );
        eprintln!("skipped: no chromium on PATH (set SMM_BROWSER_TESTS=required to fail instead)");
        return;
    };
    let app = spawn_app().await;
    let submitted = submitted_assessment(&app).await;
    let dir = artefacts();

    // The share link, as a client's board opens it: real headers, real CSP.
    let link = new_link(&app, &submitted.assessment, "nl").await;
    let url = format!("{}{}", app.address, link["path"].as_str().unwrap());
    let pdf = dir.join("share-link-nl.pdf");
    let log = chromium_on(&browser, &url, format!("--print-to-pdf={}", pdf.display())).await;
    assert_nothing_refused(&log, "share link");
    let printed = pages(&pdf);
    assert!(
        (8..=40).contains(&printed),
        "{printed} pages: a summary and a page per model"
    );
    let log = chromium_on(
        &browser,
        &url,
        format!("--screenshot={}", dir.join("share-link-nl.png").display()),
    )
    .await;
    assert_nothing_refused(&log, "share link screenshot");

    // The authenticated report, saved as a file (the browser cannot send the bearer token).
    let report = app
        .get(&format!("/v1/assessments/{}/report", submitted.assessment))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let saved = dir.join("report-en.html");
    std::fs::write(&saved, report).unwrap();
    let file_url = format!("file://{}", saved.display());
    let pdf = dir.join("report-en.pdf");
    let log = chromium_on(
        &browser,
        &file_url,
        format!("--print-to-pdf={}", pdf.display()),
    )
    .await;
    assert_nothing_refused(&log, "saved report");
    assert!(pages(&pdf) >= 8);
    chromium_on(
        &browser,
        &file_url,
        format!("--screenshot={}", dir.join("report-en.png").display()),
    )
    .await;

    // The client's progress report too.
    let progress = app
        .get(&format!("/v1/clients/{}/report", submitted.client))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let saved = dir.join("progress-en.html");
    std::fs::write(&saved, progress).unwrap();
    let log = chromium_on(
        &browser,
        &format!("file://{}", saved.display()),
        format!("--screenshot={}", dir.join("progress-en.png").display()),
    )
    .await;
    assert_nothing_refused(&log, "progress report");
}
