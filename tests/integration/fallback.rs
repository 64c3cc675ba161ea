//! `fallback` in site.yaml: what a language does with a page whose main text is not
//! translated. `show` builds it with the default language's text, `noindex` builds it but
//! keeps it from search engines (robots, sitemap, hreflang), `skip` leaves it out and sends
//! links to the default language's page. Each policy must agree across pages, hreflang,
//! sitemap and links.

use std::fs;
use std::path::Path;

use crate::common::{anchors, build, follow, pages, run, stderr, write};

/// en and fr; the protocol's title, codes 10 and 11 are translated into fr, code 20 is
/// not, and the note on 10–11 is in English only. So in fr: the home page, the codes 10
/// and 11 are translated; the protocol index, code 20, every pair with 20 and the pair
/// 10–11 are not.
fn site(fallback: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let r = dir.path();
    write(
        r,
        "content/site.yaml",
        &format!(
            "title: Demo\nbase_url: https://demo.example\ndefault_locale: en\nfallback: {fallback}\n"
        ),
    );
    write(
        r,
        "content/demo/_protocol.yaml",
        "name: DEMO\ntitle: Demo Protocol\nclasses:\n  \"1\": {en: Good, fr: Bon}\n  \"2\": {en: Bad, fr: Mauvais}\n",
    );
    for code in ["10", "11"] {
        write(
            r,
            &format!("content/demo/{code}.yaml"),
            &format!(
                "name: {{en: N{code}, fr: N{code}-fr}}\ndescription: {{en: D{code}., fr: D{code}-fr.}}\nwhen: {{en: W{code}., fr: W{code}-fr.}}\nfix: {{en: F{code}., fr: F{code}-fr.}}\n"
            ),
        );
    }
    write(
        r,
        "content/demo/20.yaml",
        "name: {en: N20, fr: N20-fr}\ndescription: D20.\nwhen: W20.\nfix: F20.\n",
    );
    write(
        r,
        "content/demo/_pairs.yaml",
        "- codes: [10, 11]\n  difference: 10 says N10 and 11 says N11.\n  which: Use 10 for one thing and 11 for another.\n",
    );
    write(r, "locales/en.yaml", "name: English\n");
    write(r, "locales/fr.yaml", "name: Français\n");
    dir
}

fn built(fallback: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = site(fallback);
    let out = dir.path().join("output");
    build(dir.path(), &out);
    (dir, out)
}

fn read(out: &Path, rel: &str) -> String {
    fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The hreflang alternates in a page's head.
fn alternates(html: &str) -> Vec<String> {
    html.split("<link rel=\"alternate\" hreflang=\"")
        .skip(1)
        .map(|s| s[..s.find('"').unwrap()].to_owned())
        .collect()
}

/// The `<loc>` of every URL of the sitemap.
fn sitemap_urls(out: &Path) -> Vec<String> {
    read(out, "sitemap.xml")
        .split("<loc>")
        .skip(1)
        .map(|s| s[..s.find("</loc>").unwrap()].to_owned())
        .collect()
}

const UNTRANSLATED_FR: [&str; 5] = [
    "fr/demo/index.html",
    "fr/demo/20/index.html",
    "fr/demo/10-vs-20/index.html",
    "fr/demo/11-vs-20/index.html",
    "fr/demo/10-vs-11/index.html",
];

#[test]
fn show_builds_every_page_and_lists_it() {
    let (_dir, out) = built("show");
    let all = pages(&out);
    assert_eq!(all.len(), 2 * (1 + 1 + 3 + 3));
    for rel in UNTRANSLATED_FR {
        let html = read(&out, rel);
        assert!(!html.contains("noindex"), "{rel}");
        assert_eq!(alternates(&html), ["en", "fr", "x-default"], "{rel}");
    }
    assert_eq!(sitemap_urls(&out).len(), all.len());
}

#[test]
fn noindex_keeps_untranslated_pages_from_search_engines() {
    let (_dir, out) = built("noindex");
    assert_eq!(pages(&out).len(), 2 * 8, "every page is still built");
    for rel in UNTRANSLATED_FR {
        let html = read(&out, rel);
        assert!(
            html.contains("<meta name=\"robots\" content=\"noindex\">"),
            "{rel}"
        );
        assert!(
            alternates(&html).is_empty(),
            "{rel}: not in any hreflang set"
        );
        // Its English sibling no longer names it as an alternate.
        let en = read(&out, rel.trim_start_matches("fr/"));
        assert_eq!(alternates(&en), ["en", "x-default"], "{rel}");
        assert!(!en.contains("noindex"));
    }
    let translated = read(&out, "fr/demo/10/index.html");
    assert!(!translated.contains("noindex"));
    assert_eq!(alternates(&translated), ["en", "fr", "x-default"]);
    let urls = sitemap_urls(&out);
    assert_eq!(urls.len(), 2 * 8 - UNTRANSLATED_FR.len());
    for rel in UNTRANSLATED_FR {
        let url = format!(
            "https://demo.example/{}",
            rel.trim_end_matches("index.html")
        );
        assert!(!urls.contains(&url), "{url} is in the sitemap");
        assert!(
            !read(&out, "sitemap.xml").contains(&format!("href=\"{url}\"")),
            "{url} is an alternate in the sitemap"
        );
    }
    let o = run(&["build", "--root", &out.parent().unwrap().to_string_lossy()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("5 not indexed (fallback: noindex)"),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
}

#[test]
fn skip_leaves_untranslated_pages_out_and_links_lead_to_the_default_language() {
    let (_dir, out) = built("skip");
    for rel in UNTRANSLATED_FR {
        assert!(!out.join(rel).exists(), "{rel} is built");
    }
    let all = pages(&out);
    assert_eq!(all.len(), 2 * 8 - UNTRANSLATED_FR.len());
    // Every link resolves to a page that exists; one that leaves French says so.
    let mut away = 0;
    for (url, html) in &all {
        for a in anchors(html) {
            let Some(target) = follow(url, &a.href) else {
                continue;
            };
            let file = out.join(target.trim_start_matches('/')).join("index.html");
            assert!(
                file.is_file() || out.join(target.trim_start_matches('/')).is_file(),
                "{url}: {} leads nowhere",
                a.href
            );
            if url.starts_with("/fr/") && !target.starts_with("/fr/") {
                assert!(
                    a.switches_language,
                    "{url}: {} leaves French silently",
                    a.href
                );
                away += 1;
            }
        }
    }
    assert!(away > 0, "no link led to an English page");
    // The French page of code 10 links its pair with 20 to the English page.
    let ten = read(&out, "fr/demo/10/index.html");
    assert!(
        ten.contains("href=\"../../../demo/10-vs-20/\" hreflang=\"en\""),
        "{ten}"
    );
    assert!(
        ten.contains("data-path=\"../demo/10-vs-20/\""),
        "the picker agrees"
    );
    // … and the English page of 20 lists no French alternate; its switcher leads to the
    // French home page.
    let twenty = read(&out, "demo/20/index.html");
    assert_eq!(alternates(&twenty), ["en", "x-default"]);
    assert!(
        twenty.contains("href=\"../../fr/\" hreflang=\"fr\""),
        "{twenty}"
    );
    // The picker of the French home knows the pair whose note is not translated.
    let home = read(&out, "fr/index.html");
    assert!(home.contains("data-away-pairs=\"10-vs-11\""), "{home}");
    let urls = sitemap_urls(&out);
    assert_eq!(
        urls.len(),
        all.len(),
        "the sitemap lists exactly the pages built"
    );
}

#[test]
fn an_unknown_policy_is_an_error_with_a_suggestion() {
    let dir = site("noindx");
    let o = run(&["check", "--root", &dir.path().to_string_lossy()]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("fallback `noindx` is not one of show, noindex, skip"),
        "{err}"
    );
    assert!(err.contains("did you mean `noindex`?"), "{err}");
    assert!(err.contains("content/site.yaml:4:11"), "{err}");
}
