//! Checks on the rendered site for `versus check`: every internal link and `#anchor`
//! resolves, links keep the page's language, hreflang alternates are reciprocal (each
//! page's alternate points back), and pair pages compare (the rules of SPEC §3, as
//! warnings). Fed page by page as pages render; only a few short strings per page are kept.

mod comparison;
mod html;

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::Mutex;

use self::html::StartTag;
use crate::diagnostic::{Diagnostic, Diagnostics, Pos};
use crate::fingerprint;
use crate::load::Asset;
use crate::model::{ASSETS_DIR, NOT_FOUND, ROBOTS, SITEMAP, Site};
use crate::plan::{self, Kind, Page, Plan};

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
    source: PathBuf,
}

/// Collects facts from rendered pages and reports what does not resolve.
pub(crate) struct Audit<'s> {
    site: &'s Site,
    /// URL prefixes of the languages other than the default (`/zh/`), to tell which language
    /// a page is in.
    prefixes: Vec<String>,
    /// Every page URL path of the site, and the other files (assets, sitemap…).
    pages: HashSet<String>,
    files: HashSet<String>,
    facts: Mutex<HashMap<String, Facts>>,
    problems: Mutex<Diagnostics>,
}

impl<'s> Audit<'s> {
    pub(crate) fn new(site: &'s Site, plan: &Plan, assets: &[Asset]) -> Audit<'s> {
        let mut files: HashSet<String> = [NOT_FOUND, ROBOTS, SITEMAP]
            .iter()
            .map(|f| format!("/{f}"))
            .collect();
        files.extend(assets.iter().map(|a| format!("/{ASSETS_DIR}/{}", a.name)));
        Audit {
            site,
            prefixes: site
                .locale_ids()
                .map(|l| site.prefix(l))
                .filter(|p| !p.is_empty())
                .map(|p| format!("{p}/"))
                .collect(),
            pages: plan
                .pages()
                .filter(|&p| plan::exists(site, p))
                .map(|p| plan::url_of(site, p))
                .collect(),
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

    fn problem(&self, d: Diagnostic) {
        if let Ok(mut p) = self.problems.lock() {
            p.push(d);
        }
    }

    /// Records `page`, rendered as `html`, and checks its links (and, for a pair page, its
    /// comparison).
    pub(crate) fn page(&self, page: Page, html: &str) {
        let url = plan::url_of(self.site, page);
        let source = plan::source_of(self.site, page.kind);
        let pair = match page.kind {
            Kind::Pair { p, a, b } => {
                let pr = self.site.protocol(p);
                Some((pr.code(a).id.as_str(), pr.code(b).id.as_str()))
            }
            _ => None,
        };
        let mut sections: Vec<String> = Vec::new();
        if let Some((a, b)) = pair {
            sections.extend(comparison::SECTIONS.iter().map(|s| (*s).to_owned()));
            sections.extend([format!("code-{a}"), format!("code-{b}")]);
        }
        let wanted: Vec<&str> = sections.iter().map(String::as_str).collect();
        let read = html::read(html, &wanted);
        if let Some((a, b)) = pair {
            for p in comparison::problems(&read, a, b) {
                self.problem(Diagnostic::warning(
                    &source,
                    Pos::FILE,
                    format!("{url}: {p}"),
                ));
            }
        }
        let mut facts = Facts {
            source,
            ..Facts::default()
        };
        for tag in &read.tags {
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
                    match href.strip_prefix(&self.site.base_url) {
                        Some(path) => facts.alternates.push((lang.to_owned(), path.to_owned())),
                        None => self.problem(Diagnostic::error(
                            &facts.source,
                            Pos::FILE,
                            format!("{url}: hreflang {lang} points off the site: {href}"),
                        )),
                    }
                }
                continue;
            }
            for href in tag.urls() {
                self.link(&url, tag, href, &mut facts);
            }
        }
        facts.ids.sort_unstable();
        facts.ids.dedup();
        facts.ids.shrink_to_fit();
        if let Ok(mut all) = self.facts.lock() {
            all.insert(url, facts);
        }
    }

    /// Checks one URL found in `tag` on the page at `url`.
    fn link(&self, url: &str, tag: &StartTag, href: &str, facts: &mut Facts) {
        let Some(target) = resolve(url, href, &self.site.base_url) else {
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
            self.problem(Diagnostic::error(
                &facts.source,
                Pos::FILE,
                format!(
                    "{url} links to {path}, a page in another language (href=\"{href}\"); links keep the page's language unless they carry hreflang or lang"
                ),
            ));
        }
        if !(is_page || self.files.contains(path)) {
            self.problem(Diagnostic::error(
                &facts.source,
                Pos::FILE,
                format!("{url} links to {path}, which the site does not have (href=\"{href}\")"),
            ));
        } else if !fragment.is_empty() {
            facts.anchored.push((path.to_owned(), fragment.to_owned()));
        }
    }

    /// Checks anchors and reciprocity once every page was seen.
    pub(crate) fn finish(self) -> Diagnostics {
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
                        &f.source,
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
                        &f.source,
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
pub(crate) fn resolve(url: &str, href: &str, base_url: &str) -> Option<String> {
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
    fn reports_broken_links_other_languages_and_one_sided_alternates() {
        use crate::model::LocaleIdx;
        let site = crate::model::tests::two_language_site();
        let plan = Plan::new(&site);
        let audit = Audit::new(&site, &plan, &[]);
        let home = |l| Page {
            kind: Kind::Home,
            locale: LocaleIdx(l),
        };
        audit.page(home(0), r#"<html lang="en"><link rel="alternate" hreflang="zh-Hans" href="https://x.org/zh/"><a href="./nope/">x</a><a href='zh/'>中文</a><a href="zh/" hreflang="zh-Hans">ok</a>"#);
        audit.page(home(1), r#"<html lang="zh-Hans"><link rel="alternate" hreflang="zh-Hans" href="https://x.org/zh/">"#);
        let d = audit.finish();
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
        assert!(leaving[0].contains("href=\"zh/\""), "{msgs:?}");
    }
}
