//! Stage 1: read every file of the site — content, locales, templates, assets — and parse
//! the YAML. Nothing after this stage touches the site's files. Problems become
//! [`Diagnostic`]s with file:line:column instead of stopping at the first.
//!
//! `raw` and `text` are the files' serde shapes; `files` reads safely (regular files under a
//! size cap); `yaml` parses; `templates` gathers templates and assets over the built-in ones.

pub(crate) mod files;
pub(crate) mod raw;
pub(crate) mod templates;
pub(crate) mod text;
pub(crate) mod yaml;

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use self::files::{Root, YAML_CAP};
use self::raw::{RawCode, RawLocale, RawPairs, RawProtocol, RawSite};
pub(crate) use self::templates::{Asset, TemplateSource};
pub(crate) use self::yaml::Parsed;
use crate::diagnostic::{Diagnostic, Diagnostics, Pos};

/// One protocol folder, parsed.
#[derive(Debug)]
pub(crate) struct LoadedProtocol {
    pub id: String,
    pub meta: Parsed<RawProtocol>,
    /// `_pairs.yaml`, when the protocol has one.
    pub pairs: Option<Parsed<RawPairs>>,
    /// Every code file that parsed, in file-name order.
    pub codes: Vec<Parsed<RawCode>>,
}

/// Everything of a site that was read. Files that did not parse are absent and reported.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    pub site: Option<Parsed<RawSite>>,
    pub protocols: Vec<LoadedProtocol>,
    pub locales: Vec<Parsed<RawLocale>>,
    pub templates: Vec<TemplateSource>,
    pub assets: Vec<Asset>,
}

/// The file of a protocol's pair notes.
pub(crate) const PAIRS: &str = "_pairs.yaml";
/// The file of a protocol's own fields.
pub(crate) const PROTOCOL: &str = "_protocol.yaml";

/// Reads and parses every file of the site under `root`.
pub(crate) fn load(root: &Path, diags: &mut Diagnostics) -> Loaded {
    let root = Root::new(root);
    let mut problems = Vec::new();
    let site_file = PathBuf::from("content/site.yaml");
    let site = if root.is_file(&site_file) {
        read_yaml::<RawSite>(&root, &site_file, diags)
    } else {
        diags.push(
            Diagnostic::error(&site_file, Pos::FILE, "the site has no content/site.yaml")
                .with_help("run `versus init` to create a site, or pass --root to point at one"),
        );
        None
    };
    let mut protocols = Vec::new();
    for entry in root.children(Path::new("content"), &mut problems) {
        if entry.is_dir {
            protocols.extend(load_protocol(&root, &entry.rel, &entry.name, diags));
        } else if entry.name != "site.yaml" {
            diags.push(Diagnostic::warning(
                entry.rel,
                Pos::FILE,
                "ignored: content/ holds site.yaml and one folder per protocol",
            ));
        }
    }
    let locale_files: Vec<PathBuf> = root
        .children(Path::new("locales"), &mut problems)
        .into_iter()
        .filter_map(|e| {
            if !e.is_dir && e.name.ends_with(".yaml") {
                return Some(e.rel);
            }
            diags.push(Diagnostic::warning(
                e.rel,
                Pos::FILE,
                "ignored: locales/ holds one <language>.yaml file per language",
            ));
            None
        })
        .collect();
    if locale_files.is_empty() {
        diags.push(
            Diagnostic::error(
                "locales",
                Pos::FILE,
                "the site has no language: locales/ has no .yaml file",
            )
            .with_help("add locales/en.yaml with at least `name: English`"),
        );
    }
    let locales = read_all::<RawLocale>(&root, &locale_files, diags);
    let templates = templates::templates(&root, &mut problems);
    let assets = templates::assets(&root, &mut problems);
    for p in problems {
        diags.push(p);
    }
    Loaded {
        site,
        protocols,
        locales,
        templates,
        assets,
    }
}

fn load_protocol(
    root: &Root,
    rel: &Path,
    id: &str,
    diags: &mut Diagnostics,
) -> Option<LoadedProtocol> {
    let meta_file = rel.join(PROTOCOL);
    if !root.is_file(&meta_file) {
        diags.push(
            Diagnostic::error(
                rel,
                Pos::FILE,
                format!("protocol folder `{id}` has no {PROTOCOL}"),
            )
            .with_help("each folder of content/ is a protocol and needs a _protocol.yaml"),
        );
        return None;
    }
    let mut problems = Vec::new();
    let mut code_files = Vec::new();
    for e in root.children(rel, &mut problems) {
        if e.name == PROTOCOL || e.name == PAIRS {
            continue;
        }
        if e.is_dir || yaml::yaml_stem(&e.name).is_none() {
            diags.push(Diagnostic::warning(
                e.rel,
                Pos::FILE,
                "ignored: a protocol folder holds _protocol.yaml, _pairs.yaml and one <code>.yaml per code",
            ));
        } else if let Some(stem) = e.name.strip_suffix(".yml") {
            diags.push(
                Diagnostic::error(&e.rel, Pos::FILE, "code files end in .yaml")
                    .with_help(format!("rename it to {stem}.yaml")),
            );
        } else {
            code_files.push(e.rel);
        }
    }
    for p in problems {
        diags.push(p);
    }
    let meta = read_yaml::<RawProtocol>(root, &meta_file, diags);
    let pairs_file = rel.join(PAIRS);
    let pairs = if root.is_file(&pairs_file) {
        read_yaml::<RawPairs>(root, &pairs_file, diags)
    } else {
        None
    };
    let codes = read_all::<RawCode>(root, &code_files, diags);
    Some(LoadedProtocol {
        id: id.to_owned(),
        meta: meta?,
        pairs,
        codes,
    })
}

/// Reads and parses one YAML file.
fn read_yaml<T: DeserializeOwned>(
    root: &Root,
    file: &Path,
    diags: &mut Diagnostics,
) -> Option<Parsed<T>> {
    match root
        .read(file, YAML_CAP)
        .and_then(|b| yaml::parse(file, &b))
    {
        Ok(p) => Some(p),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// Reads and parses files in parallel; problems are reported in the files' order.
fn read_all<T: DeserializeOwned + Send>(
    root: &Root,
    files: &[PathBuf],
    diags: &mut Diagnostics,
) -> Vec<Parsed<T>> {
    let results: Vec<Result<Parsed<T>, Diagnostic>> = files
        .par_iter()
        .map(|file| {
            root.read(file, YAML_CAP)
                .and_then(|b| yaml::parse(file, &b))
        })
        .collect();
    let mut parsed = Vec::with_capacity(results.len());
    for r in results {
        match r {
            Ok(p) => parsed.push(p),
            Err(d) => diags.push(d),
        }
    }
    parsed
}

/// Reads and parses one YAML file of a site outside a build (`versus new`).
pub(crate) fn read_one<T: DeserializeOwned>(
    root: &Path,
    file: &Path,
) -> Result<Parsed<T>, Diagnostic> {
    Root::new(root)
        .read(file, YAML_CAP)
        .and_then(|b| yaml::parse(file, &b))
}
