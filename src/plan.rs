//! Stage 3: every page of the site, its URL and its output path (SPEC §3), worked out before
//! anything is rendered, so collisions are found up front and rendering can be split freely
//! across threads (and across machines with `--shard`).

use std::collections::HashMap;
use std::path::PathBuf;

use crate::diagnostic::{Diagnostic, Diagnostics, Pos};
use crate::model::Site;

/// What a page shows, independent of its language. Indices point into the site model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Home,
    Protocol { p: u32 },
    Code { p: u32, c: u32 },
    Pair { p: u32, a: u32, b: u32 },
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Home => "home",
            Kind::Protocol { .. } => "protocol",
            Kind::Code { .. } => "code",
            Kind::Pair { .. } => "pair",
        }
    }
}

/// One page in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub kind: Kind,
    pub locale: usize,
}

/// The pages of a site: every kind in every language. Kinds are computed from their index
/// rather than stored, so the plan takes memory per protocol, not per page (a site with 200
/// codes has 20,000 pair kinds).
#[derive(Debug)]
pub struct Plan {
    /// Per protocol: its number of codes and the index of its protocol page among kinds.
    protocols: Vec<(u32, usize)>,
    kinds: usize,
    pub locales: usize,
}

/// Files written once, outside the per-language pages.
pub const NOT_FOUND: &str = "404.html";
pub const ROBOTS: &str = "robots.txt";
pub const SITEMAP: &str = "sitemap.xml";
pub const ASSETS_DIR: &str = "assets";

/// Index of the first pair `(a, _)` among a protocol's `n(n-1)/2` pairs in order.
fn row_start(n: u64, a: u64) -> u64 {
    a * (2 * n - a - 1) / 2
}

impl Plan {
    pub fn new(site: &Site) -> Plan {
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
    pub fn kinds_len(&self) -> usize {
        self.kinds
    }

    /// Every page kind, in order: home, then per protocol its index, codes, pairs.
    pub fn kinds(&self) -> impl Iterator<Item = Kind> + '_ {
        (0..self.kinds).map(|k| self.kind(k))
    }

    /// The k-th kind.
    pub fn kind(&self, k: usize) -> Kind {
        let p = self.protocols.partition_point(|&(_, start)| start <= k);
        if p == 0 {
            return Kind::Home;
        }
        let (n, start) = self.protocols[p - 1];
        let p = (p - 1) as u32;
        let offset = k - start;
        if offset == 0 {
            return Kind::Protocol { p };
        }
        if offset <= n as usize {
            return Kind::Code {
                p,
                c: offset as u32 - 1,
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
            a: a as u32,
            b: b as u32,
        }
    }

    pub fn len(&self) -> usize {
        self.kinds * self.locales
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The i-th page: languages outer, kinds inner.
    pub fn page(&self, i: usize) -> Page {
        Page {
            kind: self.kind(i % self.kinds),
            locale: i / self.kinds,
        }
    }

    pub fn pages(&self) -> impl Iterator<Item = Page> + '_ {
        (0..self.len()).map(|i| self.page(i))
    }
}

/// Appends the URL path of a page kind without the language prefix to `out`: `/`,
/// `/ftp/`, `/ftp/421/`, `/ftp/200-vs-421/`. (Appending, not `format!`: this runs a few times
/// per page, and a site may have hundreds of thousands.)
fn push_path(site: &Site, kind: Kind, out: &mut String) {
    out.push('/');
    let proto = |p: u32| &site.protocols[p as usize];
    match kind {
        Kind::Home => return,
        Kind::Protocol { p } => out.push_str(&proto(p).id),
        Kind::Code { p, c } => {
            out.push_str(&proto(p).id);
            out.push('/');
            out.push_str(&proto(p).codes[c as usize].id);
        }
        Kind::Pair { p, a, b } => {
            let pr = proto(p);
            out.push_str(&pr.id);
            out.push('/');
            out.push_str(&pr.codes[a as usize].id);
            out.push_str("-vs-");
            out.push_str(&pr.codes[b as usize].id);
        }
    }
    out.push('/');
}

/// The URL path of a page kind without the language prefix.
pub fn path_of(site: &Site, kind: Kind) -> String {
    let mut s = String::with_capacity(32);
    push_path(site, kind, &mut s);
    s
}

/// Appends the URL path of a page in its language (`/zh/ftp/421/`) to `out`.
pub fn push_url(site: &Site, page: Page, out: &mut String) {
    if page.locale != site.default_locale {
        out.push('/');
        out.push_str(&site.locales[page.locale].id);
    }
    push_path(site, page.kind, out);
}

/// The URL path of a page in its language: `/zh/ftp/421/`.
pub fn url_of(site: &Site, page: Page) -> String {
    let mut s = String::with_capacity(40);
    push_url(site, page, &mut s);
    s
}

/// Where a page is written, relative to the output directory, as text:
/// `zh/ftp/421/index.html`.
pub fn file_path(site: &Site, page: Page) -> String {
    let mut s = String::with_capacity(52);
    push_url(site, page, &mut s);
    s.remove(0);
    s.push_str("index.html");
    s
}

/// Where the page at `url` is written, relative to the output directory.
pub fn file_of(url: &str) -> PathBuf {
    PathBuf::from(format!("{}index.html", url.trim_start_matches('/')))
}

/// The relative path from a page's URL back to the site root (`./`, `../`, `../../`): links
/// are relative so the site works under any base path and from a local folder.
pub fn root_of(url: &str) -> String {
    let depth = url.split('/').filter(|s| !s.is_empty()).count();
    if depth == 0 {
        "./".to_owned()
    } else {
        "../".repeat(depth)
    }
}

/// The file a page comes from, for pointing at it in a diagnostic.
pub fn source_of(site: &Site, kind: Kind) -> PathBuf {
    match kind {
        Kind::Home => PathBuf::from("content/site.yaml"),
        Kind::Protocol { p } => PathBuf::from(format!(
            "content/{}/_protocol.yaml",
            site.protocols[p as usize].id
        )),
        Kind::Code { p, c } | Kind::Pair { p, a: c, .. } => {
            site.protocols[p as usize].codes[c as usize].file.clone()
        }
    }
}

/// Reports any two pages (or a page and a fixed file) that would be written to one path,
/// e.g. a protocol folder named like a language (`content/zh` beside `locales/zh.yaml`) or a
/// code named `200-vs-421`.
///
/// Works on names rather than on every page's path, so it costs O(codes), not O(pages):
/// only a protocol with a code containing `-vs-` can have pair paths that collide, and only
/// that protocol's names are compared one by one.
pub fn check_collisions(site: &Site, assets: &[String], diags: &mut Diagnostics) {
    let help = "rename the protocol folder or the code so their URLs differ";
    // The output root: fixed files, the assets folder, language folders, default-language
    // protocol folders.
    let mut top: HashMap<String, String> = HashMap::new();
    for fixed in [NOT_FOUND, ROBOTS, SITEMAP, "index.html"] {
        top.insert(fixed.to_owned(), format!("the site's {fixed}"));
    }
    if !assets.is_empty() {
        top.insert(ASSETS_DIR.to_owned(), format!("the {ASSETS_DIR}/ folder"));
    }
    for (i, l) in site.locales.iter().enumerate() {
        if i != site.default_locale {
            top.insert(
                l.id.clone(),
                format!("the home page of language `{}`", l.id),
            );
        }
    }
    for p in &site.protocols {
        if let Some(other) = top.get(&p.id) {
            diags.push(
                Diagnostic::error(
                    PathBuf::from(format!("content/{}/_protocol.yaml", p.id)),
                    Pos::FILE,
                    format!(
                        "the protocol page /{}/ and {other} would both be written to {}/index.html",
                        p.id, p.id
                    ),
                )
                .with_help(help),
            );
        }
    }
    // Inside a protocol folder: its index, its codes, its pairs.
    for (pi, p) in site.protocols.iter().enumerate() {
        for c in p.codes.iter().filter(|c| c.id == "index.html") {
            diags.push(
                Diagnostic::error(
                    &c.file,
                    Pos::FILE,
                    format!(
                        "the code `{}` would be written over the protocol page of `{}`",
                        c.id, p.id
                    ),
                )
                .with_help(help),
            );
        }
        if !p.codes.iter().any(|c| c.id.contains("-vs-")) {
            continue;
        }
        let mut seen: HashMap<String, Kind> = HashMap::new();
        let n = p.codes.len() as u32;
        let pi = pi as u32;
        let kinds = (0..n)
            .map(|c| Kind::Code { p: pi, c })
            .chain((0..n).flat_map(|a| (a + 1..n).map(move |b| Kind::Pair { p: pi, a, b })));
        for kind in kinds {
            let path = path_of(site, kind);
            if let Some(other) = seen.insert(path.clone(), kind) {
                diags.push(
                    Diagnostic::error(
                        source_of(site, kind),
                        Pos::FILE,
                        format!(
                            "the {} page {path} and a {} page would both be written to {}",
                            kind.name(),
                            other.name(),
                            file_of(&path).display()
                        ),
                    )
                    .with_help(help),
                );
            }
        }
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
                let (p, n) = (p as u32, n as u32);
                want.push(Kind::Protocol { p });
                want.extend((0..n).map(|c| Kind::Code { p, c }));
                for a in 0..n {
                    want.extend((a + 1..n).map(|b| Kind::Pair { p, a, b }));
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
