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
    /// URL prefixes of the languages other than the default (`/zh/`), to tell which language
    /// a page is in.
    prefixes: Vec<String>,
    /// Every page URL path of the site, and the other files (assets, sitemap…).
    pages: HashSet<String>,
    files: HashSet<String>,
    facts: Mutex<HashMap<String, Facts>>,
    problems: Mutex<Diagnostics>,
}

impl Audit {
    /// `prefixes`: the URL prefix of each language but the default (`/zh`).
    pub fn new(
        base_url: &str,
        prefixes: &[String],
        pages: HashSet<String>,
        files: HashSet<String>,
    ) -> Audit {
        Audit {
            base_url: base_url.to_owned(),
            prefixes: prefixes.iter().map(|p| format!("{p}/")).collect(),
            pages,
            files,
            facts: Mutex::new(HashMap::new()),
            problems: Mutex::new(Diagnostics::default()),
        }
    }

    /// The language prefix of a page path (`/zh/` for `/zh/ftp/`), empty for the default.
    fn language_of<'p>(&'p self, path: &str) -> &'p str {
        self.prefixes
            .iter()
            .find(|p| path.starts_with(p.as_str()))
            .map_or("", String::as_str)
    }

    fn problem(&self, source: &std::path::Path, message: String) {
        if let Ok(mut p) = self.problems.lock() {
            p.push(Diagnostic::error(source, Pos::FILE, message));
        }
    }

    /// Records the page at `url` (rendered from `source`) and checks its links.
    pub fn page(&self, url: &str, source: &std::path::Path, html: &str) {
        let mut facts = Facts::default();
        for tag in start_tags(html) {
            if tag.name == "html" {
                facts.lang = tag.attr("lang").unwrap_or_default().to_owned();
            }
            if let Some(id) = tag.attr("id") {
                facts.ids.push(fingerprint::of(id.as_bytes()));
            }
            if tag.name == "link" && tag.attr("rel") == Some("alternate") {
                if let (Some(lang), Some(href)) = (tag.attr("hreflang"), tag.attr("href"))
                    && lang != "x-default"
                {
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
            for href in tag.urls() {
                self.link(url, source, &tag, href, &mut facts);
            }
        }
        facts.ids.sort_unstable();
        facts.ids.dedup();
        facts.ids.shrink_to_fit();
        if let Ok(mut all) = self.facts.lock() {
            all.insert(url.to_owned(), facts);
        }
    }

    /// Checks one URL found in `tag` on the page at `url`.
    fn link(
        &self,
        url: &str,
        source: &std::path::Path,
        tag: &StartTag,
        href: &str,
        facts: &mut Facts,
    ) {
        let Some(target) = resolve(url, href, &self.base_url) else {
            return;
        };
        let (path, fragment) = target.split_once('#').unwrap_or((&target, ""));
        let path = if path.is_empty() { url } else { path };
        let is_page = self.pages.contains(path);
        // SPEC §3: a link to a page keeps the reader's language unless it says it
        // switches (`hreflang` or `lang` on the link, as in the language switcher).
        if is_page
            && tag.name == "a"
            && tag.attr("hreflang").is_none()
            && tag.attr("lang").is_none()
            && self.language_of(path) != self.language_of(url)
        {
            self.problem(
                source,
                format!(
                    "{url} links to {path}, a page in another language (href=\"{href}\"); links keep the page's language unless they carry hreflang or lang"
                ),
            );
        }
        if !(is_page || self.files.contains(path)) {
            self.problem(
                source,
                format!("{url} links to {path}, which the site does not have (href=\"{href}\")"),
            );
        } else if !fragment.is_empty() {
            facts.anchored.push((path.to_owned(), fragment.to_owned()));
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
    // The query does not name another file; `dir/index.html` is the page `dir/`.
    let path = path.split_once('?').map_or(path, |(p, _)| p);
    let path = path.strip_suffix("index.html").unwrap_or(path);
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

/// A start tag with its attributes, names lower-cased and values decoded (entities,
/// any quoting), as an HTML tokenizer sees them.
struct StartTag {
    name: String,
    attrs: Vec<(String, String)>,
}

impl StartTag {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The URLs the tag points at: `href`, `src`, and each candidate of `srcset`.
    fn urls(&self) -> impl Iterator<Item = &str> {
        let single = ["href", "src"].into_iter().filter_map(|a| self.attr(a));
        let set = self
            .attr("srcset")
            .into_iter()
            .flat_map(|s| s.split(','))
            .filter_map(|candidate| candidate.split_whitespace().next());
        single.chain(set).map(str::trim).filter(|u| !u.is_empty())
    }
}

/// The start tags of a document, through a WHATWG tokenizer (html5gum).
fn start_tags(html: &str) -> impl Iterator<Item = StartTag> + '_ {
    let lossy = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    html5gum::Tokenizer::new(html).filter_map(move |token| match token {
        Ok(html5gum::Token::StartTag(tag)) => Some(StartTag {
            name: lossy(&tag.name),
            attrs: tag
                .attributes
                .iter()
                .map(|(k, v)| (lossy(k), lossy(&v.value)))
                .collect(),
        }),
        _ => None,
    })
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
        assert_eq!(
            resolve("/ftp/", "200/index.html?x=1#a", base).as_deref(),
            Some("/ftp/200/#a")
        );
    }

    #[test]
    fn finds_urls_in_any_quoting_with_entities_and_srcset() {
        let t: Vec<StartTag> = start_tags(
            "<a class=x href='/a/'>x</a><a href=/b/>y</a><a HREF=\"/c/?x=1&amp;y=2\">z</a><img srcset=\"/i1.png 1x, /i2.png 2x\" src=/i0.png><link rel=\"alternate\" hreflang=\"en\" href=\"h\">",
        )
        .collect();
        let urls: Vec<Vec<&str>> = t.iter().map(|t| t.urls().collect()).collect();
        assert_eq!(urls[0], ["/a/"]);
        assert_eq!(urls[1], ["/b/"]);
        assert_eq!(urls[2], ["/c/?x=1&y=2"]);
        assert_eq!(urls[3], ["/i0.png", "/i1.png", "/i2.png"]);
        assert_eq!(t[4].attr("hreflang"), Some("en"));
        assert_eq!(t[4].attr("lang"), None);
    }

    #[test]
    fn reports_broken_links_and_one_sided_alternates() {
        let pages: HashSet<String> = ["/", "/fr/"].iter().map(|s| s.to_string()).collect();
        let audit = Audit::new("https://x.org", &["/fr".to_owned()], pages, HashSet::new());
        let src = std::path::Path::new("content/site.yaml");
        audit.page("/", src, r#"<html lang="en"><link rel="alternate" hreflang="fr" href="https://x.org/fr/"><a href="./nope/">x</a><a href="fr/">français</a><a href="fr/" hreflang="fr">ok</a>"#);
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
        let leaving: Vec<&String> = msgs
            .iter()
            .filter(|m| m.contains("another language"))
            .collect();
        assert_eq!(leaving.len(), 1, "only the link without hreflang: {msgs:?}");
        assert!(leaving[0].contains("href=\"fr/\""), "{msgs:?}");
    }
}
