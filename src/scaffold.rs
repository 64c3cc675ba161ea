//! `versus new` (a code file with every field and language, ready to fill in) and
//! `versus init` (a new site from the skeleton embedded by `build.rs`).

use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

use crate::defaults;
use crate::diagnostic::Diagnostics;
use crate::load;
use crate::load::raw::{RawFact, RawProtocol, RawSite};
use crate::load::text::TextOr;
use crate::validate::is_code_id;

/// Why a scaffold command did nothing.
#[derive(Debug)]
pub(crate) enum ScaffoldError {
    /// The arguments do not fit the site (exit 2).
    Usage(String),
    /// The site's own files are broken (exit 1).
    Content(Diagnostics),
    Io(PathBuf, std::io::Error),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> ScaffoldError + '_ {
    move |e| ScaffoldError::Io(path.to_path_buf(), e)
}

/// Quotes a string for YAML (double-quoted style).
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The fields of a code file, with what each is for.
const FIELDS: &[(&str, &str)] = &[
    (
        "name",
        "the code's short name, as its RFC or registry spells it",
    ),
    (
        "description",
        "markdown: what the code means; the first sentence is quoted as its summary",
    ),
    (
        "when",
        "markdown: when the reader meets this code in practice",
    ),
    ("fix", "markdown: what to do about it"),
    (
        "condition",
        "markdown, a clause completing \"<code> applies when …\": what tells this code apart from its neighbors",
    ),
];

/// Writes `content/<protocol>/<code>.yaml` with every field and every language of the site
/// present and empty. Returns the path written.
pub(crate) fn new_code(root: &Path, protocol: &str, code: &str) -> Result<PathBuf, ScaffoldError> {
    if !is_code_id(code) {
        return Err(ScaffoldError::Usage(format!(
            "`{code}` is not a valid code: use letters, digits, `.`, `_` and `-`, starting with a letter or digit"
        )));
    }
    let proto_file = PathBuf::from("content")
        .join(protocol)
        .join("_protocol.yaml");
    if !root.join(&proto_file).is_file() {
        return Err(ScaffoldError::Usage(format!(
            "there is no protocol `{protocol}`: {} does not exist",
            root.join(&proto_file).display()
        )));
    }
    let proto = load::read_one::<RawProtocol>(root, &proto_file);
    let site = load::read_one::<RawSite>(root, Path::new("content/site.yaml"));
    let (proto, site) = match (proto, site) {
        (Ok(p), Ok(s)) => (p, s),
        (p, s) => {
            let mut diags = Diagnostics::default();
            for d in [p.err(), s.err()].into_iter().flatten() {
                diags.push(d);
            }
            return Err(ScaffoldError::Content(diags));
        }
    };
    let classes: Vec<String> = proto
        .value
        .classes
        .iter()
        .flat_map(|c| &c.value.0)
        .map(|(k, _)| k.value.0.trim().to_owned())
        .collect();
    let grouping = proto
        .value
        .grouping
        .as_ref()
        .map_or("first-character", |g| g.value.0.trim());
    if let Some(why) = class_problem(grouping, &classes, code) {
        return Err(ScaffoldError::Usage(format!(
            "code `{code}` {why} (content/{protocol}/_protocol.yaml declares: {})",
            classes.join(", ")
        )));
    }
    let path = root
        .join("content")
        .join(protocol)
        .join(format!("{code}.yaml"));
    if path.exists() {
        return Err(ScaffoldError::Usage(format!(
            "{} already exists; not overwriting it",
            path.display()
        )));
    }
    let default = site.value.default_locale.value.0.trim().to_owned();
    let mut langs: Vec<String> = fs::read_dir(root.join("locales"))
        .map_err(io(&root.join("locales")))?
        .flatten()
        .filter_map(|e| {
            e.file_name()
                .to_str()?
                .strip_suffix(".yaml")
                .map(str::to_owned)
        })
        .collect();
    langs.sort_by(|a, b| (*a != default, a).cmp(&(*b != default, b)));

    let y = code_yaml(&proto.value, code, &langs);
    fs::write(&path, y).map_err(io(&path))?;
    Ok(path)
}

/// The text of a new code file: every field, every language, every fact, commented.
fn code_yaml(proto: &RawProtocol, code: &str, langs: &[String]) -> String {
    let mut y = String::new();
    let _ = writeln!(
        y,
        "# {} {code}: fill in every field, then run `versus check`.",
        proto.name.value.0
    );
    let _ = writeln!(
        y,
        "# Languages: {}. Markdown fields take `code`, *emphasis* and [links](https://...).",
        langs.join(", ")
    );
    for (field, what) in FIELDS {
        let _ = writeln!(y, "\n# {what}\n{field}:");
        for l in langs {
            let _ = writeln!(y, "  {l}: \"\"");
        }
    }
    y.push_str("\n# the defining documents, e.g. {title: \"RFC 959 §4.2\", url: \"https://www.rfc-editor.org/rfc/rfc959#section-4.2\"}\nreferences: []\n");
    y.push_str("\n# standard | experimental | temporary | registered | reserved | obsolete | unofficial\nstatus: standard\n");
    if !proto.facts.0.is_empty() {
        y.push_str(
            "\n# facts compared side by side on pair pages (declared in _protocol.yaml)\nfacts:\n",
        );
        for (key, decl) in &proto.facts.0 {
            match &decl.value {
                TextOr::Fields(RawFact {
                    values: Some(values),
                    ..
                }) => {
                    let keys: Vec<&str> = values
                        .value
                        .0
                        .iter()
                        .map(|(k, _)| k.value.0.as_str())
                        .collect();
                    let _ = writeln!(y, "  {}: \"\"  # one of: {}", key.value.0, keys.join(", "));
                }
                _ => {
                    let _ = writeln!(y, "  {}:", key.value.0);
                    for l in langs {
                        let _ = writeln!(y, "    {l}: \"\"");
                    }
                }
            }
        }
    }
    y
}

/// Why `code` fits none of the protocol's classes, if it does not.
fn class_problem(grouping: &str, classes: &[String], code: &str) -> Option<String> {
    match grouping {
        "none" => None,
        "ranges" => {
            let n: Option<u64> = code
                .bytes()
                .all(|b| b.is_ascii_digit())
                .then(|| code.parse().ok())
                .flatten();
            let inside = |k: &String| {
                let (lo, hi) = k.split_once('-')?;
                Some((
                    lo.trim().parse::<u64>().ok()?,
                    hi.trim().parse::<u64>().ok()?,
                ))
            };
            match n {
                None => Some("is not a decimal number, as codes grouped by ranges must be".into()),
                Some(n)
                    if !classes
                        .iter()
                        .filter_map(inside)
                        .any(|(lo, hi)| (lo..=hi).contains(&n)) =>
                {
                    Some("falls in none of the ranges".into())
                }
                Some(_) => None,
            }
        }
        _ => {
            let first = code.chars().next().map(String::from).unwrap_or_default();
            (!classes.contains(&first))
                .then(|| format!("is in class `{first}`, which is not declared"))
        }
    }
}

/// Creates a new site in `dir`: site.yaml, one small protocol, the default templates,
/// stylesheet and locales. Refuses a non-empty directory.
pub(crate) fn init(dir: &Path) -> Result<Vec<PathBuf>, ScaffoldError> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(ScaffoldError::Usage(format!(
                "{} exists and is not a directory",
                dir.display()
            )));
        }
        if fs::read_dir(dir).map_err(io(dir))?.next().is_some() {
            return Err(ScaffoldError::Usage(format!(
                "{} is not empty; `versus init` only writes into an empty or new directory",
                dir.display()
            )));
        }
    }
    let mut files: Vec<(String, String)> = vec![
        (
            "content/site.yaml".into(),
            format!(
                "# The site as a whole. base_url is used for canonical links and the sitemap.\ntitle: {{en: {}, zh: {}}}\ntagline: {{en: {}, zh: {}}}\nbase_url: https://example.org\ndefault_locale: en\n",
                quoted("Versus"),
                quoted("Versus"),
                quoted("Protocol codes compared side by side"),
                quoted("协议状态码并排对比")
            ),
        ),
        (".gitignore".into(), "/output\n/.output.versus/\n".into()),
    ];
    files.extend(defaults::files_under("").filter_map(|(p, t)| {
        let rel = p.strip_prefix("skeleton/").unwrap_or(p);
        (rel.starts_with("templates/")
            || rel.starts_with("locales/")
            || rel.starts_with("content/"))
        .then(|| (rel.to_owned(), t.to_owned()))
    }));
    let mut written = Vec::with_capacity(files.len());
    for (rel, text) in files {
        let path = dir.join(&rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(io(parent))?;
        }
        fs::write(&path, text).map_err(io(&path))?;
        written.push(PathBuf::from(rel));
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_quoting() {
        assert_eq!(quoted("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
    }
}
