//! The stages joined up: load → validate → plan → render → write. `build` writes the site;
//! `check` does everything but write.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tera::Tera;

use crate::audit::Audit;
use crate::content::load;
use crate::diagnostic::{Diagnostic, Diagnostics, Pos};
use crate::fingerprint::{self, Fingerprint};
use crate::incremental::{self, Inputs, Previous};
use crate::model::Site;
use crate::plan::{self, ASSETS_DIR, Kind, NOT_FOUND, Plan, ROBOTS};
use crate::progress::Progress;
use crate::render::templates::{self, Asset};
use crate::render::{Language, Renderer, sitemap};
use crate::validate::{self, Coverage};
use crate::write::{OutputError, Staging};

/// A loaded, validated site with its templates, ready to render.
pub struct Prepared {
    pub site: Site,
    pub coverage: Vec<Coverage>,
    pub tera: Tera,
    pub assets: Vec<Asset>,
    pub plan: Plan,
    /// Fingerprint of the templates and assets, for incremental rebuilds.
    pub templates_hash: u64,
}

/// Loads and checks everything a build needs. Returns `None` when any error was found (all
/// of them are in `diags`).
pub fn prepare(root: &Path, base_url: Option<&str>, diags: &mut Diagnostics) -> Option<Prepared> {
    let loaded = load::load(root, diags);
    let tera = templates::load(root, diags);
    let assets = templates::assets(root, diags);
    let (site, coverage) = validate::validate(root, loaded, base_url, diags)?;
    let plan = Plan::new(&site);
    let names: Vec<String> = assets.iter().map(|a| a.name.clone()).collect();
    plan::check_collisions(&site, &names, diags);
    if diags.has_errors() {
        return None;
    }
    let (tera, hash) = tera?;
    let templates_hash = assets
        .iter()
        .fold(Fingerprint::new().u64(hash), |f, a| {
            f.str(&a.name).bytes(&a.bytes)
        })
        .finish();
    Some(Prepared {
        site,
        coverage,
        tera,
        assets,
        plan,
        templates_hash,
    })
}

/// Pages built, by kind and language, for the summary.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// `(locale id, [home, protocol, code, pair])`.
    pub pages: Vec<(String, [usize; 4])>,
    pub coverage: Vec<Coverage>,
    /// Pages rendered in this build, and pages carried over unchanged from the previous one.
    pub rendered: usize,
    pub carried: usize,
    pub shard: Option<Shard>,
    pub elapsed: Duration,
}

impl Summary {
    fn new(prepared: &Prepared) -> Summary {
        let mut per_kind = [0usize; 4];
        for k in prepared.plan.kinds() {
            per_kind[match k {
                Kind::Home => 0,
                Kind::Protocol { .. } => 1,
                Kind::Code { .. } => 2,
                Kind::Pair { .. } => 3,
            }] += 1;
        }
        Summary {
            pages: prepared
                .site
                .locales
                .iter()
                .map(|l| (l.id.clone(), per_kind))
                .collect(),
            coverage: prepared.coverage.clone(),
            rendered: 0,
            carried: 0,
            shard: None,
            elapsed: Duration::ZERO,
        }
    }

    pub fn total_pages(&self) -> usize {
        self.pages
            .iter()
            .map(|(_, k)| k.iter().sum::<usize>())
            .sum()
    }

    /// The summary as printed after a build.
    pub fn render(&self, verb: &str) -> String {
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
        for ((id, k), cov) in self.pages.iter().zip(&self.coverage) {
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
            out.push('\n');
        }
        out
    }

    /// Per language: values translated out of all, and the files that fall back.
    pub fn translation_report(&self) -> String {
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

/// Why a build failed.
#[derive(Debug)]
pub enum BuildError {
    /// Content or template problems (exit 1).
    Content(Diagnostics),
    /// The output directory cannot be used (exit 2 when refused, else 1).
    Output(OutputError),
}

/// Options of `versus build`.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub base_url: Option<String>,
    /// Draw a progress bar (on a terminal, for builds over a second).
    pub progress: bool,
    /// Re-render every page even when the previous output's manifest says it is unchanged.
    pub full: bool,
    /// Render only slice `k` of `n` (1-based): see [`Shard`].
    pub shard: Option<Shard>,
}

/// A deterministic slice of a site's pages, so N machines can build one site together: the
/// union of the outputs of shards 1/N … N/N is the full site. Shard 1 also writes the files
/// every site has once (404.html, robots.txt, sitemap, assets).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub k: usize,
    pub n: usize,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Shard, String> {
        let (k, n) = s.split_once('/').ok_or("write a shard as K/N, e.g. 2/3")?;
        let (k, n): (usize, usize) = (
            k.trim()
                .parse()
                .map_err(|_| format!("`{k}` is not a number"))?,
            n.trim()
                .parse()
                .map_err(|_| format!("`{n}` is not a number"))?,
        );
        if n == 0 || k == 0 || k > n {
            return Err(format!("shard {k}/{n}: K must be from 1 to N"));
        }
        Ok(Shard { k, n })
    }
}

impl Shard {
    /// This shard's pages among `len`: a contiguous range, so each machine writes whole
    /// folders and the split does not depend on the thread count.
    pub fn range(self, len: usize) -> std::ops::Range<usize> {
        let at = |i: usize| ((i as u128 * len as u128) / self.n as u128) as usize;
        at(self.k - 1)..at(self.k)
    }

    fn writes_shared_files(self) -> bool {
        self.k == 1
    }
}

/// Builds the site. The first build (or `--full`, or a shard) renders every page into a
/// fresh directory and swaps it in; later builds read the previous output's manifest, render
/// only the pages whose inputs changed into a fresh directory and move those into place.
/// Either way a failed build leaves the previous output as it was.
pub fn build(opts: &BuildOptions, diags: &mut Diagnostics) -> Result<Summary, BuildError> {
    let start = Instant::now();
    // Refuse a foreign output directory before doing any work.
    crate::write::check_target(&opts.output).map_err(BuildError::Output)?;
    let Some(prepared) = prepare(&opts.root, opts.base_url.as_deref(), diags) else {
        return Err(BuildError::Content(std::mem::take(diags)));
    };
    let previous = if opts.full || opts.shard.is_some() {
        None
    } else {
        Previous::load(&opts.output)
    };
    let staging = Staging::new(&opts.output).map_err(BuildError::Output)?;
    let mut summary = Summary::new(&prepared);
    let written = write_site(&prepared, staging.dir(), opts, previous.as_ref()).map_err(|d| {
        let mut all = std::mem::take(diags);
        all.extend(d);
        BuildError::Content(all)
    })?;
    match (&previous, written.listed) {
        (Some(prev), Some(listed)) => {
            prev.apply(staging.dir(), &listed)
                .map_err(|e| BuildError::Output(OutputError::Io(opts.output.clone(), e)))?;
            drop(staging);
        }
        _ => staging.commit().map_err(BuildError::Output)?,
    }
    summary.rendered = written.rendered;
    summary.carried = written.carried;
    summary.shard = opts.shard;
    summary.elapsed = start.elapsed();
    Ok(summary)
}

/// What `write_site` did.
struct Written {
    /// Pages rendered, and pages left as the previous build wrote them.
    rendered: usize,
    carried: usize,
    /// The path fingerprints the new manifest lists (not for shards).
    listed: Option<HashSet<u64>>,
}

/// Renders the pages (of the shard, if any) in parallel and writes them into `out`, then the
/// files every site has once, then the manifest. With a previous build, only what changed is
/// written: pages whose inputs are unchanged are skipped without rendering, and files that
/// come out byte-identical to the previous ones are not written (so they keep their mtime).
fn write_site(
    prepared: &Prepared,
    out: &Path,
    opts: &BuildOptions,
    previous: Option<&Previous>,
) -> Result<Written, Diagnostics> {
    let site = &prepared.site;
    let plan = &prepared.plan;
    let inputs = Inputs::new(site, prepared.templates_hash);
    let range = opts.shard.map_or(0..plan.len(), |s| s.range(plan.len()));
    let shared = opts.shard.is_none_or(Shard::writes_shared_files);
    let renderer = Renderer::new(site, prepared.tera.clone());
    let carried = AtomicUsize::new(0);

    // Writes `bytes` to `rel` unless the previous build has the very same file.
    let put = |rel: &Path, bytes: &[u8]| -> Result<(), Diagnostic> {
        if previous.is_some_and(|p| p.same_bytes(rel, bytes)) {
            return Ok(());
        }
        let file = out.join(rel);
        ensure_parent(&file)
            .and_then(|()| fs::write(&file, bytes))
            .map_err(|e| Diagnostic::error(&file, Pos::FILE, format!("cannot write: {e}")))
    };
    let progress = Progress::start(range.len(), opts.progress);
    // Fingerprint of 404.html's bytes, for the manifest.
    let mut not_found_hash = None;
    let not_found = |language: &Language<'_, '_>| {
        if shared && language.locale == site.default_locale {
            let mut buf = Vec::new();
            language.render_not_found(&mut buf)?;
            put(Path::new(NOT_FOUND), &buf)?;
            not_found_hash = Some(fingerprint::of(&buf));
        }
        Ok(())
    };
    let unchanged = |page: plan::Page| {
        let same = previous
            .is_some_and(|prev| prev.unchanged(&plan::file_path(site, page), inputs.of(page)));
        if same {
            carried.fetch_add(1, Ordering::Relaxed);
        }
        same
    };
    let errors = render_all(
        &renderer,
        plan,
        range.clone(),
        &progress,
        not_found,
        unchanged,
        |page, html| put(Path::new(&plan::file_path(site, page)), html),
    );
    progress.finish();
    if !errors.is_empty() {
        return Err(errors);
    }

    // The files a site has once, with the fingerprints of their bytes for the manifest.
    let mut shared_files: Vec<(PathBuf, u64)> = Vec::new();
    if shared {
        shared_files.extend(not_found_hash.map(|h| (PathBuf::from(NOT_FOUND), h)));
        let robots = sitemap::robots(site);
        put(Path::new(ROBOTS), robots.as_bytes())?;
        shared_files.push((PathBuf::from(ROBOTS), fingerprint::of(robots.as_bytes())));
        for asset in &prepared.assets {
            let rel = Path::new(ASSETS_DIR).join(&asset.name);
            put(&rel, &asset.bytes)?;
            shared_files.push((rel, fingerprint::of(&asset.bytes)));
        }
        // The sitemap depends only on the site's URLs: rewritten when they change.
        let urls = inputs.urls();
        let names = sitemap::names(plan.len(), sitemap::per_file(site));
        if !names
            .iter()
            .all(|n| previous.is_some_and(|p| p.unchanged(n, urls)))
        {
            sitemap::write(site, plan, out).map_err(|e| {
                Diagnostics::from(Diagnostic::error(
                    out,
                    Pos::FILE,
                    format!("cannot write the sitemap: {e}"),
                ))
            })?;
        }
        shared_files.extend(names.into_iter().map(|n| (PathBuf::from(n), urls)));
    }
    let listed = match opts.shard {
        Some(_) => None,
        None => {
            incremental::write_manifest(out, site, plan, &inputs, &shared_files, previous.is_some())
                .map_err(|e| {
                    Diagnostics::from(Diagnostic::error(
                        out,
                        Pos::FILE,
                        format!("cannot write the manifest: {e}"),
                    ))
                })?
        }
    };
    let carried = carried.into_inner();
    Ok(Written {
        rendered: range.len() - carried,
        carried,
        listed,
    })
}

/// Creates the parent folder of `file` if it is missing (a single `mkdir` in the common case).
fn ensure_parent(file: &Path) -> std::io::Result<()> {
    let Some(parent) = file.parent() else {
        return Ok(());
    };
    match fs::create_dir(parent) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => fs::create_dir_all(parent),
        Err(e) => Err(e),
    }
}

/// Renders the pages in `range` (indices into the plan), one language at a time and the
/// pages of each in parallel (each thread reusing one buffer), and hands each to `sink`.
/// `per_language` runs once per language before its pages (the 404 page is rendered there);
/// `skip` may take a page off the list (carried over from a previous build). Stops at the
/// first failure: a template error repeats on every page of its kind.
fn render_all(
    renderer: &Renderer<'_>,
    plan: &Plan,
    range: std::ops::Range<usize>,
    progress: &Progress,
    mut per_language: impl FnMut(&Language<'_, '_>) -> Result<(), Diagnostic>,
    skip: impl Fn(plan::Page) -> bool + Sync,
    sink: impl Fn(plan::Page, &[u8]) -> Result<(), Diagnostic> + Sync,
) -> Diagnostics {
    let failed = AtomicBool::new(false);
    let errors: Mutex<Diagnostics> = Mutex::new(Diagnostics::default());
    let fail = |d: Diagnostic| {
        failed.store(true, Ordering::Relaxed);
        if let Ok(mut all) = errors.lock() {
            all.push(d);
        }
    };
    let per = plan.kinds_len();
    for locale in 0..plan.locales {
        let pages = (locale * per).max(range.start)..((locale + 1) * per).min(range.end);
        if pages.is_empty() {
            continue;
        }
        let language = renderer.language(locale);
        if let Err(d) = per_language(&language) {
            fail(d);
        }
        pages.into_par_iter().for_each_init(
            || Vec::with_capacity(32 * 1024),
            |buf, i| {
                if failed.load(Ordering::Relaxed) {
                    return;
                }
                let page = plan.page(i);
                if skip(page) {
                    progress.tick();
                    return;
                }
                if let Err(d) = language.render(page, buf).and_then(|()| sink(page, buf)) {
                    fail(d);
                }
                progress.tick();
            },
        );
        if failed.load(Ordering::Relaxed) {
            break;
        }
    }
    errors.into_inner().unwrap_or_default()
}

/// `versus check`: everything a build does except writing, plus checks on the rendered
/// pages (links, anchors, hreflang reciprocity).
pub fn check(root: &Path, progress: bool, diags: &mut Diagnostics) -> Option<Summary> {
    let start = Instant::now();
    let prepared = prepare(root, None, diags)?;
    let site = &prepared.site;
    let plan = &prepared.plan;
    let renderer = Renderer::new(site, prepared.tera.clone());
    let pages: HashSet<String> = plan.pages().map(|p| plan::url_of(site, p)).collect();
    let mut files: HashSet<String> = [NOT_FOUND, ROBOTS, plan::SITEMAP]
        .iter()
        .map(|f| format!("/{f}"))
        .collect();
    files.extend(
        prepared
            .assets
            .iter()
            .map(|a| format!("/{ASSETS_DIR}/{}", a.name)),
    );
    let prefixes: Vec<String> = (0..site.locales.len())
        .map(|i| site.prefix(i))
        .filter(|p| !p.is_empty())
        .collect();
    let audit = Audit::new(&site.base_url, &prefixes, pages, files);
    let bar = Progress::start(plan.len(), progress);
    let not_found = |language: &Language<'_, '_>| {
        if language.locale == site.default_locale {
            language.render_not_found(&mut Vec::new())?;
        }
        Ok(())
    };
    diags.extend(render_all(
        &renderer,
        plan,
        0..plan.len(),
        &bar,
        not_found,
        |_| false,
        |page, html| {
            let url = plan::url_of(site, page);
            audit.page(
                &url,
                &plan::source_of(site, page.kind),
                &String::from_utf8_lossy(html),
            );
            Ok(())
        },
    ));
    bar.finish();
    diags.extend(audit.finish(|url| {
        plan.pages()
            .find(|p| plan::url_of(site, *p) == url)
            .map_or_else(
                || PathBuf::from("content/site.yaml"),
                |p| plan::source_of(site, p.kind),
            )
    }));
    if diags.has_errors() {
        return None;
    }
    let mut summary = Summary::new(&prepared);
    summary.elapsed = start.elapsed();
    Some(summary)
}
