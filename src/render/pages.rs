//! The pages of a plan, rendered on every core: one language at a time, the pages of each
//! in parallel. While a language's pages render, the next language's values are prepared
//! beside them, so no core waits between languages; at most two languages' values are in
//! memory at once.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use super::{Job, Renderer};
use crate::model::{LocaleIdx, Site};
use crate::plan::{self, Plan};
use crate::progress::Progress;

/// The most pages one task renders before the rest of its range can be taken by an idle
/// core. Rayon splits a range only a few times unless asked; left to itself, one core
/// rendered the last thousand pages of a language alone while the other waited (a tenth
/// of a second at W(200,2)). Sixty-four pages take a few milliseconds.
const PAGES_PER_TASK: usize = 64;

/// Runs `each` on the page jobs of `(range, not_found)`: the pages of `range` (indices into
/// the plan; pages the site's `fallback` leaves out are passed over) and, with `not_found`,
/// `404.html`, each task reusing one buffer. Stops at the first failure (a template error
/// repeats on every page of its kind). Returns the results in no particular order.
pub(crate) fn each_page<T: Send>(
    renderer: &Renderer<'_>,
    plan: &Plan,
    (range, not_found): (Range<usize>, bool),
    progress: &Progress,
    each: impl Fn(&Job<'_>, &mut Vec<u8>) -> anyhow::Result<T> + Sync,
) -> anyhow::Result<Vec<T>> {
    let per = plan.kinds_len();
    // The languages with work: their pages of `range`, and whether 404.html (the default
    // language's) is built with them.
    let todo: Vec<(LocaleIdx, Range<usize>, bool)> = (0..plan.locales)
        .map(|l| {
            let pages = (l * per).max(range.start)..((l + 1) * per).min(range.end);
            (
                LocaleIdx::at(l),
                pages,
                not_found && l == Site::DEFAULT_LOCALE.get(),
            )
        })
        .filter(|(_, pages, not_found)| !pages.is_empty() || *not_found)
        .collect();
    let prepare = |i: usize| todo.get(i).map(|t| renderer.language(t.0)).transpose();
    let failed = AtomicBool::new(false);
    let mut out = Vec::with_capacity(range.len() + 1);
    let mut next = prepare(0)?;
    for (i, (_, pages, not_found)) in todo.iter().enumerate() {
        let Some(language) = next.take() else { break };
        if *not_found {
            out.push(each(&language.not_found(), &mut Vec::new())?);
        }
        let (results, following) = rayon::join(
            || {
                pages
                    .clone()
                    .into_par_iter()
                    .with_max_len(PAGES_PER_TASK)
                    .map_init(
                        || Vec::with_capacity(32 * 1024),
                        |buf, i| {
                            // `None`: left out by the site, or skipped after a failure.
                            if failed.load(Ordering::Relaxed) {
                                return None;
                            }
                            let page = plan.page(i);
                            let r = plan::exists(renderer.site(), page).then(|| {
                                let r = each(&language.page(page), buf);
                                failed.fetch_or(r.is_err(), Ordering::Relaxed);
                                r
                            });
                            progress.tick();
                            r
                        },
                    )
                    .collect::<Vec<_>>()
            },
            || prepare(i + 1),
        );
        for r in results.into_iter().flatten() {
            out.push(r?);
        }
        next = following?;
    }
    Ok(out)
}
