//! The stages joined: load → validate → plan → render → write (`build`), or → audit
//! (`check`). Each stage is a module; this one only passes what one produces to the next.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Instant;

use anyhow::Context;

use crate::audit::Audit;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::hosts;
use crate::load::{self, Asset};
use crate::model::{ASSETS_DIR, ROBOTS, Site};
use crate::plan::Plan;
use crate::progress::Progress;
use crate::render::pages::each_page;
use crate::render::{Renderer, sitemap, templates};
use crate::shard::Shard;
use crate::summary::Summary;
use crate::validate::{self, Coverage};
use crate::write::manifest::Entry;
use crate::write::{self, Reuse, Writer};

/// Why a command failed: problems in the site's files (all of them, exit 1), or a system
/// error or refusal with its cause chain.
#[derive(Debug)]
pub(crate) enum Failure {
    Content(Diagnostics),
    System(anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(e: anyhow::Error) -> Failure {
        match e.downcast::<Diagnostic>() {
            Ok(d) => Failure::Content(Diagnostics::from(d)),
            Err(e) => Failure::System(e),
        }
    }
}

/// A validated site with its compiled templates and its plan.
struct Prepared {
    site: Site,
    coverage: Vec<Coverage>,
    compiled: (tera::Tera, u64),
    assets: Vec<Asset>,
    plan: Plan,
}

/// Loads and validates the site and compiles its templates; every problem goes to `diags`.
fn prepare(root: &Path, base_url: Option<&str>, diags: &mut Diagnostics) -> Option<Prepared> {
    let loaded = load::load(root, diags);
    let valid = validate::validate(loaded, base_url, diags)?;
    let compiled = templates::compile(&valid.templates)
        .map_err(|d| diags.push(d))
        .ok()?;
    if diags.has_errors() {
        return None;
    }
    let plan = Plan::new(&valid.site);
    Some(Prepared {
        site: valid.site,
        coverage: valid.coverage,
        compiled,
        assets: valid.assets,
        plan,
    })
}

/// Options of `versus build`.
#[derive(Debug, Clone)]
pub(crate) struct BuildOptions {
    pub root: PathBuf,
    pub output: PathBuf,
    pub base_url: Option<String>,
    /// Draw a progress bar (on a terminal, for builds over a second).
    pub progress: bool,
    /// Render every page anew.
    pub full: bool,
    pub shard: Option<Shard>,
}

/// Builds the site into `opts.output`; warnings go to `diags`.
pub(crate) fn build(opts: &BuildOptions, diags: &mut Diagnostics) -> Result<Summary, Failure> {
    let start = Instant::now();
    // Refuse a foreign output before doing any work.
    write::check_target(&opts.output, &opts.root).map_err(|e| Failure::System(e.into()))?;
    let Some(p) = prepare(&opts.root, opts.base_url.as_deref(), diags) else {
        return Err(Failure::Content(std::mem::take(diags)));
    };
    let reuse = if opts.full || opts.shard.is_some() {
        Reuse::Nothing
    } else {
        Reuse::Unchanged
    };
    let writer = Writer::open(&opts.output, &opts.root, reuse)?;
    let renderer = Renderer::new(&p.site, p.compiled);
    let range = opts
        .shard
        .map_or(0..p.plan.len(), |s| s.range(p.plan.len()));
    let bar = Progress::start(range.len(), opts.progress);
    let shared_files = opts.shard.is_none_or(Shard::writes_shared_files);
    let jobs = (range.clone(), shared_files);
    // The sitemap, robots.txt and assets come from the plan, not the pages: written beside
    // them, they do not hold up the end of the build.
    let (pages, others) = rayon::join(
        || {
            each_page(&renderer, &p.plan, jobs, &bar, |job, buf| {
                writer
                    .page(&job.path, job.key, buf, |buf| Ok(job.render(buf)?))
                    .map(|(e, _)| e)
            })
        },
        || {
            if shared_files {
                site_files(&writer, &p.site, &p.plan, &p.assets)
            } else {
                Ok(Vec::new())
            }
        },
    );
    let mut entries = pages?;
    entries.extend(others?);
    bar.finish();
    if opts.shard.is_none() {
        for w in hosts::warnings(&opts.output, &hosts::Footprint::of(&entries)) {
            diags.push(w);
        }
    }
    let (rendered, carried) = writer.counts();
    writer
        .commit(entries, opts.shard.is_none())
        .context("publishing the new output")?;
    let mut summary = Summary::new(&p.site, &p.plan, &p.coverage);
    summary.rendered = rendered;
    summary.carried = carried;
    summary.shard = opts.shard;
    summary.elapsed = start.elapsed();
    Ok(summary)
}

/// The files of the site besides its pages: robots.txt, the assets and the sitemap.
fn site_files(
    writer: &Writer,
    site: &Site,
    plan: &Plan,
    assets: &[Asset],
) -> anyhow::Result<Vec<Entry>> {
    let mut entries = vec![writer.file(ROBOTS, sitemap::robots(site).as_bytes())?];
    for asset in assets {
        entries.push(writer.file(&format!("{ASSETS_DIR}/{}", asset.name), &asset.bytes)?);
    }
    let per_file = sitemap::per_file(site);
    let names = sitemap::names(sitemap::count(site, plan), per_file);
    entries.extend(writer.stream(&names, sitemap::key(site, plan), |sink| {
        sitemap::write(site, plan, per_file, sink)
    })?);
    Ok(entries)
}

/// `versus check`: everything a build does but writing, plus checks on the rendered pages
/// (links, anchors, hreflang, the comparison rules). Returns the summary when the site
/// built; problems and warnings are in `diags`.
pub(crate) fn check(root: &Path, progress: bool, diags: &mut Diagnostics) -> Option<Summary> {
    let start = Instant::now();
    let p = prepare(root, None, diags)?;
    let renderer = Renderer::new(&p.site, p.compiled);
    let audit = Audit::new(&p.site, &p.plan, &p.assets);
    let bar = Progress::start(p.plan.len(), progress);
    // A broken 404.html is reported with what the pages' audit finds, not instead of it.
    let not_found_error = Mutex::new(None);
    let jobs = (0..p.plan.len(), true);
    let pages = each_page(&renderer, &p.plan, jobs, &bar, |job, buf| {
        let rendered = job.render(buf);
        match job.page {
            Some(page) => {
                rendered?;
                audit.page(page, &String::from_utf8_lossy(buf));
            }
            None => {
                if let (Err(d), Ok(mut slot)) = (rendered, not_found_error.lock()) {
                    *slot = Some(d);
                }
            }
        }
        Ok(())
    });
    bar.finish();
    if let Err(e) = pages {
        match Failure::from(e) {
            Failure::Content(d) => diags.extend(d),
            Failure::System(e) => diags.push(Diagnostic::error(
                root,
                crate::diagnostic::Pos::FILE,
                format!("{e:#}"),
            )),
        }
        return None;
    }
    if let Ok(Some(d)) = not_found_error.into_inner() {
        diags.push(d);
    }
    diags.extend(audit.finish());
    if diags.has_errors() {
        return None;
    }
    let mut summary = Summary::new(&p.site, &p.plan, &p.coverage);
    summary.elapsed = start.elapsed();
    Some(summary)
}
