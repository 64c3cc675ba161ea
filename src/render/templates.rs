//! The site's Tera templates and static assets: the site's own `templates/` first, the
//! defaults embedded in the binary for anything it does not provide.

use std::path::{Path, PathBuf};

use tera::Tera;

use crate::defaults;
use crate::diagnostic::{Diagnostic, Diagnostics, Pos};

/// The templates Versus renders pages with; a site may also add partials of its own.
pub const PAGE_TEMPLATES: &[&str] = &[
    "home.html",
    "protocol.html",
    "code.html",
    "pair.html",
    "404.html",
];

/// A static file copied to `output/assets/`.
#[derive(Debug, Clone)]
pub struct Asset {
    /// Path under `assets/`.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Template sources: name (path under `templates/`) and text, the site's own overriding the
/// embedded defaults.
fn sources(root: &Path, diags: &mut Diagnostics) -> Vec<(String, String, Option<PathBuf>)> {
    let mut out: Vec<(String, String, Option<PathBuf>)> = defaults::files_under("templates/")
        .filter(|(p, _)| p.ends_with(".html") || p.ends_with(".xml") || p.ends_with(".txt"))
        .filter_map(|(p, text)| {
            Some((
                p.strip_prefix("templates/")?.to_owned(),
                text.to_owned(),
                None,
            ))
        })
        .collect();
    let dir = root.join("templates");
    for entry in walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        let Ok(rel) = path.strip_prefix(&dir) else {
            continue;
        };
        let name = rel.to_string_lossy().replace('\\', "/");
        if !entry.file_type().is_file() || name.starts_with("assets/") || !name.ends_with(".html") {
            continue;
        }
        let shown = PathBuf::from("templates").join(rel);
        match std::fs::read_to_string(path) {
            Ok(text) => {
                out.retain(|(n, _, _)| *n != name);
                out.push((name, text, Some(shown)));
            }
            Err(e) => diags.push(Diagnostic::error(
                shown,
                Pos::FILE,
                format!("cannot read the template: {e}"),
            )),
        }
    }
    out
}

/// Builds the Tera instance, reporting template syntax errors with file:line:col. Returns it
/// with a fingerprint of the template sources.
pub fn load(root: &Path, diags: &mut Diagnostics) -> Option<(Tera, u64)> {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    let sources = sources(root, diags);
    let hash = sources
        .iter()
        .fold(
            crate::fingerprint::Fingerprint::new(),
            |f, (name, text, _)| f.str(name).str(text),
        )
        .finish();
    let named: Vec<(String, String)> = sources
        .iter()
        .map(|(n, t, _)| (n.clone(), t.clone()))
        .collect();
    if let Err(e) = tera.add_raw_templates(named) {
        diags.push(template_error(&e, |name| {
            sources
                .iter()
                .find(|(n, _, _)| n == name)
                .and_then(|(_, _, p)| p.clone())
        }));
        return None;
    }
    Some((tera, hash))
}

/// A Tera error as a diagnostic pointing into the template (Tera 2 reports the span).
pub fn template_error(e: &tera::Error, path_of: impl Fn(&str) -> Option<PathBuf>) -> Diagnostic {
    let report = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => Some(r),
        _ => None,
    };
    match report {
        Some(r) => {
            let file = path_of(r.filename())
                .unwrap_or_else(|| PathBuf::from("templates").join(r.filename()));
            let span = r.span();
            Diagnostic::error(
                file,
                Pos::new(span.start_line, span.start_col + 1),
                format!("template error: {}", r.message()),
            )
        }
        None => {
            let mut msg = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                msg.push_str(": ");
                msg.push_str(&s.to_string());
                source = s.source();
            }
            Diagnostic::error("templates", Pos::FILE, format!("template error: {msg}"))
        }
    }
}

/// The static assets: `templates/assets/**` of the site over the embedded ones.
pub fn assets(root: &Path, diags: &mut Diagnostics) -> Vec<Asset> {
    let mut out: Vec<Asset> = defaults::files_under("templates/assets/")
        .filter_map(|(p, text)| {
            Some(Asset {
                name: p.strip_prefix("templates/assets/")?.to_owned(),
                bytes: text.as_bytes().to_vec(),
            })
        })
        .collect();
    let dir = root.join("templates").join("assets");
    for entry in walkdir::WalkDir::new(&dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(&dir) else {
            continue;
        };
        let name = rel.to_string_lossy().replace('\\', "/");
        if name.split('/').any(|s| s.starts_with('.')) {
            continue;
        }
        match std::fs::read(entry.path()) {
            Ok(bytes) => {
                out.retain(|a| a.name != name);
                out.push(Asset { name, bytes });
            }
            Err(e) => diags.push(Diagnostic::error(
                PathBuf::from("templates/assets").join(rel),
                Pos::FILE,
                format!("cannot read the asset: {e}"),
            )),
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}
