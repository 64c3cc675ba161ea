//! Links keep the reader's language (SPEC §3): on a site with three languages — the default
//! at the root and two under prefixes — every link of every page is followed.

use crate::common::*;

/// The language prefix of a site path: `/de` for `/de/demo/`, `` for the default.
fn language_of(path: &str) -> &str {
    for prefix in ["/fr", "/de"] {
        if path == format!("{prefix}/") || path.starts_with(&format!("{prefix}/")) {
            return prefix;
        }
    }
    ""
}

#[test]
fn every_link_of_every_language_stays_in_that_language() {
    let site = mini_site();
    write(site.path(), "locales/de.yaml", "name: Deutsch\n");
    let out = site.path().join("output");
    build(site.path(), &out);
    let pages = pages(&out);
    assert_eq!(
        pages.len(),
        3 * 8,
        "3 languages × (home, protocol, 3 codes, 3 pairs)"
    );
    let mut followed = 0;
    let mut switches = 0;
    for (url, html) in &pages {
        for a in anchors(html) {
            let Some(target) = follow(url, &a.href) else {
                continue;
            };
            let file = if target.ends_with('/') {
                out.join(target.trim_start_matches('/')).join("index.html")
            } else {
                out.join(target.trim_start_matches('/'))
            };
            assert!(file.is_file(), "{url}: {} leads nowhere ({target})", a.href);
            followed += 1;
            if a.switches_language {
                // The switcher leads to the same page in another language.
                let rest = |p: &str| p[language_of(p).len()..].to_owned();
                assert_eq!(rest(&target), rest(url), "{url}: switcher {}", a.href);
                switches += 1;
            } else {
                assert_eq!(
                    language_of(&target),
                    language_of(url),
                    "{url}: {} leaves the page's language",
                    a.href
                );
            }
        }
    }
    assert!(followed > 200, "{followed} links followed");
    assert_eq!(
        switches,
        pages.len() * 2 * 2,
        "each page offers the two other languages, in its header and its footer"
    );
}

#[test]
fn check_fails_on_a_template_that_links_to_another_language() {
    let site = mini_site();
    write(
        site.path(),
        "templates/code.html",
        "{% extends \"base.html\" %}{% block content %}<a href=\"{{ page.site_root }}demo/\">English list</a>{% endblock content %}",
    );
    let o = run(&["check", "--root", site.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains(
            "/fr/demo/10/ links to /demo/, a page in another language (href=\"../../../demo/\")"
        ),
        "{err}"
    );
    assert!(
        err.contains("content/demo/10.yaml"),
        "names the page's source: {err}"
    );
}

#[test]
fn check_reads_links_in_any_quoting_and_with_entities() {
    let site = mini_site();
    write(
        site.path(),
        "templates/code.html",
        "{% extends \"base.html\" %}{% block content %}<a href='{{ page.root }}single/'>a</a><a href={{ page.root }}unquoted/>b</a><a href=\"{{ page.root }}enti&#116;ies/\">c</a>{% endblock content %}",
    );
    let o = run(&["check", "--root", site.path().to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    for path in ["/single/", "/unquoted/", "/entities/"] {
        assert!(
            err.contains(&format!(
                "/demo/10/ links to {path}, which the site does not have"
            )),
            "{path}: {err}"
        );
    }
}
