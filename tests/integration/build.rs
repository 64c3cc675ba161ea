//! Building real sites into temporary directories: output layout, determinism, stale files,
//! failed builds and foreign output directories (SPEC §3).

use std::fs;

use crate::common::*;

#[test]
fn builds_every_page_of_a_site() {
    let site = mini_site();
    let out = site.path().join("output");
    let o = build(site.path(), &out);
    assert!(o.stdout.is_empty(), "--quiet prints nothing");
    for page in [
        "index.html",
        "demo/index.html",
        "demo/10/index.html",
        "demo/10-vs-11/index.html",
        "demo/10-vs-20/index.html",
        "demo/11-vs-20/index.html",
        "fr/index.html",
        "fr/demo/11-vs-20/index.html",
        "404.html",
        "robots.txt",
        "sitemap.xml",
        "assets/style.css",
    ] {
        assert!(out.join(page).is_file(), "{page} missing");
    }
    assert!(
        !out.join("demo/11-vs-10").exists(),
        "pairs are unordered, smaller code first"
    );
    let robots = fs::read_to_string(out.join("robots.txt")).unwrap();
    assert!(
        robots.contains("Sitemap: https://demo.example/sitemap.xml"),
        "{robots}"
    );
}

#[test]
fn summary_counts_pages_by_kind_and_language_and_fallbacks() {
    let site = mini_site();
    let s = succeed(versus().args(["build", "--root"]).arg(site.path()));
    assert!(s.contains("built 16 pages in 2 languages"), "{s}");
    assert!(s.contains("3 pair"), "{s}");
    assert!(s.contains("fallbacks"), "fr falls back: {s}");
}

#[test]
fn fallbacks_are_marked_with_the_default_language() {
    let site = mini_site();
    let out = site.path().join("output");
    build(site.path(), &out);
    let fr = fs::read_to_string(out.join("fr/demo/10-vs-20/index.html")).unwrap();
    assert!(fr.contains("<html lang=\"fr\""), "{fr}");
    assert!(
        fr.contains("<span lang=\"en\">Key differences</span>"),
        "locale words fall back"
    );
    assert!(
        fr.contains("<div lang=\"en\"><p>The Ten code."),
        "content falls back"
    );
    assert!(fr.contains("Ten-fr"), "own translations are used");
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let site = shipped_site(&["ftp"]);
    let one = site.path().join("one");
    let two = site.path().join("two");
    for (out, threads) in [(&one, "1"), (&two, "2")] {
        let o = versus()
            .env("RAYON_NUM_THREADS", threads)
            .args(["build", "--quiet", "--root"])
            .arg(site.path())
            .arg("--output")
            .arg(out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let (a, b) = (tree(&one), tree(&two));
    assert!(
        a.len() > 3000,
        "the FTP site has thousands of pages: {}",
        a.len()
    );
    assert!(a == b, "trees differ");
}

#[test]
fn a_removed_code_leaves_none_of_its_pages() {
    let site = mini_site();
    let out = site.path().join("output");
    build(site.path(), &out);
    assert!(out.join("demo/20/index.html").exists());
    fs::remove_file(site.path().join("content/demo/20.yaml")).unwrap();
    build(site.path(), &out);
    let left: Vec<_> = tree(&out)
        .into_keys()
        .filter(|p| p.to_string_lossy().contains("20"))
        .collect();
    assert!(left.is_empty(), "stale pages: {left:?}");
    assert!(out.join("demo/10-vs-11/index.html").exists());
}

/// Builds the mini site, breaks `template` with `text`, and checks that the rebuild fails
/// with exit 1 and leaves the output and its surroundings as they were. Returns stderr.
fn failed_build_keeps_output(template: &str, text: &str) -> String {
    let site = mini_site();
    let out = site.path().join("output");
    build(site.path(), &out);
    let before = tree(&out);
    write(site.path(), template, text);
    let o = on_site("build", site.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(tree(&out) == before, "output changed");
    let siblings: Vec<_> = fs::read_dir(site.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(
        !siblings
            .iter()
            .any(|n| n.to_string_lossy().contains("versus-")),
        "{siblings:?}"
    );
    stderr(&o)
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let err = failed_build_keeps_output(
        "templates/pair.html",
        "{% extends \"base.html\" %}{% block content %}{{ nope( }}{% endblock content %}",
    );
    assert!(err.contains("templates/pair.html:1:"), "{err}");
}

#[test]
fn a_render_error_also_leaves_the_output_untouched() {
    failed_build_keeps_output(
        "templates/code.html",
        "{% extends \"base.html\" %}{% block content %}{{ code.name | no_such_filter }}{% endblock content %}",
    );
}

#[test]
fn a_broken_template_part_fails_the_build_at_its_line() {
    let err = failed_build_keeps_output(
        "templates/code-parts/card.html",
        "<section>\n{{ code.nope.deeper }}</section>\n",
    );
    assert!(err.contains("templates/code-parts/card.html:2:"), "{err}");
}

#[test]
fn a_broken_404_page_fails_the_build_and_is_reported_by_check_with_the_rest() {
    let broken = "{% extends \"base.html\" %}{% block content %}{{ page.nope.deeper }}{% endblock content %}";
    let err = failed_build_keeps_output("templates/404.html", broken);
    assert!(err.contains("404.html"), "{err}");
    // `check` reports it alongside what it finds on the pages (here a broken link).
    let site = mini_site();
    write(site.path(), "templates/404.html", broken);
    write(
        site.path(),
        "templates/code.html",
        "{% extends \"base.html\" %}{% block content %}<a href=\"nowhere/\">x</a>{% endblock content %}",
    );
    let o = on_site("check", site.path());
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("404.html"), "{}", stderr(&o));
    assert!(stderr(&o).contains("nowhere/"), "{}", stderr(&o));
}

#[test]
fn a_foreign_output_directory_is_refused_and_untouched() {
    let site = mini_site();
    let foreign = site.path().join("docs");
    write(&foreign, "mine.txt", "precious");
    let o = versus()
        .args(["build", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(&foreign)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("not created by Versus"),
        "{}",
        stderr(&o)
    );
    assert_eq!(tree(&foreign).len(), 1);
}

#[test]
fn dot_files_at_the_top_of_the_output_are_kept() {
    let site = mini_site();
    let out = site.path().join("output");
    build(site.path(), &out);
    write(&out, ".git/HEAD", "ref: refs/heads/gh-pages\n");
    write(&out, ".nojekyll", "");
    build(site.path(), &out);
    assert_eq!(
        fs::read_to_string(out.join(".git/HEAD")).unwrap(),
        "ref: refs/heads/gh-pages\n"
    );
    assert!(out.join(".nojekyll").exists());
}

#[test]
fn pages_link_only_within_the_site_and_request_nothing_elsewhere() {
    let site = shipped_site(&["ftp"]);
    let out = site.path().join("output");
    build(site.path(), &out);
    let page = fs::read_to_string(out.join("ftp/200-vs-421/index.html")).unwrap();
    for needle in ["<img", "<iframe", "//fonts."] {
        assert!(!page.contains(needle), "{needle}");
    }
    // Two scripts: the site's own, and structured data that runs nothing.
    let scripts: Vec<&str> = page
        .split("<script")
        .skip(1)
        .map(|s| &s[..s.find('>').unwrap()])
        .collect();
    assert_eq!(
        scripts,
        [
            " src=\"../../assets/versus.js\" defer",
            " type=\"application/ld+json\""
        ]
    );
    assert!(page.contains("href=\"../../assets/style.css\""));
    assert!(
        page.contains(
            "<link rel=\"canonical\" href=\"https://codes.example.org/ftp/200-vs-421/\">"
        )
    );
    assert!(
        page.contains("hreflang=\"zh-Hans\" href=\"https://codes.example.org/zh/ftp/200-vs-421/\"")
    );
    assert!(
        page.contains("hreflang=\"x-default\" href=\"https://codes.example.org/ftp/200-vs-421/\"")
    );
}

#[test]
fn sitemap_lists_every_page_with_its_alternates() {
    let site = mini_site();
    let out = site.path().join("output");
    build(site.path(), &out);
    let sm = fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert_eq!(sm.matches("<url>").count(), 16);
    assert!(sm.contains("<loc>https://demo.example/fr/demo/10-vs-11/</loc><xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://demo.example/demo/10-vs-11/\"/>"), "{sm}");
}

#[test]
fn base_url_can_be_overridden() {
    let site = mini_site();
    let out = site.path().join("output");
    let o = versus()
        .args([
            "build",
            "--quiet",
            "--base-url",
            "https://preview.example/",
            "--root",
        ])
        .arg(site.path())
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let home = fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("href=\"https://preview.example/\""), "{home}");
}

/// Every file of a tree but Versus's own state files (marker, manifest).
fn site_files(dir: &std::path::Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    tree(dir)
        .into_iter()
        .filter(|(p, _)| !p.to_string_lossy().starts_with(".versus-"))
        .collect()
}

#[test]
fn shards_together_equal_a_full_build() {
    let site = shipped_site(&["ftp"]);
    let full = site.path().join("full");
    build(site.path(), &full);
    let mut union = std::collections::BTreeMap::new();
    for k in 1..=3 {
        let out = site.path().join(format!("shard{k}"));
        let o = versus()
            .args(["build", "--quiet", "--shard", &format!("{k}/3"), "--root"])
            .arg(site.path())
            .arg("--output")
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        let files = site_files(&out);
        assert!(
            files.len() > 1000,
            "each shard has a third of the pages: {}",
            files.len()
        );
        for (path, bytes) in files {
            assert!(
                union.insert(path.clone(), bytes).is_none(),
                "{} written by two shards",
                path.display()
            );
        }
    }
    assert!(
        union == site_files(&full),
        "the union of the shards differs from the full build"
    );
    let bad = run(&[
        "build",
        "--shard",
        "4/3",
        "--root",
        site.path().to_str().unwrap(),
    ]);
    assert_eq!(bad.status.code(), Some(2), "{}", stderr(&bad));
}

#[cfg(unix)]
#[test]
fn an_edit_rebuilds_only_the_pages_that_show_the_code() {
    use std::os::unix::fs::MetadataExt;
    let site = shipped_site(&["ftp"]);
    let out = site.path().join("output");
    build(site.path(), &out);
    let stamp =
        |dir: &std::path::Path| -> std::collections::BTreeMap<std::path::PathBuf, (u64, i64, i64)> {
            tree(dir)
                .into_keys()
                .map(|p| {
                    let m = fs::metadata(dir.join(&p)).unwrap();
                    (p, (m.ino(), m.mtime(), m.mtime_nsec()))
                })
                .collect()
        };
    let before = stamp(&out);

    // Prefix the English description of 421 with a sentence.
    let file = site.path().join("content/ftp/421.yaml");
    let text = fs::read_to_string(&file).unwrap();
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    let d = lines
        .iter()
        .position(|l| l.starts_with("description:"))
        .unwrap();
    let en = &lines[d + 1];
    assert!(en.trim_start().starts_with("en:"), "{en}");
    if en.trim_end().ends_with('|') {
        let body = &mut lines[d + 2];
        let indent = body.len() - body.trim_start().len();
        body.insert_str(indent, "Edited for the test. ");
    } else {
        let at = en.find("en:").unwrap() + 3;
        lines[d + 1].insert_str(at, " Edited for the test.");
    }
    fs::write(&file, lines.join("\n") + "\n").unwrap();

    let summary = succeed(versus().args(["build", "--root"]).arg(site.path()));
    assert!(summary.contains("unchanged)"), "incremental: {summary}");

    let full = site.path().join("full");
    let o = versus()
        .args(["build", "--full", "--quiet", "--root"])
        .arg(site.path())
        .arg("--output")
        .arg(&full)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        tree(&out) == tree(&full),
        "incremental output differs from a full build"
    );

    let after = stamp(&out);
    let rewritten: Vec<String> = after
        .iter()
        .filter(|(p, s)| before.get(*p) != Some(*s))
        .map(|(p, _)| p.to_string_lossy().into_owned())
        .collect();
    let shows_421 = |p: &str| {
        p.contains("/421/")
            || p.contains("-vs-421/")
            || p.contains("/421-vs-")
            || p == "ftp/index.html"
            || p == "zh/ftp/index.html"
    };
    for p in &rewritten {
        assert!(
            shows_421(p) || p == ".versus-manifest",
            "{p} was rewritten but does not show 421"
        );
    }
    assert!(
        rewritten.iter().any(|p| p == "ftp/200-vs-421/index.html"),
        "{rewritten:?}"
    );
    assert!(
        !rewritten
            .iter()
            .any(|p| p == "zh/ftp/200-vs-421/index.html"),
        "the Chinese text did not change"
    );
    assert!(!rewritten.iter().any(|p| p == "ftp/200-vs-226/index.html"));
}

/// The build warns when its output passes a popular host's limit, and not before: 199 codes
/// in one language make 19,902 pages (19,908 files with 404.html, robots.txt, the sitemap and
/// three assets), under Cloudflare Pages' 20,000; 201 codes make 20,309 files.
#[test]
fn host_limits_are_warned_about_when_passed() {
    let dir = tempfile::tempdir().unwrap();
    let r = dir.path();
    write(
        r,
        "content/site.yaml",
        "title: Big\nbase_url: https://big.example\ndefault_locale: en\n",
    );
    write(
        r,
        "content/big/_protocol.yaml",
        "name: BIG\ntitle: Big\ngrouping: none\n",
    );
    write(r, "locales/en.yaml", "name: English\n");
    let code = "name: N\ndescription: D.\nwhen: W.\nfix: F.\n";
    for i in 1..=199 {
        write(r, &format!("content/big/{i}.yaml"), code);
    }
    let build = || run(&["build", "--root", &r.to_string_lossy()]);
    let o = build();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("Cloudflare"), "{}", stderr(&o));
    let files = walkdir::WalkDir::new(r.join("output"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.file_name() != ".versus-output")
        .count();
    assert_eq!(files, 19_908);
    for i in 200..=201 {
        write(r, &format!("content/big/{i}.yaml"), code);
    }
    let o = build();
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("the output has 20,309 files: Cloudflare Pages takes at most 20,000"),
        "{err}"
    );
    assert!(err.contains("fallback: skip"), "advice: {err}");
    assert!(
        !err.contains("Netlify takes") && !err.contains("GitHub Pages takes"),
        "{err}"
    );
}
