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

/// The pages of a site: every kind in every language.
#[derive(Debug)]
pub struct Plan {
    /// Every page kind, in order: home, then per protocol its index, codes, pairs.
    pub kinds: Vec<Kind>,
    pub locales: usize,
}

/// Files written once, outside the per-language pages.
pub const NOT_FOUND: &str = "404.html";
pub const ROBOTS: &str = "robots.txt";
pub const SITEMAP: &str = "sitemap.xml";
pub const ASSETS_DIR: &str = "assets";

impl Plan {
    pub fn new(site: &Site) -> Plan {
        let mut kinds = vec![Kind::Home];
        for (p, proto) in site.protocols.iter().enumerate() {
            let p = p as u32;
            let n = proto.codes.len() as u32;
            kinds.push(Kind::Protocol { p });
            kinds.extend((0..n).map(|c| Kind::Code { p, c }));
            for a in 0..n {
                kinds.extend((a + 1..n).map(|b| Kind::Pair { p, a, b }));
            }
        }
        Plan {
            kinds,
            locales: site.locales.len(),
        }
    }

    pub fn len(&self) -> usize {
        self.kinds.len() * self.locales
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The i-th page: languages outer, kinds inner.
    pub fn page(&self, i: usize) -> Page {
        Page {
            kind: self.kinds[i % self.kinds.len()],
            locale: i / self.kinds.len(),
        }
    }

    pub fn pages(&self) -> impl Iterator<Item = Page> + '_ {
        (0..self.len()).map(|i| self.page(i))
    }
}

/// The URL path of a page kind without the language prefix: `/`, `/ftp/`, `/ftp/421/`,
/// `/ftp/200-vs-421/`.
pub fn path_of(site: &Site, kind: Kind) -> String {
    match kind {
        Kind::Home => "/".to_owned(),
        Kind::Protocol { p } => format!("/{}/", site.protocols[p as usize].id),
        Kind::Code { p, c } => {
            let proto = &site.protocols[p as usize];
            format!("/{}/{}/", proto.id, proto.codes[c as usize].id)
        }
        Kind::Pair { p, a, b } => {
            let proto = &site.protocols[p as usize];
            format!(
                "/{}/{}-vs-{}/",
                proto.id, proto.codes[a as usize].id, proto.codes[b as usize].id
            )
        }
    }
}

/// The URL path of a page in its language: `/zh/ftp/421/`.
pub fn url_of(site: &Site, page: Page) -> String {
    format!("{}{}", site.prefix(page.locale), path_of(site, page.kind))
}

/// Where the page is written, relative to the output directory.
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
pub fn check_collisions(site: &Site, plan: &Plan, assets: &[String], diags: &mut Diagnostics) {
    let mut seen: HashMap<PathBuf, String> = HashMap::with_capacity(plan.len() + 8);
    for fixed in [NOT_FOUND, ROBOTS, SITEMAP] {
        seen.insert(PathBuf::from(fixed), format!("the site's {fixed}"));
    }
    for a in assets {
        seen.insert(
            PathBuf::from(ASSETS_DIR).join(a),
            format!("the asset {ASSETS_DIR}/{a}"),
        );
    }
    for page in plan.pages() {
        let url = url_of(site, page);
        let file = file_of(&url);
        let what = format!("the {} page {url}", page.kind.name());
        if let Some(other) = seen.insert(file.clone(), what.clone()) {
            diags.push(
                Diagnostic::error(
                    source_of(site, page.kind),
                    Pos::FILE,
                    format!(
                        "{what} and {other} would both be written to {}",
                        file.display()
                    ),
                )
                .with_help("rename the protocol folder or the code so their URLs differ"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_roots() {
        assert_eq!(root_of("/"), "./");
        assert_eq!(root_of("/ftp/"), "../");
        assert_eq!(root_of("/zh/ftp/200-vs-421/"), "../../../");
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
