//! The stages joined up: load → validate → plan → render → write. `build` writes the site;
//! `check` does everything but write.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;
use tera::Tera;

use crate::audit::Audit;
use crate::content::load;
use crate::diagnostic::{Diagnostic, Diagnostics, Pos};
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
}

/// Loads and checks everything a build needs. Returns `None` when any error was found (all
/// of them are in `diags`).
pub fn prepare(root: &Path, base_url: Option<&str>, diags: &mut Diagnostics) -> Option<Prepared> {
    let loaded = load::load(root, diags);
    let tera = templates::load(root, diags);
    let assets = templates::assets(root, diags);
    let (site, coverage) = validate::validate(loaded, base_url, diags)?;
    let plan = Plan::new(&site);
    let names: Vec<String> = assets.iter().map(|a| a.name.clone()).collect();
    plan::check_collisions(&site, &names, diags);
    if diags.has_errors() {
        return None;
    }
    Some(Prepared {
        site,
        coverage,
        tera: tera?,
        assets,
        plan,
    })
}

/// Pages built, by kind and language, for the summary.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    /// `(locale id, [home, protocol, code, pair])`.
    pub pages: Vec<(String, [usize; 4])>,
    pub coverage: Vec<Coverage>,
    pub files: usize,
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
            files: 0,
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
            "{verb} {} pages in {langs} language{} in {:.2?}\n",
            self.total_pages(),
            if langs == 1 { "" } else { "s" },
            self.elapsed
        ));
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
}

impl Summary {
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
}

/// Builds the site into a fresh directory and swaps it in.
pub fn build(opts: &BuildOptions, diags: &mut Diagnostics) -> Result<Summary, BuildError> {
    let start = Instant::now();
    // Refuse a foreign output directory before doing any work.
    crate::write::check_target(&opts.output).map_err(BuildError::Output)?;
    let Some(prepared) = prepare(&opts.root, opts.base_url.as_deref(), diags) else {
        return Err(BuildError::Content(std::mem::take(diags)));
    };
    let staging = Staging::new(&opts.output).map_err(BuildError::Output)?;
    let mut summary = Summary::new(&prepared);
    summary.files = write_site(&prepared, staging.dir(), opts.progress).map_err(|d| {
        let mut all = std::mem::take(diags);
        all.extend(d);
        BuildError::Content(all)
    })?;
    staging.commit().map_err(BuildError::Output)?;
    summary.elapsed = start.elapsed();
    Ok(summary)
}

/// Renders every page in parallel and writes it, with the shared files. Returns how many
/// files were written.
fn write_site(prepared: &Prepared, out: &Path, progress: bool) -> Result<usize, Diagnostics> {
    let site = &prepared.site;
    let plan = &prepared.plan;
    let io_error = |path: &Path, e: std::io::Error| {
        let mut d = Diagnostics::default();
        d.push(Diagnostic::error(
            path,
            Pos::FILE,
            format!("cannot write: {e}"),
        ));
        d
    };
    // Directories of languages and protocols first; each page then makes only its own.
    let folders = std::iter::once(Kind::Home)
        .chain((0..site.protocols.len() as u32).map(|p| Kind::Protocol { p }));
    for kind in folders {
        for locale in 0..site.locales.len() {
            let url = plan::url_of(site, plan::Page { kind, locale });
            let dir = out.join(url.trim_start_matches('/'));
            fs::create_dir_all(&dir).map_err(|e| io_error(&dir, e))?;
        }
    }
    let stylesheet = format!("{ASSETS_DIR}/style.css");
    let renderer = Renderer::new(site, prepared.tera.clone(), &stylesheet);

    let progress = Progress::start(plan.len(), progress);
    let not_found = |language: &Language<'_, '_>| {
        if language.locale != site.default_locale {
            return Ok(());
        }
        let mut buf = Vec::new();
        language.render_not_found(&mut buf)?;
        let path = out.join(NOT_FOUND);
        fs::write(&path, &buf)
            .map_err(|e| Diagnostic::error(&path, Pos::FILE, format!("cannot write: {e}")))
    };
    let errors = render_all(&renderer, plan, &progress, not_found, |page, html| {
        let url = plan::url_of(site, page);
        let file = out.join(plan::file_of(&url));
        if let Some(parent) = file.parent()
            && let Err(e) = fs::create_dir(parent)
            && e.kind() != std::io::ErrorKind::AlreadyExists
        {
            return Err(Diagnostic::error(
                parent,
                Pos::FILE,
                format!("cannot create: {e}"),
            ));
        }
        fs::write(&file, html)
            .map_err(|e| Diagnostic::error(&file, Pos::FILE, format!("cannot write: {e}")))
    });
    progress.finish();
    if !errors.is_empty() {
        return Err(errors);
    }
    let path = out.join(ROBOTS);
    fs::write(&path, sitemap::robots(site)).map_err(|e| io_error(&path, e))?;
    let sitemaps = sitemap::write(site, plan, out).map_err(|e| io_error(out, e))?;
    for asset in &prepared.assets {
        let path = out.join(ASSETS_DIR).join(&asset.name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| io_error(parent, e))?;
        }
        fs::write(&path, &asset.bytes).map_err(|e| io_error(&path, e))?;
    }
    Ok(plan.len() + 2 + sitemaps.len() + prepared.assets.len())
}

/// Renders every page, one language at a time and the pages of each in parallel (each
/// thread reusing one buffer), and hands each to `sink`. `per_language` runs once per
/// language before its pages (the 404 page is rendered there). Stops at the first failure:
/// a template error repeats on every page of its kind.
fn render_all(
    renderer: &Renderer<'_>,
    plan: &Plan,
    progress: &Progress,
    per_language: impl Fn(&Language<'_, '_>) -> Result<(), Diagnostic>,
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
    for locale in 0..plan.locales {
        let language = renderer.language(locale);
        if let Err(d) = per_language(&language) {
            fail(d);
        }
        (0..plan.kinds_len()).into_par_iter().for_each_init(
            || Vec::with_capacity(32 * 1024),
            |buf, k| {
                if failed.load(Ordering::Relaxed) {
                    return;
                }
                let page = plan::Page {
                    kind: plan.kind(k),
                    locale,
                };
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
    let stylesheet = format!("{ASSETS_DIR}/style.css");
    let renderer = Renderer::new(site, prepared.tera.clone(), &stylesheet);
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
    let audit = Audit::new(&site.base_url, pages, files);
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
        &bar,
        not_found,
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
