//! The site's templates and static assets: the site's own `templates/` first, the defaults
//! built into Versus for anything it does not provide (as Zola's themes do).

use std::path::{Path, PathBuf};

use super::files::{ASSET_CAP, Root, TEMPLATE_CAP};
use crate::defaults;
use crate::diagnostic::Diagnostic;

/// A template: its name (path under `templates/`), text, and the site's file it comes from
/// (`None` for a built-in default).
#[derive(Debug, Clone)]
pub(crate) struct TemplateSource {
    pub name: String,
    pub text: String,
    pub file: Option<PathBuf>,
}

/// A static file copied to `output/assets/`.
#[derive(Debug, Clone)]
pub(crate) struct Asset {
    /// Path under `assets/`.
    pub name: String,
    pub bytes: Vec<u8>,
}

/// `templates/**/*.html` of the site over the built-in templates, by name.
pub(crate) fn templates(root: &Root, problems: &mut Vec<Diagnostic>) -> Vec<TemplateSource> {
    let mut out: Vec<TemplateSource> = defaults::files_under("templates/")
        .filter_map(|(p, text)| {
            let name = p.strip_prefix("templates/")?;
            (name.ends_with(".html") && !name.starts_with("assets/")).then(|| TemplateSource {
                name: name.to_owned(),
                text: text.to_owned(),
                file: None,
            })
        })
        .collect();
    let dir = Path::new("templates");
    for rel in root.files_under(dir, problems) {
        let name = slash_path(rel.strip_prefix(dir).unwrap_or(&rel));
        if name.starts_with("assets/") || !name.ends_with(".html") {
            continue;
        }
        let text = root.read(&rel, TEMPLATE_CAP).and_then(|b| {
            String::from_utf8(b).map_err(|_| {
                Diagnostic::error(
                    &rel,
                    crate::diagnostic::Pos::FILE,
                    "the template is not valid UTF-8",
                )
            })
        });
        match text {
            Ok(text) => {
                out.retain(|t| t.name != name);
                out.push(TemplateSource {
                    name,
                    text,
                    file: Some(rel),
                });
            }
            Err(d) => problems.push(d),
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// `templates/assets/**` of the site over the built-in assets, by name.
pub(crate) fn assets(root: &Root, problems: &mut Vec<Diagnostic>) -> Vec<Asset> {
    let mut out: Vec<Asset> = defaults::files_under("templates/assets/")
        .filter_map(|(p, text)| {
            Some(Asset {
                name: p.strip_prefix("templates/assets/")?.to_owned(),
                bytes: text.as_bytes().to_vec(),
            })
        })
        .collect();
    let dir = Path::new("templates/assets");
    for rel in root.files_under(dir, problems) {
        let name = slash_path(rel.strip_prefix(dir).unwrap_or(&rel));
        match root.read(&rel, ASSET_CAP) {
            Ok(bytes) => {
                out.retain(|a| a.name != name);
                out.push(Asset { name, bytes });
            }
            Err(d) => problems.push(d),
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// A relative path with `/` separators, as template and asset names are written.
fn slash_path(p: &Path) -> String {
    p.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}
