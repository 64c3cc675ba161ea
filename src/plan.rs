//! Stage 3: every page of the site, its URL and its output path (SPEC §3), worked out before
//! anything is rendered, so rendering can be split freely across threads (and across
//! machines with `--shard`). The plan only enumerates: what a page holds is render's.

use std::path::PathBuf;

use crate::model::{CodeIdx, Fallback, LocaleIdx, ProtocolIdx, Site};

/// What a page shows, independent of its language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Home,
    Protocol {
        p: ProtocolIdx,
    },
    Code {
        p: ProtocolIdx,
        c: CodeIdx,
    },
    /// `a` before `b` in natural order.
    Pair {
        p: ProtocolIdx,
        a: CodeIdx,
        b: CodeIdx,
    },
}

/// One page in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Page {
    pub kind: Kind,
    pub locale: LocaleIdx,
}

/// The pages of a site: every kind in every language. Kinds are computed from their index
/// rather than stored, so the plan takes memory per protocol, not per page (a site with 200
/// codes has 20,000 pair kinds).
#[derive(Debug)]
pub(crate) struct Plan {
    /// Per protocol: its number of codes and the index of its protocol page among kinds.
    protocols: Vec<(u32, usize)>,
    kinds: usize,
    pub locales: usize,
}

/// Index of the first pair `(a, _)` among a protocol's `n(n-1)/2` pairs in order.
fn row_start(n: u64, a: u64) -> u64 {
    a * (2 * n - a - 1) / 2
}

impl Plan {
    pub(crate) fn new(site: &Site) -> Plan {
        let mut protocols = Vec::with_capacity(site.protocols.len());
        let mut next = 1; // the home page comes first
        for proto in &site.protocols {
            let n = proto.codes.len();
            protocols.push((n as u32, next));
            next += 1 + n + n * n.saturating_sub(1) / 2;
        }
        Plan {
            protocols,
            kinds: next,
            locales: site.locales.len(),
        }
    }

    /// Pages per language.
    pub(crate) fn kinds_len(&self) -> usize {
        self.kinds
    }

    /// Every page kind, in order: home, then per protocol its index, codes, pairs.
    pub(crate) fn kinds(&self) -> impl Iterator<Item = Kind> + '_ {
        (0..self.kinds).map(|k| self.kind(k))
    }

    /// The k-th kind.
    pub(crate) fn kind(&self, k: usize) -> Kind {
        let p = self.protocols.partition_point(|&(_, start)| start <= k);
        if p == 0 {
            return Kind::Home;
        }
        let (n, start) = self.protocols[p - 1];
        let p = ProtocolIdx::at(p - 1);
        let offset = k - start;
        if offset == 0 {
            return Kind::Protocol { p };
        }
        if offset <= n as usize {
            return Kind::Code {
                p,
                c: CodeIdx::at(offset - 1),
            };
        }
        let q = (offset - 1 - n as usize) as u64;
        let n = u64::from(n);
        // The last row `a` whose first pair is at or before q.
        let (mut lo, mut hi) = (0u64, n.saturating_sub(1));
        while lo + 1 < hi {
            let mid = (lo + hi) / 2;
            if row_start(n, mid) <= q {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let a = lo;
        let b = a + 1 + (q - row_start(n, a));
        Kind::Pair {
            p,
            a: CodeIdx::at(a as usize),
            b: CodeIdx::at(b as usize),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.kinds * self.locales
    }

    /// The i-th page: languages outer, kinds inner.
    pub(crate) fn page(&self, i: usize) -> Page {
        Page {
            kind: self.kind(i % self.kinds.max(1)),
            locale: LocaleIdx::at(i / self.kinds.max(1)),
        }
    }

    pub(crate) fn pages(&self) -> impl Iterator<Item = Page> + '_ {
        (0..self.len()).map(|i| self.page(i))
    }
}

/// Whether a page's main text is written in `locale`, not taken from the default language:
/// a code's name, description, when and fix; a pair's two codes and its note; a protocol's
/// title and summary. The home page always is (it is the language's way in), and so is
/// every page of the default language.
pub(crate) fn translated(site: &Site, kind: Kind, locale: LocaleIdx) -> bool {
    let code = |p: ProtocolIdx, c: CodeIdx| {
        let c = site.protocol(p).code(c);
        [&c.name, &c.description, &c.when, &c.fix]
            .iter()
            .all(|t| t.has(locale))
    };
    locale == Site::DEFAULT_LOCALE
        || match kind {
            Kind::Home => true,
            Kind::Protocol { p } => {
                let pr = site.protocol(p);
                pr.title.has(locale) && pr.summary.as_ref().is_none_or(|s| s.has(locale))
            }
            Kind::Code { p, c } => code(p, c),
            Kind::Pair { p, a, b } => {
                code(p, a)
                    && code(p, b)
                    && site
                        .protocol(p)
                        .note(a, b)
                        .is_none_or(|n| n.difference.has(locale) && n.which.has(locale))
            }
        }
}

/// Whether the page is built: always, except an untranslated page under `fallback: skip`.
pub(crate) fn exists(site: &Site, page: Page) -> bool {
    site.fallback != Fallback::Skip || translated(site, page.kind, page.locale)
}

/// Whether the page is offered to search engines — in the sitemap and in the hreflang
/// alternates of its siblings: every page that is built, except an untranslated page under
/// `fallback: noindex` (which is built with `noindex`).
pub(crate) fn listed(site: &Site, page: Page) -> bool {
    site.fallback == Fallback::Show || translated(site, page.kind, page.locale)
}

/// Appends the URL path of a page kind without the language prefix to `out`: `/`,
/// `/ftp/`, `/ftp/421/`, `/ftp/200-vs-421/`. (Appending, not `format!`: this runs a few times
/// per page, and a site may have hundreds of thousands.)
fn push_path(site: &Site, kind: Kind, out: &mut String) {
    out.push('/');
    match kind {
        Kind::Home => return,
        Kind::Protocol { p } => out.push_str(&site.protocol(p).id),
        Kind::Code { p, c } => {
            let pr = site.protocol(p);
            out.push_str(&pr.id);
            out.push('/');
            out.push_str(&pr.code(c).id);
        }
        Kind::Pair { p, a, b } => {
            let pr = site.protocol(p);
            out.push_str(&pr.id);
            out.push('/');
            // As `model::pair_segment`, without a String per call (this runs for every page).
            out.push_str(&pr.code(a).id);
            out.push_str("-vs-");
            out.push_str(&pr.code(b).id);
        }
    }
    out.push('/');
}

/// The URL path of a page kind without the language prefix.
pub(crate) fn path_of(site: &Site, kind: Kind) -> String {
    let mut s = String::with_capacity(32);
    push_path(site, kind, &mut s);
    s
}

/// Appends the URL path of a page in its language (`/zh/ftp/421/`) to `out`.
pub(crate) fn push_url(site: &Site, page: Page, out: &mut String) {
    out.push_str(site.prefix(page.locale));
    push_path(site, page.kind, out);
}

/// The URL path of a page in its language: `/zh/ftp/421/`.
pub(crate) fn url_of(site: &Site, page: Page) -> String {
    let mut s = String::with_capacity(40);
    push_url(site, page, &mut s);
    s
}

/// Where a page is written, relative to the output directory, as text:
/// `zh/ftp/421/index.html`.
pub(crate) fn file_path(site: &Site, page: Page) -> String {
    let mut s = String::with_capacity(52);
    push_url(site, page, &mut s);
    s.remove(0);
    s.push_str("index.html");
    s
}

/// Where the page at `url` is written, relative to the output directory.
#[cfg(test)]
fn file_of(url: &str) -> PathBuf {
    PathBuf::from(format!("{}index.html", url.trim_start_matches('/')))
}

/// The relative path from a page's URL back to the site root (`./`, `../`, `../../`): links
/// are relative so the site works under any base path and from a local folder.
pub(crate) fn root_of(url: &str) -> String {
    let depth = url.split('/').filter(|s| !s.is_empty()).count();
    if depth == 0 {
        "./".to_owned()
    } else {
        "../".repeat(depth)
    }
}

/// The file a page comes from, for pointing at it in a diagnostic.
pub(crate) fn source_of(site: &Site, kind: Kind) -> PathBuf {
    match kind {
        Kind::Home => PathBuf::from("content/site.yaml"),
        Kind::Protocol { p } => {
            PathBuf::from(format!("content/{}/_protocol.yaml", site.protocol(p).id))
        }
        Kind::Code { p, c } | Kind::Pair { p, a: c, .. } => site.protocol(p).code(c).file.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The kinds computed from indices are exactly the nested loops they stand for.
    #[test]
    fn kinds_by_index_match_the_nested_loops() {
        for sizes in [
            vec![0usize],
            vec![1],
            vec![2],
            vec![5, 0, 3],
            vec![7, 1, 12],
        ] {
            let plan = Plan {
                protocols: {
                    let mut v = Vec::new();
                    let mut next = 1;
                    for &n in &sizes {
                        v.push((n as u32, next));
                        next += 1 + n + n * n.saturating_sub(1) / 2;
                    }
                    v
                },
                kinds: 1 + sizes
                    .iter()
                    .map(|n| 1 + n + n * n.saturating_sub(1) / 2)
                    .sum::<usize>(),
                locales: 1,
            };
            let mut want = vec![Kind::Home];
            for (p, &n) in sizes.iter().enumerate() {
                let p = ProtocolIdx::at(p);
                want.push(Kind::Protocol { p });
                want.extend((0..n).map(|c| Kind::Code {
                    p,
                    c: CodeIdx::at(c),
                }));
                for a in 0..n {
                    want.extend((a + 1..n).map(|b| Kind::Pair {
                        p,
                        a: CodeIdx::at(a),
                        b: CodeIdx::at(b),
                    }));
                }
            }
            assert_eq!(plan.kinds().collect::<Vec<_>>(), want, "{sizes:?}");
        }
    }

    #[test]
    fn relative_roots() {
        assert_eq!(root_of("/"), "./");
        assert_eq!(root_of("/ftp/"), "../");
        assert_eq!(root_of("/zh/ftp/200-vs-421/"), "../../../");
    }

    #[test]
    fn file_paths_agree_with_urls() {
        let site = crate::model::tests::two_language_site();
        let plan = Plan::new(&site);
        for page in plan.pages() {
            let url = url_of(&site, page);
            assert_eq!(
                PathBuf::from(file_path(&site, page)),
                file_of(&url),
                "{url}"
            );
        }
    }

    #[test]
    fn files_are_directory_indexes() {
        assert_eq!(file_of("/"), PathBuf::from("index.html"));
        assert_eq!(
            file_of("/zh/ftp/421/"),
            PathBuf::from("zh/ftp/421/index.html")
        );
    }
}
