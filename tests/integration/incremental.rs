//! Incremental builds are correct by construction, atomic, and confined to the output
//! (issue "The page as the unit"): whatever a template prints, an incremental build equals
//! a full one; a failure half-way leaves the published output whole; the build's state can
//! make it delete nothing outside the output.

use std::fs;
use std::path::{Path, PathBuf};

use crate::common::*;

/// Builds `root` into a fresh folder with `--full`, for comparing.
fn full_build(root: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    let full = root.join("full-build");
    let o = versus()
        .args(["build", "--full", "--quiet", "--root"])
        .arg(root)
        .arg("--output")
        .arg(&full)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let t = tree(&full);
    fs::remove_dir_all(&full).unwrap();
    t
}

#[test]
fn a_template_that_prints_every_code_never_gets_a_stale_page() {
    let site = mini_site();
    // A pair page that shows every code of the protocol by name (a value the default
    // template does not use).
    write(
        site.path(),
        "templates/pair.html",
        "{% extends \"base.html\" %}{% block content %}<ul>{% for c in protocol.codes %}<li>{{ c.name }}</li>{% endfor %}</ul>{% endblock content %}",
    );
    let out = site.path().join("output");
    build(site.path(), &out);
    let file = site.path().join("content/demo/20.yaml");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, text.replace("en: Twenty,", "en: Twenty renamed,")).unwrap();
    let summary = succeed(versus().args(["build", "--root"]).arg(site.path()));
    assert!(
        summary.contains("unchanged)"),
        "an incremental build: {summary}"
    );
    let page = fs::read_to_string(out.join("demo/10-vs-11/index.html")).unwrap();
    assert!(page.contains("Twenty renamed"), "{page}");
    assert!(
        tree(&out) == full_build(site.path()),
        "incremental differs from --full"
    );
}

#[test]
fn a_template_part_reaches_every_page_of_its_code_and_follows_its_edits() {
    let site = mini_site();
    write(
        site.path(),
        "templates/code-parts/tag.html",
        "<b lang=\"{{ lang }}\">{{ code.id }} {{ code.name }}</b>",
    );
    write(
        site.path(),
        "templates/pair.html",
        "{% extends \"base.html\" %}{% block content %}{{ a.parts.tag }}|{{ b.parts.tag }}{% endblock content %}",
    );
    let out = site.path().join("output");
    build(site.path(), &out);
    let page = |path: &str| fs::read_to_string(out.join(path)).unwrap();
    assert!(
        page("demo/10-vs-11/index.html")
            .contains("<b lang=\"en\">10 Ten</b>|<b lang=\"en\">11 Eleven</b>")
    );
    assert!(
        page("fr/demo/10-vs-20/index.html")
            .contains("<b lang=\"fr\">10 Ten-fr</b>|<b lang=\"fr\">20 Twenty-fr</b>")
    );
    // An edited part re-renders the pages that receive it, though no content changed.
    write(
        site.path(),
        "templates/code-parts/tag.html",
        "<i>{{ code.id }}</i>",
    );
    build(site.path(), &out);
    assert!(page("demo/11-vs-20/index.html").contains("<i>11</i>|<i>20</i>"));
    // So does a code's text that a part prints.
    let file = site.path().join("content/demo/20.yaml");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, text.replace("en: Twenty,", "en: Twenty renamed,")).unwrap();
    write(
        site.path(),
        "templates/code-parts/tag.html",
        "<i>{{ code.name }}</i>",
    );
    build(site.path(), &out);
    assert!(page("demo/10-vs-20/index.html").contains("<i>Ten</i>|<i>Twenty renamed</i>"));
    assert!(
        tree(&out) == full_build(site.path()),
        "incremental differs from --full"
    );
}

#[test]
fn an_error_half_way_through_a_build_leaves_the_published_output_whole() {
    let site = mini_site();
    let out = site.path().join("output");
    build(site.path(), &out);
    build(site.path(), &out); // now a spare tree exists beside the output
    let before = tree(&out);
    // Sabotage the tree the next build makes: a file where a page's folder must be.
    let spare = state_of(&out).join("spare");
    fs::remove_dir_all(spare.join("demo/10")).unwrap();
    fs::write(spare.join("demo/10"), "in the way").unwrap();
    let file = site.path().join("content/demo/10.yaml");
    let text = fs::read_to_string(&file).unwrap();
    fs::write(&file, text.replace("The Ten code.", "The edited Ten code.")).unwrap();

    let failed = on_site("build", site.path());
    assert_eq!(failed.status.code(), Some(1), "{}", stderr(&failed));
    assert!(
        stderr(&failed).contains("the previous output is untouched"),
        "{}",
        stderr(&failed)
    );
    assert!(tree(&out) == before, "the published output changed");

    // The next build starts from a fresh tree and succeeds.
    build(site.path(), &out);
    assert!(tree(&out) == full_build(site.path()));
}

#[test]
fn a_crafted_manifest_entry_pointing_outside_deletes_nothing() {
    let site = mini_site();
    let out = site.path().join("output");
    build(site.path(), &out);
    build(site.path(), &out);
    write(site.path(), "keep/sub/file.txt", "precious");
    let state = state_of(&out);
    let mut manifests = 0;
    for entry in fs::read_dir(&state).unwrap().flatten() {
        if entry.file_name().to_string_lossy().starts_with("manifest-") {
            let mut text = fs::read_to_string(entry.path()).unwrap();
            for escape in [
                "../keep/sub/file.txt",
                "../../keep/sub/file.txt",
                "/etc/hostname",
            ] {
                text.push_str(&format!("0000000000000000 1 1 {escape}\n"));
            }
            fs::write(entry.path(), text).unwrap();
            manifests += 1;
        }
    }
    assert_eq!(manifests, 2, "the output's and the spare's");
    let o = on_site("build", site.path());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("names a path outside the output"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        fs::read_to_string(site.path().join("keep/sub/file.txt")).unwrap(),
        "precious"
    );
    assert!(tree(&out) == full_build(site.path()));
}

#[test]
fn a_page_changed_or_removed_in_the_output_since_the_last_build_is_rewritten() {
    let site = mini_site();
    let out = site.path().join("output");
    build(site.path(), &out);
    let built = tree(&out);
    fs::remove_file(out.join("demo/10/index.html")).unwrap();
    fs::write(out.join("fr/demo/10-vs-11/index.html"), "tampered").unwrap();
    build(site.path(), &out);
    assert_eq!(tree(&out), built);
}

#[test]
fn a_page_edited_in_place_after_the_build_is_rewritten_even_at_the_same_length() {
    let site = mini_site();
    let out = site.path().join("output");
    build(site.path(), &out);
    let built = tree(&out);
    let page = out.join("demo/10-vs-11/index.html");
    let bytes = fs::read(&page).unwrap();
    let same_length = bytes
        .iter()
        .map(|&b| if b == b'a' { b'b' } else { b })
        .collect::<Vec<u8>>();
    assert_ne!(same_length, bytes);
    fs::write(&page, &same_length).unwrap();
    // Edited after the build finished: a later time than any file the build wrote.
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(5);
    fs::File::options()
        .write(true)
        .open(&page)
        .unwrap()
        .set_modified(later)
        .unwrap();
    let summary = succeed(versus().args(["build", "--root"]).arg(site.path()));
    assert!(
        summary.contains("unchanged)"),
        "an incremental build: {summary}"
    );
    assert_eq!(tree(&out), built);
}

#[test]
fn deleting_the_output_leaves_no_manifest_behind() {
    // `rm -rf output && versus build`, again and again: each build's manifest is named after
    // its tree, and one whose tree is no longer the output (or the spare) must not stay in
    // the state folder.
    let site = mini_site();
    let out = site.path().join("output");
    let manifests = || {
        fs::read_dir(state_of(&out))
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("manifest-"))
            .count()
    };
    for i in 0..3 {
        build(site.path(), &out);
        assert_eq!(manifests(), 1, "the output's own");
        // Moved away rather than deleted, so the next output cannot reuse its inode (and
        // with it the manifest's name).
        fs::rename(&out, site.path().join(format!("moved-{i}"))).unwrap();
    }
    build(site.path(), &out);
    build(site.path(), &out);
    assert_eq!(manifests(), 2, "the output's and the spare's");
}
