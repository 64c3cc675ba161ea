//! The site's Tera templates, compiled from the sources the load stage gathered.

use std::path::PathBuf;

use tera::Tera;

use crate::defaults;
use crate::diagnostic::{Diagnostic, Pos};
use crate::fingerprint::Fingerprint;
use crate::load::TemplateSource;

/// Compiles the templates (the site's over the built-in ones), reporting syntax errors with
/// file:line:col. Returns the Tera instance and a fingerprint of the template sources.
pub(crate) fn compile(sources: &[TemplateSource]) -> Result<(Tera, u64), Diagnostic> {
    let mut tera = Tera::new();
    tera.autoescape_on(vec![".html", ".xml"]);
    let key = sources
        .iter()
        .fold(Fingerprint::new().u64(defaults::BUILD_ID), |f, t| {
            f.str(&t.name).str(&t.text)
        })
        .finish();
    let named = sources.iter().map(|t| (t.name.clone(), t.text.clone()));
    tera.add_raw_templates(named).map_err(|e| {
        template_error(&e, |name| {
            sources
                .iter()
                .find(|t| t.name == name)
                .and_then(|t| t.file.clone())
        })
    })?;
    Ok((tera, key))
}

/// A Tera error as a diagnostic pointing into the template (Tera 2 reports the span).
pub(crate) fn template_error(
    e: &tera::Error,
    path_of: impl Fn(&str) -> Option<PathBuf>,
) -> Diagnostic {
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
