//! Size limits: a site is refused before anything is rendered when it would make more pages
//! than anyone means to publish — a protocol of 10,000 codes is 50 million pair pages per
//! language. Each limit is named in the error with the setting that raises it
//! (`limits:` in site.yaml; docs/content.md).

use std::path::Path;

use serde_saphyr::Spanned;

use super::pos;
use crate::diagnostic::{Diagnostic, Diagnostics, Pos};
use crate::load::raw::RawLimits;
use crate::model::Site;

/// The limits a site gets unless its site.yaml raises them.
const CODES_PER_PROTOCOL: u64 = 1_000;
const PAGES: u64 = 1_000_000;

/// The pages a site makes: per language, a home page and per protocol of n codes its
/// index, n code pages and n(n−1)/2 pair pages (SPEC §3).
fn pages(site: &Site) -> u128 {
    let per_language: u128 = 1 + site
        .protocols
        .iter()
        .map(|p| {
            let n = p.codes.len() as u128;
            1 + n + n * n.saturating_sub(1) / 2
        })
        .sum::<u128>();
    per_language * site.locales.len() as u128
}

/// Reports each limit the site passes: the defaults, or those `limits:` in site.yaml sets.
pub(crate) fn check(site: &Site, raw: Option<&Spanned<RawLimits>>, diags: &mut Diagnostics) {
    let site_file = Path::new("content/site.yaml");
    let at = |v: Option<&Spanned<u64>>| v.map_or(Pos::FILE, pos);
    let pages_limit = raw.and_then(|r| r.value.pages.as_ref());
    let codes_limit = raw.and_then(|r| r.value.codes_per_protocol.as_ref());
    let max_codes = codes_limit.map_or(CODES_PER_PROTOCOL, |v| v.value);
    let max_pages = pages_limit.map_or(PAGES, |v| v.value);
    for p in &site.protocols {
        let n = p.codes.len() as u64;
        if n > max_codes {
            diags.push(
                Diagnostic::error(
                    format!("content/{}", p.id),
                    Pos::FILE,
                    format!(
                        "protocol `{}` has {n} codes, more than the limit of {} per protocol ({} pair pages per language)",
                        p.id,
                        max_codes,
                        n * (n - 1) / 2
                    ),
                )
                .with_help(format!(
                    "if you mean it, raise the limit in {}: `limits: {{codes_per_protocol: {n}}}`",
                    site_file.display()
                )),
            );
        }
    }
    let total = pages(site);
    if total > u128::from(max_pages) {
        diags.push(
            Diagnostic::error(
                site_file,
                at(pages_limit),
                format!(
                    "the site would have {total} pages ({} languages), more than the limit of {}",
                    site.locales.len(),
                    max_pages
                ),
            )
            .with_help(format!(
                "if you mean it, raise the limit in {}: `limits: {{pages: {total}}}`; each protocol of N codes makes N(N-1)/2 pair pages per language",
                site_file.display()
            )),
        );
    }
}
