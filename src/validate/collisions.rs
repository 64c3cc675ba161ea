//! Two pages, or a page and a fixed file, that would be written to one path: a protocol
//! folder named like a language (`content/zh` beside `locales/zh.yaml`), a code named
//! `200-vs-421`, a code named `index.html`.
//!
//! Works on names rather than on every page's path, so it costs O(codes), not O(pages):
//! only a protocol with a code containing `-vs-` can have pair paths that collide, and only
//! that protocol's names are compared one by one.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::diagnostic::{Diagnostic, Diagnostics, Pos};
use crate::model::{ASSETS_DIR, NOT_FOUND, Protocol, ROBOTS, SITEMAP, Site, pair_segment};

const HELP: &str = "rename the protocol folder or the code so their URLs differ";

pub(super) fn check(site: &Site, assets: bool, diags: &mut Diagnostics) {
    // The output root: fixed files, the assets folder, language folders, default-language
    // protocol folders.
    let mut top: HashMap<String, String> = HashMap::new();
    for fixed in [NOT_FOUND, ROBOTS, SITEMAP, "index.html"] {
        top.insert(fixed.to_owned(), format!("the site's {fixed}"));
    }
    if assets {
        top.insert(ASSETS_DIR.to_owned(), format!("the {ASSETS_DIR}/ folder"));
    }
    for l in site.locales.iter().skip(1) {
        top.insert(
            l.id.clone(),
            format!("the home page of language `{}`", l.id),
        );
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
                .with_help(HELP),
            );
        }
        inside(p, diags);
    }
}

/// Inside a protocol folder: its index, its codes, its pairs.
fn inside(p: &Protocol, diags: &mut Diagnostics) {
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
            .with_help(HELP),
        );
    }
    if !p.codes.iter().any(|c| c.id.contains("-vs-")) {
        return;
    }
    // Every segment of the folder: a code's own, then each pair's.
    let mut seen: HashMap<String, &str> = HashMap::new();
    let codes = p.codes.iter().map(|c| (c.id.clone(), "code", &c.file));
    let pairs = p.codes.iter().enumerate().flat_map(|(i, a)| {
        p.codes[i + 1..]
            .iter()
            .map(move |b| (pair_segment(&a.id, &b.id), "pair", &a.file))
    });
    for (segment, kind, file) in codes.chain(pairs) {
        if let Some(other) = seen.insert(segment.clone(), kind) {
            diags.push(
                Diagnostic::error(
                    file,
                    Pos::FILE,
                    format!(
                        "the {kind} page /{}/{segment}/ and a {other} page would both be written to {}/{segment}/index.html",
                        p.id, p.id
                    ),
                )
                .with_help(HELP),
            );
        }
    }
}
