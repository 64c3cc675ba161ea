//! Checks on the rendered site for `versus check`: every internal link and `#anchor`
//! resolves, and hreflang alternates are reciprocal (each page's alternate points back).
//! Fed page by page as pages render; only a few short strings per page are kept.

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use crate::diagnostic::{Diagnostic, Diagnostics, Pos};
use crate::fingerprint;

/// What one page says about others.
#[derive(Debug, Default)]
struct Facts {
    /// Fingerprints of the page's `id`s, sorted (kept small: a site may have 100,000 pages).
    ids: Vec<u64>,
    /// `(hreflang, url path)` of each alternate.
    alternates: Vec<(String, String)>,
    /// Links to another page's anchor, checked once every page's ids are known.
    anchored: Vec<(String, String)>,
    lang: String,
}

/// Collects facts from rendered pages and reports what does not resolve.
pub struct Audit {
    base_url: String,
    /// Every page URL path of the site, and the other files (assets, sitemap…).
    pages: HashSet<String>,
    files: HashSet<String>,
    facts: Mutex<HashMap<String, Facts>>,
    problems: Mutex<Diagnostics>,
}

impl Audit {
    pub fn new(base_url: &str, pages: HashSet<String>, files: HashSet<String>) -> Audit {
        Audit {
            base_url: base_url.to_owned(),
            pages,
            files,
            facts: Mutex::new(HashMap::new()),
            problems: Mutex::new(Diagnostics::default()),
        }
    }

    fn problem(&self, source: &std::path::Path, message: String) {
        if let Ok(mut p) = self.problems.lock() {
            p.push(Diagnostic::error(source, Pos::FILE, message));
        }
    }

    /// Records the page at `url` (rendered from `source`) and checks its plain links.
    pub fn page(&self, url: &str, source: &std::path::Path, html: &str) {
        let mut facts = Facts::default();
        for (tag, attrs) in tags(html) {
            if tag == "html" {
                facts.lang = attr(attrs, "lang").unwrap_or_default().to_owned();
            }
            if let Some(id) = attr(attrs, "id") {
                facts.ids.push(fingerprint::of(id.as_bytes()));
            }
            let Some(href) = attr(attrs, "href") else {
                continue;
            };
            if tag == "link" && attr(attrs, "rel") == Some("alternate") {
                if let Some(lang) = attr(attrs, "hreflang").filter(|l| *l != "x-default") {
                    match href.strip_prefix(&self.base_url) {
                        Some(path) => facts.alternates.push((lang.to_owned(), path.to_owned())),
                        None => self.problem(
                            source,
                            format!("{url}: hreflang {lang} points off the site: {href}"),
                        ),
                    }
                }
                continue;
            }
            let Some(target) = resolve(url, href, &self.base_url) else {
                continue;
            };
            let (path, fragment) = target.split_once('#').unwrap_or((&target, ""));
            let path = if path.is_empty() { url } else { path };
            if !(self.pages.contains(path) || self.files.contains(path)) {
                self.problem(
                    source,
                    format!(
                        "{url} links to {path}, which the site does not have (href=\"{href}\")"
                    ),
                );
            } else if !fragment.is_empty() {
                facts.anchored.push((path.to_owned(), fragment.to_owned()));
            }
        }
        facts.ids.sort_unstable();
        facts.ids.dedup();
        facts.ids.shrink_to_fit();
        if let Ok(mut all) = self.facts.lock() {
            all.insert(url.to_owned(), facts);
        }
    }

    /// Checks anchors and reciprocity once every page was seen.
    pub fn finish(self, source_of: impl Fn(&str) -> std::path::PathBuf) -> Diagnostics {
        let facts = self.facts.into_inner().unwrap_or_default();
        let mut problems = self.problems.into_inner().unwrap_or_default();
        let mut urls: Vec<&String> = facts.keys().collect();
        urls.sort();
        for url in urls {
            let f = &facts[url];
            for (path, fragment) in &f.anchored {
                let id = fingerprint::of(fragment.as_bytes());
                if facts
                    .get(path)
                    .is_some_and(|t| t.ids.binary_search(&id).is_err())
                {
                    problems.push(Diagnostic::error(
                        source_of(url),
                        Pos::FILE,
                        format!("{url} links to {path}#{fragment}, which has no such id"),
                    ));
                }
            }
            for (lang, path) in &f.alternates {
                let back = facts
                    .get(path)
                    .is_some_and(|t| t.alternates.iter().any(|(l, p)| *l == f.lang && p == url));
                if !back {
                    problems.push(Diagnostic::error(
                        source_of(url),
                        Pos::FILE,
                        format!("{url} names {path} as its {lang} alternate, but {path} does not name it back as {}", f.lang),
                    ));
                }
            }
        }
        problems
    }
}

/// Resolves an `href` found on the page at `url` to a site path (with any `#fragment`), or
/// `None` when it leads off the site.
pub fn resolve(url: &str, href: &str, base_url: &str) -> Option<String> {
    if let Some(rest) = href.strip_prefix(base_url) {
        return Some(if rest.is_empty() {
            "/".to_owned()
        } else {
            rest.to_owned()
        });
    }
    if href.contains("://") || href.starts_with("mailto:") || href.starts_with("//") {
        return None;
    }
    if href.starts_with('#') {
        return Some(format!("{url}{href}"));
    }
    let (path, fragment) = href
        .split_once('#')
        .map_or((href, None), |(p, f)| (p, Some(f)));
    let mut segments: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        url.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            s => segments.push(s),
        }
    }
    let mut out = String::from("/");
    out.push_str(&segments.join("/"));
    if (path.ends_with('/') || path.is_empty() || path.ends_with("/.")) && out.len() > 1 {
        out.push('/');
    }
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    Some(out)
}

/// Start tags of an HTML document: `(name, attribute text)`. Enough for the markup Versus
/// writes (quoted attributes, no `>` inside them).
fn tags(html: &str) -> impl Iterator<Item = (&str, &str)> {
    html.split('<').skip(1).filter_map(|chunk| {
        let end = chunk.find('>')?;
        let inner = &chunk[..end];
        if inner.starts_with(['/', '!', '?']) {
            return None;
        }
        let name_end = inner
            .find(|c: char| c.is_whitespace())
            .unwrap_or(inner.len());
        Some((&inner[..name_end], &inner[name_end..]))
    })
}

/// The value of a double-quoted attribute.
fn attr<'a>(attrs: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = attrs;
    loop {
        let i = rest.find(name)?;
        let before_ok = i == 0 || rest[..i].ends_with(char::is_whitespace);
        let after = &rest[i + name.len()..];
        if before_ok && let Some(v) = after.strip_prefix("=\"") {
            return v.find('"').map(|e| &v[..e]);
        }
        rest = &rest[i + name.len()..];
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_relative_links() {
        let base = "https://x.org";
        assert_eq!(
            resolve("/zh/ftp/200-vs-421/", "../../ftp/", base).as_deref(),
            Some("/zh/ftp/")
        );
        assert_eq!(resolve("/ftp/200/", "../../", base).as_deref(), Some("/"));
        assert_eq!(resolve("/", "./", base).as_deref(), Some("/"));
        assert_eq!(
            resolve("/ftp/", "../assets/style.css", base).as_deref(),
            Some("/assets/style.css")
        );
        assert_eq!(
            resolve("/ftp/", "#main", base).as_deref(),
            Some("/ftp/#main")
        );
        assert_eq!(
            resolve("/", "https://x.org/ftp/", base).as_deref(),
            Some("/ftp/")
        );
        assert_eq!(resolve("/", "https://other.org/", base), None);
    }

    #[test]
    fn finds_attributes() {
        let t: Vec<_> = tags(
            "<a class=\"x\" href=\"/a/\">x</a><link rel=\"alternate\" hreflang=\"en\" href=\"h\">",
        )
        .collect();
        assert_eq!(attr(t[0].1, "href"), Some("/a/"));
        assert_eq!(attr(t[1].1, "hreflang"), Some("en"));
        assert_eq!(attr(t[1].1, "lang"), None);
    }

    #[test]
    fn reports_broken_links_and_one_sided_alternates() {
        let pages: HashSet<String> = ["/", "/fr/"].iter().map(|s| s.to_string()).collect();
        let audit = Audit::new("https://x.org", pages, HashSet::new());
        let src = std::path::Path::new("content/site.yaml");
        audit.page("/", src, r#"<html lang="en"><link rel="alternate" hreflang="fr" href="https://x.org/fr/"><a href="./nope/">x</a>"#);
        audit.page(
            "/fr/",
            src,
            r#"<html lang="fr"><link rel="alternate" hreflang="fr" href="https://x.org/fr/">"#,
        );
        let d = audit.finish(|_| src.to_path_buf());
        let msgs: Vec<String> = d.sorted().iter().map(|d| d.message.clone()).collect();
        assert!(
            msgs.iter().any(|m| m.contains("links to /nope/")),
            "{msgs:?}"
        );
        assert!(
            msgs.iter().any(|m| m.contains("does not name it back")),
            "{msgs:?}"
        );
    }
}
