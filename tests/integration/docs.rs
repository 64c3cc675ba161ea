//! The documents a new user reads: the README's commands are the ones CI and the deploy
//! workflow run, and no link in the README or docs/ leads outside the repository.

use std::fs;

use serde_json::Value;

use crate::common::repo;

/// The first code block of the README: the commands a new user runs first.
fn readme_commands() -> Vec<String> {
    let readme = fs::read_to_string(repo().join("README.md")).unwrap();
    let block = readme.split("```").nth(1).expect("a code block");
    block
        .lines()
        .skip(1)
        .map(|l| l.split('#').next().unwrap().trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn the_readme_starts_with_the_build_and_the_test_command() {
    assert_eq!(
        readme_commands(),
        ["cargo run --release -- build", "cargo test"]
    );
}

#[test]
fn the_pages_workflow_is_valid_yaml_and_builds_with_the_readme_command() {
    let text = fs::read_to_string(repo().join(".github/workflows/pages.yml")).unwrap();
    let workflow: Value = serde_saphyr::from_str(&text).expect("valid YAML");
    let steps = workflow["jobs"]["build"]["steps"]
        .as_array()
        .expect("build steps");
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    let build = &readme_commands()[0];
    assert!(runs.iter().any(|r| r.trim() == build), "{runs:?}");
    let uses: Vec<&str> = steps.iter().filter_map(|s| s["uses"].as_str()).collect();
    assert!(
        uses.iter()
            .any(|u| u.starts_with("actions/upload-pages-artifact")),
        "{uses:?}"
    );
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-pages-artifact"))
        })
        .unwrap();
    assert_eq!(upload["with"]["path"], "output");
    // The marker is removed before the upload.
    assert!(
        runs.iter()
            .any(|r| r.contains("rm -f output/.versus-output"))
    );
    let deploy = workflow["jobs"]["deploy"]["steps"][0]["uses"]
        .as_str()
        .unwrap();
    assert!(deploy.starts_with("actions/deploy-pages"), "{deploy}");
}

#[test]
fn links_in_the_readme_and_docs_stay_in_the_repository() {
    let root = repo();
    let mut files = vec![root.join("README.md")];
    for e in fs::read_dir(root.join("docs")).unwrap() {
        files.push(e.unwrap().path());
    }
    let mut checked = 0;
    for file in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "md"))
    {
        let text = fs::read_to_string(file).unwrap();
        for part in text.split("](").skip(1) {
            let target = &part[..part.find(')').unwrap()];
            if target.starts_with("http://")
                || target.starts_with("https://")
                || target.starts_with('#')
            {
                continue;
            }
            let path = target.split('#').next().unwrap();
            let resolved = file.parent().unwrap().join(path);
            let inside = resolved
                .canonicalize()
                .is_ok_and(|p| p.starts_with(root.canonicalize().unwrap()));
            assert!(
                inside,
                "{}: link to {target} leads outside the repository or nowhere",
                file.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 5, "{checked} links checked");
}
