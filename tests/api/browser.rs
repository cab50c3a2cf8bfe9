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
        // A hung browser must not hang CI.
        let run = Command::new("timeout")
            .arg("120")
            .arg(&browser)
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
                "--generate-pdf-document-outline",
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

/// What the tests read from a PDF that Chromium printed: its pages in order, their height, and the
/// outline Chromium builds from the headings (each with the page it lands on and how far up).
struct Printed {
    pages: usize,
    page_height: f64,
    /// (heading, page index from 0, y from the bottom of the page in points)
    headings: Vec<(String, usize, f64)>,
}

impl Printed {
    fn read(pdf: &Path) -> Printed {
        let bytes = std::fs::read(pdf).unwrap();
        assert!(bytes.starts_with(b"%PDF-"), "{} is no PDF", pdf.display());
        // Object dictionaries are plain ASCII; compressed streams turn into noise that is skipped.
        let text = String::from_utf8_lossy(&bytes);
        let mut objects = std::collections::HashMap::new();
        for chunk in text.split("endobj") {
            let Some(at) = chunk.rfind(" 0 obj") else {
                continue;
            };
            let digits: String = chunk[..at]
                .chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .collect();
            let Ok(id) = digits.chars().rev().collect::<String>().parse::<u32>() else {
                continue;
            };
            objects.insert(id, chunk[at + 6..].to_owned());
        }
        let is_page = |body: &str| {
            body.contains("/Type /Page\n")
                || body.contains("/Type /Page/")
                || body.contains("/Type /Page ")
        };
        let root = objects
            .iter()
            .find(|(_, body)| body.contains("/Type /Pages") && !body.contains("/Parent"))
            .map(|(id, _)| *id)
            .unwrap();
        let mut order = Vec::new();
        let mut pending = vec![root];
        while let Some(id) = pending.pop() {
            let body = &objects[&id];
            if is_page(body) {
                order.push(id);
                continue;
            }
            let kids = body
                .split("/Kids [")
                .nth(1)
                .unwrap()
                .split(']')
                .next()
                .unwrap();
            let ids: Vec<u32> = kids
                .split(" 0 R")
                .filter_map(|k| k.trim().parse().ok())
                .collect();
            pending.extend(ids.into_iter().rev());
        }
        let page_height = objects[&order[0]]
            .split("/MediaBox [")
            .nth(1)
            .and_then(|b| b.split(']').next())
            .and_then(|b| b.split_whitespace().nth(3))
            .and_then(|h| h.parse().ok())
            .unwrap();
        let headings = objects
            .values()
            .filter(|body| body.contains("/Title") && body.contains("/Dest ["))
            .map(|body| {
                let dest: Vec<&str> = body
                    .split("/Dest [")
                    .nth(1)
                    .unwrap()
                    .split(']')
                    .next()
                    .unwrap()
                    .split_whitespace()
                    .collect();
                let page: u32 = dest[0].parse().unwrap();
                let y: f64 = dest[5].parse().unwrap();
                let index = order.iter().position(|p| *p == page).unwrap();
                (title(body), index, y)
            })
            .collect();
        Printed {
            pages: order.len(),
            page_height,
            headings,
        }
    }

    /// Where a heading landed: (page index, y).
    fn heading(&self, name: &str) -> (usize, f64) {
        let found = self.headings.iter().find(|(title, _, _)| title == name);
        let (_, page, y) =
            found.unwrap_or_else(|| panic!("no heading {name} in {:?}", self.headings));
        (*page, *y)
    }
}

/// An outline title: UTF-16BE in hex (`<FEFF…>`) as Chromium writes it, or a literal string.
fn title(body: &str) -> String {
    let rest = body.split("/Title").nth(1).unwrap().trim_start();
    if let Some(hex) = rest.strip_prefix('<') {
        let hex = hex.split('>').next().unwrap();
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
            .collect();
        let units: Vec<u16> = bytes[2..]
            .chunks(2)
            .map(|c| u16::from_be_bytes([c[0], c[1]]))
            .collect();
        return String::from_utf16(&units).unwrap();
    }
    rest.trim_start_matches('(')
        .split(')')
        .next()
        .unwrap()
        .to_owned()
}

/// A printed report: the summary first, then every model on a page of its own, its heading at
/// the top of that page.
fn assert_a_page_per_model(printed: &Printed, model_names: &[String], summary: &str) {
    let (summary_page, _) = printed.heading(summary);
    let mut previous = summary_page;
    for name in model_names {
        let (page, y) = printed.heading(name);
        assert!(
            page > previous,
            "{name} starts a new page ({page} after {previous})"
        );
        assert!(
            y > printed.page_height - 100.0,
            "{name} opens its page (y = {y})"
        );
        previous = page;
    }
    assert!(printed.pages > model_names.len());
}

/// Fetches an authenticated page and saves it for the browser, which cannot send the token.
async fn save_page(app: &crate::helpers::TestApp, path: &str, file: &Path) -> PathBuf {
    let response = app.get(path).send().await.unwrap();
    assert_eq!(response.status(), 200, "{path}");
    std::fs::write(file, response.text().await.unwrap()).unwrap();
    file.to_owned()
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

    // First, that a refusal would be seen: a page whose own policy blocks its stylesheet.
    let refused = dir.join("refused.html");
    std::fs::write(
        &refused,
        "<!DOCTYPE html><html lang=\"en\"><head><meta http-equiv=\"Content-Security-Policy\" \
         content=\"default-src 'none'\"><style>p{color:red}</style></head><body><p>x</p></body></html>",
    )
    .unwrap();
    let log = chromium_on(
        &browser,
        &format!("file://{}", refused.display()),
        format!("--screenshot={}", dir.join("refused.png").display()),
    )
    .await;
    assert!(
        log.contains(":CONSOLE"),
        "a CSP refusal shows in the browser's log: {log}"
    );

    let names = |lang: &'static str| {
        let app = &app;
        let results = submitted.results["results"].as_array().unwrap().clone();
        async move {
            let mut names = Vec::new();
            for model in results {
                let path = format!("/v1/models/{}", model["model_id"].as_str().unwrap());
                let response = app
                    .get(&path)
                    .header("Accept-Language", lang)
                    .send()
                    .await
                    .unwrap();
                let document: serde_json::Value = response.json().await.unwrap();
                names.push(document["name"].as_str().unwrap().to_owned());
            }
            names
        }
    };

    // The share link, as a client's board opens it: real headers, real CSP.
    let link = new_link(&app, &submitted.assessment, "nl").await;
    let url = format!("{}{}", app.address, link["path"].as_str().unwrap());
    let pdf = dir.join("share-link-nl.pdf");
    let log = chromium_on(&browser, &url, format!("--print-to-pdf={}", pdf.display())).await;
    assert_nothing_refused(&log, "share link");
    assert_a_page_per_model(&Printed::read(&pdf), &names("nl").await, "Samenvatting");
    let log = chromium_on(
        &browser,
        &url,
        format!("--screenshot={}", dir.join("share-link-nl.png").display()),
    )
    .await;
    assert_nothing_refused(&log, "share link screenshot");

    // The authenticated report, saved as a file (the browser cannot send the bearer token).
    let saved = save_page(
        &app,
        &format!("/v1/assessments/{}/report", submitted.assessment),
        &dir.join("report-en.html"),
    )
    .await;
    let file_url = format!("file://{}", saved.display());
    let pdf = dir.join("report-en.pdf");
    let log = chromium_on(
        &browser,
        &file_url,
        format!("--print-to-pdf={}", pdf.display()),
    )
    .await;
    assert_nothing_refused(&log, "saved report");
    assert_a_page_per_model(&Printed::read(&pdf), &names("en").await, "Summary");
    let log = chromium_on(
        &browser,
        &file_url,
        format!("--screenshot={}", dir.join("report-en.png").display()),
    )
    .await;
    assert_nothing_refused(&log, "saved report screenshot");

    // The client's progress report too.
    let saved = save_page(
        &app,
        &format!("/v1/clients/{}/report", submitted.client),
        &dir.join("progress-en.html"),
    )
    .await;
    let log = chromium_on(
        &browser,
        &format!("file://{}", saved.display()),
        format!("--screenshot={}", dir.join("progress-en.png").display()),
    )
    .await;
    assert_nothing_refused(&log, "progress report");
}
