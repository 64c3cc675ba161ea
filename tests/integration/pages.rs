//! Snapshot tests of representative pages of the shipped FTP site, the seed page
//! "FTP 200 vs 421" in both languages first. A change to templates, locales, content or the
//! comparison wording shows up here as a reviewable diff (`cargo insta review`).

use std::fs;
use std::sync::OnceLock;

use crate::common::*;

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

fn between<'a>(html: &'a str, from: &str, to: &str) -> &'a str {
    let start = html.find(from).map_or(0, |i| i + from.len());
    let end = html[start..].find(to).map_or(html.len(), |e| start + e);
    &html[start..end]
}

fn has_space_between_chinese(s: &str) -> bool {
    let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c) || "（）".contains(c);
    let v: Vec<char> = s.chars().collect();
    v.windows(3).any(|w| cjk(w[0]) && w[1] == ' ' && cjk(w[2]))
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
    // FTP's replies are 应答码 in Chinese, and no space stands between two Chinese words of
    // the title or the heading.
    let main = between(&html, "<main", "</main>");
    assert!(
        main.contains("应答码") && !main.contains("状态码"),
        "{main}"
    );
    let title = between(&html, "<title>", "</title>");
    let h1 = text_of(between(&html, "<h1", "</h1>"));
    for t in [title, h1.as_str()] {
        assert!(!has_space_between_chinese(t), "{t}");
    }
    assert!(section(&html, "key-differences").matches("<li>").count() >= 3);
    insta::assert_snapshot!(html);
}

#[test]
fn same_class_pair_says_both() {
    let html = page("ftp/200-vs-226/index.html");
    let overview = section(&html, "overview");
    assert!(
        overview.contains("are both 2xx reply codes (Positive Completion)"),
        "{overview}"
    );
    let kd = section(&html, "key-differences");
    assert!(
        !kd.contains("Positive Completion"),
        "the shared class is said once: {kd}"
    );
}

#[test]
fn code_page_links_every_comparison_of_the_code() {
    let html = page("ftp/421/index.html");
    let codes = fs::read_dir(crate::common::repo().join("content/ftp"))
        .unwrap()
        .filter(|e| {
            !e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with('_')
        })
        .count();
    let links = crate::common::anchors(&html)
        .into_iter()
        .filter(|a| a.href.contains("-vs-"))
        .count();
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
        html.contains("href=\"/assets/style.css\"")
            && html.contains("<a href=\"/\" hreflang=\"en\">"),
        "root-relative links: hosts serve it at any path"
    );
    insta::assert_snapshot!(html);
}

/// A site with little to compare (one fact, no conditions, no notes) and a language whose
/// every word falls back to English still gets pair pages that compare: three key
/// differences, and a decision that names both codes in one sentence — also where the
/// fallback text is marked with `<span lang>` (its full stop once stayed inside the mark
/// and split the decision in two).
#[test]
fn pair_pages_compare_with_little_data_and_fallback_text() {
    let site = mini_site();
    let out = site.path().join("output");
    build(site.path(), &out);
    let mut pairs = 0;
    for (url, html) in pages(&out) {
        if !url.contains("-vs-") {
            continue;
        }
        pairs += 1;
        let kd = section(&html, "key-differences");
        assert!(kd.matches("<li>").count() >= 3, "{url}: {kd}");
        let (a, b) = url
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap()
            .split_once("-vs-")
            .unwrap();
        let which = text_of(section(&html, "when-to-use-which"));
        let names = |s: &str, c: &str| s.split(|ch: char| !ch.is_alphanumeric()).any(|w| w == c);
        assert!(
            which
                .split_inclusive(['.', ';', '。', '；'])
                .any(|s| names(s, a) && names(s, b)),
            "{url}: no sentence names {a} and {b}: {which}"
        );
    }
    assert_eq!(pairs, 6, "3 pairs in en and fr");
}
