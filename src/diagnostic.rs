//! Problems found in a site's files, reported all at once with file:line:column and the
//! offending source line (rendered by annotate-snippets, the renderer rustc uses).
//!
//! Every stage pushes into one [`Diagnostics`] list instead of returning on the first error, so a
//! site owner fixes every problem of a run in one pass.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// How bad a problem is. Warnings (e.g. translation fallbacks the owner may not intend)
/// do not fail a build; `check --strict` turns them into errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Severity {
    Error,
    Warning,
}

/// A 1-based line and column in a file; line 0 means "the file as a whole".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub(crate) struct Pos {
    pub line: usize,
    pub col: usize,
}

impl Pos {
    pub(crate) const FILE: Pos = Pos { line: 0, col: 0 };

    pub(crate) fn new(line: usize, col: usize) -> Pos {
        Pos { line, col }
    }

    /// From a serde-saphyr location (1-based; 0 when unknown).
    pub(crate) fn from_location(loc: &serde_saphyr::Location) -> Pos {
        Pos {
            line: usize::try_from(loc.line()).unwrap_or(0),
            col: usize::try_from(loc.column()).unwrap_or(0),
        }
    }
}

/// One problem in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Diagnostic {
    pub severity: Severity,
    /// Path as shown to the user (relative to the site root where possible).
    pub file: PathBuf,
    pub pos: Pos,
    pub message: String,
    /// What to do about it, e.g. "did you mean `description`?".
    pub help: Option<String>,
}

impl Diagnostic {
    pub(crate) fn error(file: impl Into<PathBuf>, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            pos,
            message: message.into(),
            help: None,
        }
    }

    pub(crate) fn warning(file: impl Into<PathBuf>, pos: Pos, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, pos, message)
        }
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `file:line:col` (or just `file` when the position is the whole file).
    pub(crate) fn location(&self) -> String {
        if self.pos.line == 0 {
            self.file.display().to_string()
        } else {
            format!(
                "{}:{}:{}",
                self.file.display(),
                self.pos.line,
                self.pos.col.max(1)
            )
        }
    }

    /// Renders the problem with the offending line and a caret, given the file's text.
    pub(crate) fn render(&self, source: Option<&str>, color: bool) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let path = self.file.display().to_string();
        let title = level.primary_title(self.message.as_str());
        let mut group = match source.and_then(|s| line_span(s, self.pos)) {
            Some((line_text, start, span)) => title.element(
                Snippet::source(line_text)
                    .line_start(self.pos.line)
                    .path(path.as_str())
                    .annotation(AnnotationKind::Primary.span(span.0 - start..span.1 - start)),
            ),
            None => title.element(annotate_snippets::Origin::path(path.as_str())),
        };
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
        }
        let report: [Group; 1] = [group];
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let mut out = renderer.render(&report).to_string();
        if self.pos.line != 0 && source.is_none() {
            let _ = write!(out, " (at {})", self.location());
        }
        out
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.location(), self.message)
    }
}

impl std::error::Error for Diagnostic {}

/// The text of the line at `pos` and the byte range to underline (a word at the column).
fn line_span(source: &str, pos: Pos) -> Option<(&str, usize, (usize, usize))> {
    if pos.line == 0 {
        return None;
    }
    let mut start = 0;
    for (i, line) in source.split_inclusive('\n').enumerate() {
        if i + 1 == pos.line {
            let text = line.trim_end_matches(['\n', '\r']);
            let col_byte = text
                .char_indices()
                .nth(pos.col.saturating_sub(1))
                .map_or(text.len(), |(b, _)| b);
            let rest = &text[col_byte..];
            let word = rest
                .find(|c: char| c.is_whitespace() || c == ':' || c == ',')
                .unwrap_or(rest.len())
                .max(rest.chars().next().map_or(0, char::len_utf8));
            return Some((text, start, (start + col_byte, start + col_byte + word)));
        }
        start += line.len();
    }
    None
}

/// All problems of a run, kept in the order files were read and sorted before display.
/// The most of a file read to show a line of it: every file Versus parses is smaller.
const SOURCE_CAP: u64 = 2 * 1024 * 1024;

#[derive(Debug, Default)]
pub(crate) struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Diagnostics {
        Diagnostics { items: vec![d] }
    }
}

impl Diagnostics {
    pub(crate) fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub(crate) fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    pub(crate) fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub(crate) fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
    }

    pub(crate) fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// Whether an error was reported in `file` (so a later check that misses what the file
    /// would have defined need not report it again).
    pub(crate) fn has_error_in(&self, file: &std::path::Path) -> bool {
        self.items
            .iter()
            .any(|d| d.severity == Severity::Error && d.file == file)
    }

    /// Problems sorted by file, then position, then message, so output is stable.
    pub(crate) fn sorted(&self) -> Vec<&Diagnostic> {
        let mut v: Vec<&Diagnostic> = self.items.iter().collect();
        v.sort_by(|a, b| {
            (&a.file, a.pos, a.severity, &a.message).cmp(&(&b.file, b.pos, b.severity, &b.message))
        });
        v.dedup();
        v
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Turns every warning into an error (`--strict`).
    pub(crate) fn make_strict(&mut self) {
        for d in &mut self.items {
            d.severity = Severity::Error;
        }
    }

    /// Renders every problem, reading each file's text under `root` for the source line
    /// (only a regular file, only its first [`SOURCE_CAP`] bytes).
    pub(crate) fn render(&self, root: &Path, color: bool) -> String {
        let mut out = String::new();
        let mut cache: Option<(PathBuf, Option<String>)> = None;
        for d in self.sorted() {
            let source = match &cache {
                Some((p, s)) if *p == d.file => s.as_deref(),
                // A message about a whole file shows no line of it (and the file may be
                // a FIFO or a device, which must not be read at all).
                _ if d.pos == Pos::FILE => None,
                _ => {
                    let text = crate::load::files::peek(&root.join(&d.file), SOURCE_CAP)
                        .and_then(|b| String::from_utf8(b).ok());
                    cache = Some((d.file.clone(), text));
                    cache.as_ref().and_then(|(_, s)| s.as_deref())
                }
            };
            out.push_str(&d.render(source, color));
            out.push_str("\n\n");
        }
        out
    }
}

/// The known name closest to a misspelt one, if any is close enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(
    given: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(given, k), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_file_line_col_and_the_offending_line() {
        let d = Diagnostic::error(
            "content/ftp/200.yaml",
            Pos::new(2, 1),
            "unknown field `descripton`",
        )
        .with_help("did you mean `description`?");
        let out = d.render(Some("name: A\ndescripton: x\n"), false);
        assert!(out.contains("content/ftp/200.yaml:2:1"), "{out}");
        assert!(out.contains("descripton: x"), "{out}");
        assert!(out.contains("^"), "{out}");
        assert!(out.contains("did you mean `description`?"), "{out}");
    }

    #[test]
    fn whole_file_problems_name_the_file() {
        let d = Diagnostic::error("content/ftp/200.yaml", Pos::FILE, "the file is empty");
        assert_eq!(d.location(), "content/ftp/200.yaml");
        assert!(d.render(None, false).contains("content/ftp/200.yaml"));
    }

    #[test]
    fn suggests_the_nearest_known_name() {
        let known = ["name", "description", "when", "fix"];
        assert_eq!(did_you_mean("descripton", known), Some("description"));
        assert_eq!(did_you_mean("zzzz", known), None);
    }
}
