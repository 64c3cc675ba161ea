//! Parsing YAML (serde-saphyr) from bytes already read, turning every problem into a
//! [`Diagnostic`] with file:line:column.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::diagnostic::{Diagnostic, Pos, did_you_mean};

/// A parsed file and where it came from (relative to the site root).
#[derive(Debug)]
pub(crate) struct Parsed<T> {
    pub file: PathBuf,
    pub stem: String,
    pub value: T,
}

/// `name` without `.yaml` or `.yml`.
pub(crate) fn yaml_stem(name: &str) -> Option<&str> {
    name.strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
}

/// The parser's options: YAML 1.2 booleans (so `Yes` stays text), numbers with leading
/// zeros kept as text, duplicate keys refused, tags other than YAML's own refused (a `!foo`
/// would otherwise be dropped silently), and budgets that stop a small file from expanding
/// through aliases into more text than a file may hold.
pub(crate) fn options() -> serde_saphyr::Options {
    let mut o = serde_saphyr::Options::default();
    o.strict_booleans = true;
    o.leading_zero_numbers_as_strings = true;
    o.reject_unsupported_tags = true;
    o.reject_tagged_field_names = true;
    let mut budget = serde_saphyr::Budget::default();
    let cap = super::files::YAML_CAP as usize;
    budget.max_total_scalar_bytes = cap;
    budget.max_recorded_anchor_bytes = cap;
    budget.max_aliases = 1_000;
    budget.max_nodes = 100_000;
    o.budget = Some(budget);
    o
}

/// Parses one file's bytes, reporting what is wrong with it in terms a site owner can act
/// on (every problem with file:line:col).
pub(crate) fn parse<T: DeserializeOwned>(
    file: &Path,
    bytes: &[u8],
) -> Result<Parsed<T>, Diagnostic> {
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let pos = pos_of_byte(bytes, e.valid_up_to());
            return Err(Diagnostic::error(file, pos, "the file is not valid UTF-8")
                .with_help("save the file as UTF-8"));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(pos) = tab_indent(text) {
        return Err(Diagnostic::error(
            file,
            pos,
            "a tab is used for indentation; YAML indents with spaces",
        )
        .with_help("replace the tab with spaces"));
    }
    if text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---"
    }) {
        return Err(
            Diagnostic::error(file, Pos::FILE, "the file is empty").with_help(
                "a content file is a YAML mapping of fields; see docs/content.md for the format",
            ),
        );
    }
    match serde_saphyr::from_str_with_options::<T>(text, options()) {
        Ok(value) => Ok(Parsed {
            file: file.to_path_buf(),
            stem: file
                .file_name()
                .and_then(|n| yaml_stem(&n.to_string_lossy()).map(str::to_owned))
                .unwrap_or_default(),
            value,
        }),
        Err(e) => Err(describe(file, &e)),
    }
}

/// Turns a parser error into a diagnostic: position from the error, message cleaned of the
/// parser's own position suffix and developer hints, and a suggestion for a misspelt field.
fn describe(file: &Path, e: &serde_saphyr::Error) -> Diagnostic {
    let pos = e.location().map_or(Pos::FILE, |l| Pos::from_location(&l));
    let raw = e.without_snippet().to_string();
    let mut msg = raw.as_str();
    if let Some(i) = msg.rfind(" at line ") {
        msg = &msg[..i];
    }
    // Hints meant for the program's author, not the site's ("; use Option<String>").
    for hint in [", set DuplicateKeyPolicy", "; use Option<"] {
        if let Some(i) = msg.find(hint) {
            msg = &msg[..i];
        }
    }
    let msg = plain_words(msg.trim());
    // The parser's budgets: a file that expands through aliases (`*name`) past what a file
    // may hold, in the parser's own terms.
    if msg.starts_with("budget breached") {
        return Diagnostic::error(
            file,
            pos,
            "the file expands through aliases (`*name`) to more than a content file may hold",
        )
        .with_help(
            "write the values out, or repeat fewer of them (docs/security.md lists the limits)",
        );
    }
    let mut d = Diagnostic::error(file, pos, msg.clone());
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let (given, rest) = rest.split_once('`').unwrap_or((rest, ""));
        let known: Vec<&str> = rest
            .split_once("expected one of ")
            .or_else(|| rest.split_once("expected "))
            .map(|(_, list)| list.split(", ").map(|s| s.trim_matches('`')).collect())
            .unwrap_or_default();
        d.message = format!("unknown field `{given}`");
        d.help = Some(match did_you_mean(given, known.iter().copied()) {
            Some(k) => format!("did you mean `{k}`?"),
            None => format!("known fields: {}", known.join(", ")),
        });
    } else if msg.starts_with("missing field") {
        d.help = Some("add the field; see docs/content.md for the content format".into());
    } else if msg.starts_with("unsupported tag") {
        d.help = Some("remove the tag: content files hold plain YAML values".into());
    } else if msg.contains("empty value") {
        d.help = Some("write a value, or remove the line".into());
    }
    d
}

/// The parser's and serde's terms in words a site's author knows: "unit value" is an empty
/// value, a "sequence" a list, a "map" a mapping; "invalid type: X, expected Y" reads
/// "expected Y, found X".
fn plain_words(msg: &str) -> String {
    let words = |s: &str| match s {
        "unit value" => "an empty value (null)".to_owned(),
        "sequence" | "a sequence" => "a list".to_owned(),
        "map" | "a map" => "a mapping".to_owned(),
        s => s.to_owned(),
    };
    if msg == "cannot deserialize null into string" {
        return "an empty value (null) where text belongs".to_owned();
    }
    match msg
        .strip_prefix("invalid type: ")
        .and_then(|rest| rest.split_once(", expected "))
    {
        Some((found, expected)) => format!("expected {}, found {}", words(expected), words(found)),
        None => msg.to_owned(),
    }
}

/// The first line indented with a tab, if any (block scalars' contents included: YAML never
/// allows tabs in indentation).
fn tab_indent(text: &str) -> Option<Pos> {
    text.lines().enumerate().find_map(|(i, line)| {
        let indent: &str = &line[..line.len() - line.trim_start_matches([' ', '\t']).len()];
        indent
            .find('\t')
            .map(|col| Pos::new(i + 1, indent[..col].chars().count() + 1))
    })
}

fn pos_of_byte(bytes: &[u8], offset: usize) -> Pos {
    let before = &bytes[..offset.min(bytes.len())];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let col = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    Pos::new(line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_tab_indentation() {
        assert_eq!(tab_indent("a: 1\n\tb: 2\n"), Some(Pos::new(2, 1)));
        assert_eq!(tab_indent("a: 1\n  \tb: 2\n"), Some(Pos::new(2, 3)));
        assert_eq!(tab_indent("a: \"x\ty\"\n"), None);
    }

    #[test]
    fn parser_terms_become_plain_words() {
        assert_eq!(
            plain_words("invalid type: unit value, expected a text"),
            "expected a text, found an empty value (null)"
        );
        assert_eq!(
            plain_words("invalid type: sequence, expected a text"),
            "expected a text, found a list"
        );
        assert_eq!(
            plain_words("invalid type: map, expected a sequence"),
            "expected a list, found a mapping"
        );
        assert_eq!(
            plain_words("cannot deserialize null into string"),
            "an empty value (null) where text belongs"
        );
    }

    #[test]
    fn invalid_utf8_position() {
        assert_eq!(pos_of_byte(b"ab\ncd\xff", 5), Pos::new(2, 3));
    }
}
