//! Stage 1: find the site's files (walkdir) and parse each one (serde-saphyr), turning every
//! problem into a [`Diagnostic`] with file:line:column instead of stopping at the first.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use walkdir::WalkDir;

use super::raw::{RawLocale, RawPairs, RawProtocol, RawSite};
use crate::diagnostic::{Diagnostic, Diagnostics, Pos, did_you_mean};

/// A parsed file and where it came from (relative to the site root).
#[derive(Debug)]
pub struct Parsed<T> {
    pub file: PathBuf,
    pub stem: String,
    pub value: T,
    /// Fingerprint of the file's bytes, for incremental rebuilds.
    pub hash: u64,
}

/// One protocol folder: its protocol file parsed, its code files found. Validation parses
/// code files a batch at a time ([`parse_all`]) as it turns them into the model, so a large
/// protocol is never held in memory twice (as parsed YAML and as the model).
#[derive(Debug)]
pub struct LoadedProtocol {
    pub id: String,
    pub meta: Parsed<RawProtocol>,
    /// `_pairs.yaml`, when the protocol has one.
    pub pairs: Option<Parsed<RawPairs>>,
    /// Path (relative to the root) and stem of each code file, sorted.
    pub code_files: Vec<(PathBuf, String)>,
}

/// The file of a protocol's pair notes.
pub const PAIRS: &str = "_pairs.yaml";

/// How many code files are parsed (in parallel) at a time; see [`LoadedProtocol`].
pub const BATCH: usize = 64;

/// Everything that parsed. Files that did not parse are absent and reported in diagnostics.
#[derive(Debug, Default)]
pub struct Loaded {
    pub site: Option<Parsed<RawSite>>,
    pub protocols: Vec<LoadedProtocol>,
    pub locales: Vec<Parsed<RawLocale>>,
}

/// Reads and parses every file of the site under `root`.
pub fn load(root: &Path, diags: &mut Diagnostics) -> Loaded {
    let mut loaded = Loaded::default();
    let content = root.join("content");
    let site_file = PathBuf::from("content/site.yaml");
    if !root.join(&site_file).is_file() {
        diags.push(
            Diagnostic::error(&site_file, Pos::FILE, "the site has no content/site.yaml")
                .with_help("run `versus init` to create a site, or pass --root to point at one"),
        );
    } else {
        loaded.site = parse::<RawSite>(root, &site_file, diags);
    }

    for entry in sorted_children(&content) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let rel = PathBuf::from("content").join(&name);
        if entry.file_type().is_dir() {
            if let Some(p) = load_protocol(root, &rel, &name, diags) {
                loaded.protocols.push(p);
            }
        } else if name != "site.yaml" && !name.starts_with('.') {
            diags.push(Diagnostic::warning(
                rel,
                Pos::FILE,
                "ignored: content/ holds site.yaml and one folder per protocol",
            ));
        }
    }

    let locales_dir = root.join("locales");
    let locale_files: Vec<(PathBuf, String)> = sorted_children(&locales_dir)
        .into_iter()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let rel = PathBuf::from("locales").join(&name);
            match yaml_stem(&name) {
                Some(stem) if e.file_type().is_file() => Some((rel, stem.to_owned())),
                _ => {
                    if !name.starts_with('.') {
                        diags.push(Diagnostic::warning(
                            rel,
                            Pos::FILE,
                            "ignored: locales/ holds one <language>.yaml file per language",
                        ));
                    }
                    None
                }
            }
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
    loaded.locales = parse_all::<RawLocale>(root, &locale_files, diags);
    loaded
}

fn load_protocol(
    root: &Path,
    rel: &Path,
    id: &str,
    diags: &mut Diagnostics,
) -> Option<LoadedProtocol> {
    let meta_file = rel.join("_protocol.yaml");
    if !root.join(&meta_file).is_file() {
        diags.push(
            Diagnostic::error(
                rel,
                Pos::FILE,
                format!("protocol folder `{id}` has no _protocol.yaml"),
            )
            .with_help("each folder of content/ is a protocol and needs a _protocol.yaml"),
        );
        return None;
    }
    let mut code_files = Vec::new();
    for entry in sorted_children(&root.join(rel)) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let file = rel.join(&name);
        if name.starts_with('.') || name == "_protocol.yaml" || name == PAIRS {
            continue;
        }
        match yaml_stem(&name) {
            Some(stem) if entry.file_type().is_file() => {
                if name.ends_with(".yml") {
                    diags.push(
                        Diagnostic::error(&file, Pos::FILE, "code files end in .yaml")
                            .with_help(format!("rename it to {stem}.yaml")),
                    );
                } else {
                    code_files.push((file, stem.to_owned()));
                }
            }
            _ => diags.push(Diagnostic::warning(
                file,
                Pos::FILE,
                "ignored: a protocol folder holds _protocol.yaml and one <code>.yaml per code",
            )),
        }
    }
    let meta = parse::<RawProtocol>(root, &meta_file, diags);
    let pairs_file = rel.join(PAIRS);
    let pairs = if root.join(&pairs_file).is_file() {
        parse::<RawPairs>(root, &pairs_file, diags)
    } else {
        None
    };
    Some(LoadedProtocol {
        id: id.to_owned(),
        meta: meta?,
        pairs,
        code_files,
    })
}

/// Parses files in parallel; problems are reported in the files' order.
pub fn parse_all<T: DeserializeOwned + Send>(
    root: &Path,
    files: &[(PathBuf, String)],
    diags: &mut Diagnostics,
) -> Vec<Parsed<T>> {
    let results: Vec<(Option<Parsed<T>>, Diagnostics)> = files
        .par_iter()
        .map(|(file, _)| {
            let mut d = Diagnostics::default();
            (parse::<T>(root, file, &mut d), d)
        })
        .collect();
    let mut parsed = Vec::with_capacity(results.len());
    for (p, d) in results {
        diags.extend(d);
        parsed.extend(p);
    }
    parsed
}

/// Entries of a directory sorted by name (so output and messages do not depend on the
/// file system's order); none when it does not exist.
fn sorted_children(dir: &Path) -> Vec<walkdir::DirEntry> {
    if !dir.is_dir() {
        return Vec::new();
    }
    WalkDir::new(dir)
        .min_depth(1)
        .max_depth(1)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .collect()
}

fn yaml_stem(name: &str) -> Option<&str> {
    name.strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
}

/// The parser's options: YAML 1.2 booleans (so `Yes` stays text), numbers with leading
/// zeros kept as text, duplicate keys and unknown tags refused.
pub(crate) fn options() -> serde_saphyr::Options {
    let mut o = serde_saphyr::Options::default();
    o.strict_booleans = true;
    o.leading_zero_numbers_as_strings = true;
    o
}

/// Reads and parses one file, reporting what is wrong with it in terms a site owner can act on.
pub fn parse<T: DeserializeOwned>(
    root: &Path,
    file: &Path,
    diags: &mut Diagnostics,
) -> Option<Parsed<T>> {
    let bytes = match std::fs::read(root.join(file)) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error(
                file,
                Pos::FILE,
                format!("cannot read the file: {e}"),
            ));
            return None;
        }
    };
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        Err(e) => {
            let pos = pos_of_byte(&bytes, e.valid_up_to());
            diags.push(
                Diagnostic::error(file, pos, "the file is not valid UTF-8")
                    .with_help("save the file as UTF-8"),
            );
            return None;
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if let Some(pos) = tab_indent(text) {
        diags.push(
            Diagnostic::error(
                file,
                pos,
                "a tab is used for indentation; YAML indents with spaces",
            )
            .with_help("replace the tab with spaces"),
        );
        return None;
    }
    if text.lines().all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#') || l == "---"
    }) {
        diags.push(
            Diagnostic::error(file, Pos::FILE, "the file is empty").with_help(
                "a content file is a YAML mapping of fields; see README.md for the format",
            ),
        );
        return None;
    }
    match serde_saphyr::from_str_with_options::<T>(text, options()) {
        Ok(value) => Some(Parsed {
            hash: crate::fingerprint::of(&bytes),
            file: file.to_path_buf(),
            stem: file
                .file_name()
                .and_then(|n| yaml_stem(&n.to_string_lossy()).map(str::to_owned))
                .unwrap_or_default(),
            value,
        }),
        Err(e) => {
            diags.push(describe(file, &e));
            None
        }
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
    if let Some(i) = msg.find(", set DuplicateKeyPolicy") {
        msg = &msg[..i];
    }
    let msg = msg.trim().to_owned();
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
        d.help = Some("add the field; see README.md for the content format".into());
    }
    d
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
    fn invalid_utf8_position() {
        assert_eq!(pos_of_byte(b"ab\ncd\xff", 5), Pos::new(2, 3));
    }
}
