//! The author's workflow: `init`, `new`, `check` and `serve` with live reload.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::Stdio;
use std::time::{Duration, Instant};

use crate::common::*;

#[test]
fn init_creates_a_site_that_builds_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("site");
    let o = run(&["init", dir.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    build(&dir, &dir.join("output"));
    assert!(dir.join("output/ftp/200-vs-421/index.html").is_file());
    assert!(
        dir.join("templates/pair.html").is_file(),
        "templates are there to edit"
    );
    let check = versus()
        .args(["check", "--strict", "--root"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "a new site is complete: {}",
        stderr(&check)
    );
    let again = run(&["init", dir.to_str().unwrap()]);
    assert_eq!(
        again.status.code(),
        Some(2),
        "refuses a non-empty directory"
    );
}

#[test]
fn new_writes_every_field_and_language() {
    let site = shipped_site(&["ftp"]);
    let root = site.path().to_str().unwrap();
    let o = run(&["new", "ftp", "299", "--root", root]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(site.path().join("content/ftp/299.yaml")).unwrap();
    for field in [
        "name:",
        "description:",
        "when:",
        "fix:",
        "condition:",
        "references:",
        "status:",
        "facts:",
        "retry:",
        "closes_connection:",
        "commands:",
    ] {
        assert!(text.contains(field), "{field} missing:\n{text}");
    }
    for lang in ["en", "zh"] {
        let fields = text
            .lines()
            .filter(|l| *l == format!("  {lang}: \"\""))
            .count();
        let facts = text
            .lines()
            .filter(|l| *l == format!("    {lang}: \"\""))
            .count();
        // Five texts; one free-text fact (`commands`) in every language.
        assert_eq!((fields, facts), (5, 1), "{lang}:\n{text}");
    }
    // A typed fact offers its values.
    assert!(
        text.contains("  retry: \"\"  # one of: not-needed,"),
        "{text}"
    );
    // The new file is valid YAML of the right shape: check only says what is empty.
    let check = versus().args(["check", "--root", root]).output().unwrap();
    assert_eq!(check.status.code(), Some(1));
    let err = stderr(&check);
    assert!(err.contains("content/ftp/299.yaml:6:3"), "{err}");
    assert!(err.contains("the `en` text is empty"), "{err}");

    let again = run(&["new", "ftp", "299", "--root", root]);
    assert_eq!(again.status.code(), Some(2), "refuses to overwrite");
    for bad in ["999", "2 9", "../x"] {
        let o = run(&["new", "ftp", bad, "--root", root]);
        assert_eq!(o.status.code(), Some(2), "{bad}: {}", stderr(&o));
    }
}

#[test]
fn check_passes_a_good_site_and_strict_fails_on_fallbacks() {
    let site = mini_site();
    let root = site.path().to_str().unwrap();
    let o = run(&["check", "--root", root]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("translations:"), "{out}");
    assert!(out.contains("falls back: content/demo/10.yaml"), "{out}");
    assert!(!site.path().join("output").exists(), "check writes nothing");
    let strict = run(&["check", "--strict", "--root", root]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(
        stderr(&strict).contains("translation fallbacks"),
        "{}",
        stderr(&strict)
    );
}

#[test]
fn check_finds_broken_links_and_anchors() {
    let site = mini_site();
    write(
        site.path(),
        "templates/code.html",
        "{% extends \"base.html\" %}{% block content %}<a href=\"{{ page.root }}demo/99/\">x</a><a href=\"{{ page.root }}demo/#nowhere\">y</a>{% endblock content %}",
    );
    let o = run(&["check", "--root", site.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("links to /demo/99/, which the site does not have"),
        "{err}"
    );
    assert!(
        err.contains("/demo/#nowhere, which has no such id"),
        "{err}"
    );
}

#[test]
fn check_reports_every_broken_file_in_one_run() {
    let site = mini_site();
    write(site.path(), "content/demo/10.yaml", "name: Ten\nwhen: [\n");
    write(
        site.path(),
        "content/demo/11.yaml",
        "name: x\ndescription: d\nwhen: w\nfix: f\nfacts: {retyr: No}\n",
    );
    let o = run(&["check", "--root", site.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("content/demo/10.yaml:"), "{err}");
    assert!(err.contains("content/demo/11.yaml:5:9"), "{err}");
    assert!(err.contains("2 errors"), "{err}");
}

#[test]
fn completions_and_man_page_come_from_the_cli_definition() {
    let o = run(&["completions", "bash"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("serve"));
    let o = run(&["man"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains(".TH versus"));
}

/// A `versus serve` child process, stopped when dropped: with Ctrl-C's signal (so it removes
/// its preview folder), then killed if it is still running.
#[test]
fn serve_rebuilds_on_change_and_reloads_the_page() {
    let site = mini_site();
    let (_server, port) = serve(site.path());
    let start = Instant::now();
    let (status, page) = loop {
        if let Some(r) = get(port, "/demo/10-vs-20/") {
            break r;
        }
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "server did not start"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status, 200);
    assert!(page.contains("The Ten code."), "{page}");
    assert!(page.contains("/__versus/events"), "reload script injected");

    let mut events = TcpStream::connect(("127.0.0.1", port)).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    write!(
        events,
        "GET /__versus/events HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    let mut events = BufReader::new(events);
    let mut line = String::new();
    while !line.starts_with(": connected") {
        line.clear();
        events.read_line(&mut line).unwrap();
    }

    let edited = Instant::now();
    write(
        site.path(),
        "content/demo/10.yaml",
        "name: Ten\ndescription: The edited Ten code. More.\nwhen: w\nfix: f\nfacts:\n  retry: \"No\"\n",
    );
    loop {
        line.clear();
        events
            .read_line(&mut line)
            .expect("reload event within 5 s");
        if line.starts_with("data: reload") {
            break;
        }
    }
    loop {
        let (_, page) = get(port, "/demo/10-vs-20/").unwrap();
        if page.contains("The edited Ten code.") {
            break;
        }
        assert!(
            edited.elapsed() < Duration::from_secs(2),
            "new text not served within 2 s"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
    assert!(edited.elapsed() < Duration::from_secs(2));

    for path in [
        "/../Cargo.toml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/demo/..%2f..%2fcontent/site.yaml",
    ] {
        let (status, _) = get(port, path).unwrap();
        assert!(status == 403 || status == 404, "{path}: {status}");
    }
    let (status, body) = get(port, "/no/such/page/").unwrap();
    assert_eq!(status, 404);
    assert!(body.contains("Page not found"), "the site's 404 page");
}

#[test]
fn serve_shows_a_failed_rebuild_over_the_last_good_build() {
    let site = mini_site();
    let (_server, port) = serve(site.path());
    write(site.path(), "content/demo/11.yaml", "name: [\n");
    let edited = Instant::now();
    loop {
        let (status, page) = get(port, "/demo/10-vs-11/").unwrap();
        if page.contains("versus-errors") {
            assert_eq!(status, 200, "the last good page is still served");
            assert!(page.contains("content/demo/11.yaml"), "{page}");
            assert!(page.contains("The Ten code."), "last good build underneath");
            break;
        }
        assert!(
            edited.elapsed() < Duration::from_secs(5),
            "no error overlay"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Runs `versus` with its standard output closed before it writes (as `versus check | true`
/// does): it must end quietly, with 0 and no panic.
fn with_closed_stdout(args: &[&str]) -> std::process::Output {
    let mut child = versus()
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    child.wait_with_output().unwrap()
}

#[test]
fn a_closed_standard_output_ends_quietly() {
    let site = mini_site();
    let root = site.path().to_str().unwrap();
    for args in [
        vec!["check", "--root", root],
        vec!["man"],
        vec!["completions", "bash"],
        vec!["build", "--root", root],
    ] {
        let o = with_closed_stdout(&args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        assert!(!stderr(&o).contains("panicked"), "{args:?}: {}", stderr(&o));
    }
}
