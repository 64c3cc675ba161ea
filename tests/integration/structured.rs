//! Structured data and sharing tags: every page's JSON-LD parses and has the schema.org
//! types search engines read, Open Graph URLs are absolute, and no content can break out of
//! the `<script>` element the JSON sits in.

use std::fs;

use serde_json::Value;

use crate::common::{build, mini_site, pages, shipped_site, write};

/// The JSON-LD of a page, parsed.
fn json_ld(html: &str) -> Value {
    let open = "<script type=\"application/ld+json\">";
    let start = html.find(open).expect("a JSON-LD script") + open.len();
    let end = start + html[start..].find("</script>").expect("closed");
    serde_json::from_str(&html[start..end]).unwrap_or_else(|e| panic!("{e}: {}", &html[start..end]))
}

fn types(v: &Value) -> Vec<&str> {
    v["@graph"]
        .as_array()
        .expect("a graph")
        .iter()
        .filter_map(|n| n["@type"].as_str())
        .collect()
}

/// The `content` of `<meta property="…">`.
fn meta<'a>(html: &'a str, property: &str) -> Option<&'a str> {
    let key = format!("<meta property=\"{property}\" content=\"");
    let start = html.find(&key)? + key.len();
    Some(&html[start..start + html[start..].find('"')?])
}

#[test]
fn every_page_has_breadcrumbs_and_code_pages_an_article_about_their_codes() {
    let site = shipped_site(&["ftp"]);
    let out = site.path().join("output");
    build(site.path(), &out);
    let all = pages(&out);
    assert!(all.len() > 3000, "{} pages", all.len());
    for (url, html) in &all {
        let ld = json_ld(html);
        assert_eq!(ld["@context"], "https://schema.org", "{url}");
        let t = types(&ld);
        assert_eq!(t[0], "BreadcrumbList", "{url}");
        let crumbs = ld["@graph"][0]["itemListElement"]
            .as_array()
            .expect("items");
        let last = crumbs.last().expect("a crumb");
        let absolute = format!("https://codes.example.org{url}");
        assert_eq!(
            last["item"],
            absolute.as_str(),
            "{url}: the trail ends at the page"
        );
        let codes = if url.contains("-vs-") {
            2
        } else if url
            .trim_matches('/')
            .split('/')
            .filter(|s| *s != "zh")
            .count()
            == 2
        {
            1
        } else {
            0
        };
        if codes == 0 {
            assert_eq!(t, ["BreadcrumbList"], "{url}");
            continue;
        }
        assert_eq!(t, ["BreadcrumbList", "TechArticle"], "{url}");
        let article = &ld["@graph"][1];
        assert_eq!(article["url"], absolute.as_str(), "{url}");
        let about = article["about"].as_array().expect("about");
        assert_eq!(about.len(), codes, "{url}");
        for term in about {
            assert_eq!(term["@type"], "DefinedTerm", "{url}");
            assert_eq!(term["inDefinedTermSet"]["@type"], "DefinedTermSet", "{url}");
            assert!(
                url.contains(term["termCode"].as_str().expect("a code")),
                "{url}"
            );
        }
        // Open Graph: absolute, the page's own URL, in the page's locale.
        assert_eq!(meta(html, "og:url"), Some(absolute.as_str()), "{url}");
        let locale = if url.starts_with("/zh/") {
            "zh_CN"
        } else {
            "en_US"
        };
        assert_eq!(meta(html, "og:locale"), Some(locale), "{url}");
        assert!(
            meta(html, "og:title").is_some_and(|t| !t.is_empty()),
            "{url}"
        );
    }
}

#[test]
fn content_cannot_break_out_of_the_json_ld_script() {
    let site = mini_site();
    let hostile = r#"</script><script>alert(1)</script> "q" \ <!-- & ]]>"#;
    write(
        site.path(),
        "content/demo/10.yaml",
        &format!(
            "name: '{}'\ndescription: d\nwhen: w\nfix: f\n",
            hostile.replace('\'', "''")
        ),
    );
    let out = site.path().join("output");
    build(site.path(), &out);
    for page in ["demo/10/index.html", "demo/10-vs-11/index.html"] {
        let html = fs::read_to_string(out.join(page)).expect("page");
        assert_eq!(
            html.matches("<script").count(),
            2,
            "{page}: no script injected"
        );
        let ld = json_ld(&html);
        let names: Vec<&str> = ld["@graph"][1]["about"]
            .as_array()
            .expect("about")
            .iter()
            .filter_map(|t| t["name"].as_str())
            .collect();
        assert!(
            names.contains(&hostile),
            "{page}: the name survives intact: {names:?}"
        );
    }
}
