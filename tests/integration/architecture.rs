//! The shape docs/architecture.md promises, checked on the source so that it stays true:
//! stages import only from earlier ones, only `load` and `write` touch files, the
//! orchestrator stays small and no function grows past one screen.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::repo;

/// Every `.rs` file under `src/`, with its text, except test-only files (`tests.rs`).
fn sources() -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let mut dirs = vec![repo().join("src")];
    while let Some(dir) = dirs.pop() {
        for entry in fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs")
                && path.file_name().is_some_and(|n| n != "tests.rs")
            {
                let text = fs::read_to_string(&path).unwrap();
                out.push((path, text));
            }
        }
    }
    out
}

/// The part of a file before its `#[cfg(test)]` module, if it has one.
fn non_test(text: &str) -> &str {
    text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text)
}

fn rel(path: &Path) -> String {
    path.strip_prefix(repo()).unwrap().display().to_string()
}

/// Whether `path` belongs to the stage `module` (`src/<module>.rs` or `src/<module>/…`).
fn in_stage(path: &Path, module: &str) -> bool {
    let src = repo().join("src");
    path == src.join(format!("{module}.rs")) || path.starts_with(src.join(module))
}

#[test]
fn stages_import_only_from_earlier_stages() {
    let rules: [(&str, &[&str]); 4] = [
        (
            "compare",
            &["crate::render", "crate::write", "crate::pipeline"],
        ),
        (
            "validate",
            &["crate::render", "crate::write", "crate::plan"],
        ),
        ("plan", &["crate::render", "crate::write"]),
        ("render", &["crate::write", "crate::pipeline"]),
    ];
    let mut found = Vec::new();
    for (path, text) in sources() {
        for (stage, later) in rules {
            if !in_stage(&path, stage) {
                continue;
            }
            for name in later {
                if non_test(&text).contains(name) {
                    found.push(format!("{} uses {name}", rel(&path)));
                }
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

#[test]
fn only_load_and_write_touch_files() {
    let mut found = Vec::new();
    for (path, text) in sources() {
        if ["validate", "render", "compare", "plan"]
            .iter()
            .any(|s| in_stage(&path, s))
            && ["std::fs", "fs::", "File::"]
                .iter()
                .any(|f| non_test(&text).contains(f))
        {
            found.push(rel(&path));
        }
    }
    assert!(
        found.is_empty(),
        "these files read or write files: {found:#?}"
    );
}

#[test]
fn the_orchestrator_stays_small_and_functions_fit_a_screen() {
    let pipeline = fs::read_to_string(repo().join("src/pipeline.rs")).unwrap();
    assert!(
        pipeline.lines().count() < 250,
        "src/pipeline.rs has {} lines",
        pipeline.lines().count()
    );
    // rustfmt (checked in CI) closes a function with `}` at the indentation of its `fn`.
    let mut long = Vec::new();
    for (path, text) in sources() {
        let lines: Vec<&str> = text.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let body = line.trim_start();
            let indent = &line[..line.len() - body.len()];
            let is_fn = [
                "fn ",
                "pub fn ",
                "pub(crate) fn ",
                "pub(super) fn ",
                "const fn ",
            ]
            .iter()
            .any(|p| body.starts_with(p));
            if !is_fn || body.ends_with(';') {
                continue;
            }
            let close = format!("{indent}}}");
            if let Some(end) = lines[i + 1..].iter().position(|l| *l == close) {
                let len = end + 2;
                if len > 80 {
                    long.push(format!("{}:{} is {len} lines", rel(&path), i + 1));
                }
            }
        }
    }
    assert!(long.is_empty(), "functions over 80 lines: {long:#?}");
}
