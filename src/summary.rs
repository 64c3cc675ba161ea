//! What a build or check did, as printed after it: pages by kind and language, how much
//! was rendered, translation coverage.

use std::time::Duration;

use crate::model::{Fallback, Site};
use crate::plan::{self, Kind, Plan};
use crate::shard::Shard;
use crate::validate::Coverage;

/// Pages built, by kind and language, for the summary.
#[derive(Debug, Clone, Default)]
pub(crate) struct Summary {
    /// `(locale id, [home, protocol, code, pair])`.
    pub pages: Vec<(String, [usize; 4])>,
    /// Per language: pages built with `noindex` (`fallback: noindex`), and pages left out
    /// (`fallback: skip`).
    pub unlisted: Vec<usize>,
    pub left_out: Vec<usize>,
    pub coverage: Vec<Coverage>,
    /// Pages rendered in this build, and pages carried over unchanged from the previous one.
    pub rendered: usize,
    pub carried: usize,
    pub shard: Option<Shard>,
    pub elapsed: Duration,
}

impl Summary {
    /// The summary of a site's plan (counts of what was rendered come later).
    pub(crate) fn new(site: &Site, plan: &Plan, coverage: &[Coverage]) -> Summary {
        let slot = |k: Kind| match k {
            Kind::Home => 0,
            Kind::Protocol { .. } => 1,
            Kind::Code { .. } => 2,
            Kind::Pair { .. } => 3,
        };
        let mut pages: Vec<(String, [usize; 4])> = site
            .locales
            .iter()
            .map(|l| (l.id.clone(), [0; 4]))
            .collect();
        let mut unlisted = vec![0; site.locales.len()];
        let mut left_out = vec![0; site.locales.len()];
        if site.fallback == Fallback::Show {
            // Every page in every language: count the kinds once.
            let mut per_kind = [0usize; 4];
            for k in plan.kinds() {
                per_kind[slot(k)] += 1;
            }
            for (_, k) in &mut pages {
                *k = per_kind;
            }
        } else {
            for page in plan.pages() {
                let l = page.locale.get();
                if plan::exists(site, page) {
                    pages[l].1[slot(page.kind)] += 1;
                    unlisted[l] += usize::from(!plan::listed(site, page));
                } else {
                    left_out[l] += 1;
                }
            }
        }
        Summary {
            pages,
            unlisted,
            left_out,
            coverage: coverage.to_vec(),
            rendered: 0,
            carried: 0,
            shard: None,
            elapsed: Duration::ZERO,
        }
    }

    pub(crate) fn total_pages(&self) -> usize {
        self.pages
            .iter()
            .map(|(_, k)| k.iter().sum::<usize>())
            .sum()
    }

    /// The summary as printed after a build.
    pub(crate) fn render(&self, verb: &str) -> String {
        let mut out = String::new();
        let langs = self.pages.len();
        out.push_str(&format!(
            "{verb} {} pages in {langs} language{} in {:.2?}",
            self.total_pages(),
            if langs == 1 { "" } else { "s" },
            self.elapsed
        ));
        if let Some(s) = self.shard {
            out.push_str(&format!(
                " (shard {}/{}: {} of them)",
                s.k,
                s.n,
                self.rendered + self.carried
            ));
        }
        if self.carried > 0 {
            out.push_str(&format!(
                " ({} re-rendered, {} unchanged)",
                self.rendered, self.carried
            ));
        }
        out.push('\n');
        for (i, ((id, k), cov)) in self.pages.iter().zip(&self.coverage).enumerate() {
            out.push_str(&format!(
                "  {id:<8} {:>6} home  {:>4} protocol  {:>6} code  {:>8} pair   translated {}/{}",
                k[0], k[1], k[2], k[3], cov.translated, cov.total
            ));
            if cov.fallbacks() > 0 {
                out.push_str(&format!(
                    " ({} fallback{} in {} file{})",
                    cov.fallbacks(),
                    if cov.fallbacks() == 1 { "" } else { "s" },
                    cov.fallback_files.len(),
                    if cov.fallback_files.len() == 1 {
                        ""
                    } else {
                        "s"
                    }
                ));
            }
            match (self.unlisted[i], self.left_out[i]) {
                (0, 0) => {}
                (n, 0) => out.push_str(&format!(", {n} not indexed (fallback: noindex)")),
                (_, n) => out.push_str(&format!(", {n} left out (fallback: skip)")),
            }
            out.push('\n');
        }
        out
    }

    /// Per language: values translated out of all, and the files that fall back.
    pub(crate) fn translation_report(&self) -> String {
        let mut out = String::from("translations:\n");
        for c in &self.coverage {
            let pct = if c.total == 0 {
                100.0
            } else {
                100.0 * c.translated as f64 / c.total as f64
            };
            out.push_str(&format!(
                "  {:<8} {}/{} ({pct:.1}%)\n",
                c.locale, c.translated, c.total
            ));
            const SHOWN: usize = 10;
            for f in c.fallback_files.iter().take(SHOWN) {
                out.push_str(&format!("           falls back: {}\n", f.display()));
            }
            if c.fallback_files.len() > SHOWN {
                out.push_str(&format!(
                    "           … and {} more files\n",
                    c.fallback_files.len() - SHOWN
                ));
            }
        }
        out
    }
}
