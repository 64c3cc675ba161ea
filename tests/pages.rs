//! Snapshot tests of representative pages of the shipped FTP site, the seed page
//! "FTP 200 vs 421" in both languages first. A change to templates, locales, content or the
//! comparison wording shows up here as a reviewable diff (`cargo insta review`).

mod common;

use std::fs;
use std::sync::OnceLock;

use common::*;

/// The shipped FTP site, built once for all tests of this file.
fn output() -> &'static std::path::Path {
    static SITE: OnceLock<tempfile::TempDir> = OnceLock::new();
    SITE.get_or_init(|| {
        let site = shipped_site(&["ftp"]);
        build(site.path(), &site.path().join("output"));
        site
    })
    .path()
}

fn page(rel: &str) -> String {
    fs::read_to_string(output().join("output").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The text of a section of a page, for checks that do not depend on markup.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("<section id=\"{id}\""))
        .unwrap_or_else(|| panic!("no section {id}"));
    let end = html[start..]
        .find("</section>")
        .map_or(html.len(), |e| start + e);
    &html[start..end]
}

#[test]
fn ftp_200_vs_421_en() {
    let html = page("ftp/200-vs-421/index.html");
    for id in [
        "overview",
        "code-200",
        "code-421",
        "key-differences",
        "when-to-use-which",
        "learn-more",
    ] {
        section(&html, id);
    }
    for heading in [
        "Description",
        "When it occurs",
        "How to fix",
        "Key differences",
        "When to use which",
        "Learn more",
    ] {
        assert!(html.contains(heading), "{heading}");
    }
    insta::assert_snapshot!(html);
}

#[test]
fn ftp_200_vs_421_zh() {
    let html = page("zh/ftp/200-vs-421/index.html");
    for heading in [
        "描述",
        "何时出现",
        "如何修复",
        "主要区别",
        "何时使用哪个",
        "了解更多",
    ] {
        assert!(html.contains(heading), "{heading}");
    }
    let kd = section(&html, "key-differences");
    assert!(
        kd.contains("200 属于 2xx 类（肯定完成），421 则属于 4xx 类（暂时否定完成）。"),
        "{kd}"
    );
    insta::assert_snapshot!(html);
}

#[test]
fn same_class_pair_says_both() {
    let html = page("ftp/200-vs-226/index.html");
    let kd = section(&html, "key-differences");
    assert!(
        kd.contains("Both 200 and 226 are 2xx codes, the Positive Completion class."),
        "{kd}"
    );
}

#[test]
fn code_page_links_every_comparison_of_the_code() {
    let html = page("ftp/421/index.html");
    let codes = fs::read_dir(common::repo().join("content/ftp"))
        .unwrap()
        .count()
        - 1;
    let links = html.matches("-vs-").count();
    assert_eq!(links, codes - 1, "one link per other code");
    insta::assert_snapshot!(html);
}

#[test]
fn protocol_index_zh() {
    insta::assert_snapshot!(page("zh/ftp/index.html"));
}

#[test]
fn not_found_page() {
    let html = page("404.html");
    assert!(!html.contains("rel=\"canonical\""));
    assert!(
        html.contains("href=\"https://codes.example.org/\""),
        "absolute links: hosts serve it at any path"
    );
    insta::assert_snapshot!(html);
}
