//! Stage 2: check what was loaded against SPEC §2 and resolve it into the [`Site`] model.
//! Every problem of every file is collected; the model is returned only when there is none.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_saphyr::Spanned;

use crate::diagnostic::{Diagnostic, Diagnostics, Pos, did_you_mean};
use crate::load::raw::{RawLocale, RawReference, RawSite};
use crate::load::text::{Entries, Key, Scalar, Text};
use crate::load::{Asset, Loaded, Parsed, TemplateSource};
use crate::model::{Fallback, Group, Protocol, Reference, Site, Tr};

mod collisions;
mod limits;
mod locales;
mod protocol;

/// How completely one language is translated (for the build summary and `check`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Coverage {
    pub locale: String,
    /// Translatable values that have this language's own text.
    pub translated: usize,
    pub total: usize,
    /// Files with at least one value (or locale key) falling back to another language.
    pub fallback_files: BTreeSet<PathBuf>,
}

impl Coverage {
    pub(crate) fn fallbacks(&self) -> usize {
        self.total - self.translated
    }
}

/// A site that passed validation: the model, how well each language is translated, and
/// the templates and assets to render it with.
#[derive(Debug)]
pub(crate) struct Valid {
    pub site: Site,
    pub coverage: Vec<Coverage>,
    pub templates: Vec<TemplateSource>,
    pub assets: Vec<Asset>,
}

/// Validates everything and builds the site model. `base_url` overrides site.yaml's.
pub(crate) fn validate(
    loaded: Loaded,
    base_url: Option<&str>,
    diags: &mut Diagnostics,
) -> Option<Valid> {
    let site_file = PathBuf::from("content/site.yaml");
    let Loaded {
        site: raw_site,
        protocols: raw_protocols,
        locales: raw_locales,
        templates,
        assets,
    } = loaded;
    let raw_site = raw_site?;

    // Languages first: every translatable value is resolved against them.
    let raw_locales = default_first(raw_locales, &raw_site.value.default_locale, diags)?;
    let mut coverage: Vec<Coverage> = raw_locales
        .iter()
        .map(|l| Coverage {
            locale: l.stem.clone(),
            ..Coverage::default()
        })
        .collect();
    let locales = locales::resolve_locales(&raw_locales, &mut coverage, diags);
    let mut r = Resolver {
        ids: locales.iter().map(|l| l.id.clone()).collect(),
        coverage,
        diags,
    };

    let RawSite {
        title,
        tagline,
        base_url: raw_base,
        default_locale: _,
        fallback,
        limits: raw_limits,
    } = raw_site.value;
    let title = r.text(&site_file, title);
    let tagline = tagline.map(|t| r.text(&site_file, t));
    let base = r.base_url(&raw_base, base_url);
    let fallback = fallback.map_or(Fallback::Show, |f| r.fallback(&f));

    // Raw files are consumed as they are resolved, so their text is moved, not copied.
    let mut protocols: Vec<Protocol> = raw_protocols
        .into_iter()
        .filter_map(|p| r.protocol(p))
        .collect();
    protocols.sort_by(|a, b| a.id.cmp(&b.id));

    let Resolver {
        coverage, diags, ..
    } = r;
    if diags.has_errors() {
        return None;
    }
    let site = Site {
        title,
        tagline,
        base_url: base.trim_end_matches('/').to_owned(),
        prefixes: prefixes(&locales),
        locales,
        protocols,
        fallback,
    };
    collisions::check(&site, !assets.is_empty(), diags);
    limits::check(&site, raw_limits.as_ref(), diags);
    if diags.has_errors() {
        return None;
    }
    Some(Valid {
        site,
        coverage,
        templates,
        assets,
    })
}

/// Names of values, for "one of …" messages.
fn list<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names.into_iter().collect::<Vec<_>>().join(", ")
}

/// An error with a "did you mean" suggestion among `known`, else the list of them.
fn unknown<'a>(
    file: &Path,
    at: Pos,
    message: String,
    given: &str,
    known: impl Iterator<Item = &'a str> + Clone,
) -> Diagnostic {
    let d = Diagnostic::error(file, at, message);
    match did_you_mean(given, known.clone()) {
        Some(k) => d.with_help(format!("did you mean `{k}`?")),
        None => d.with_help(format!("one of: {}", list(known))),
    }
}

/// Each language's URL prefix: none for the default language, `/<id>` for the others.
fn prefixes(locales: &[crate::locale::Locale]) -> Vec<String> {
    locales
        .iter()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                String::new()
            } else {
                format!("/{}", l.id)
            }
        })
        .collect()
}

/// The locale files with the default language's first (the model's languages are in this
/// order); `None` when the default language has no file.
fn default_first(
    mut raw: Vec<Parsed<RawLocale>>,
    default: &Spanned<Scalar>,
    diags: &mut Diagnostics,
) -> Option<Vec<Parsed<RawLocale>>> {
    let id = default.value.0.trim();
    raw.sort_by(|a, b| (a.stem != id, &a.stem).cmp(&(b.stem != id, &b.stem)));
    if raw.first().is_some_and(|l| l.stem == id) {
        return Some(raw);
    }
    let mut d = Diagnostic::error(
        "content/site.yaml",
        pos(default),
        format!("default_locale `{id}` has no file locales/{id}.yaml"),
    );
    if let Some(k) = did_you_mean(id, raw.iter().map(|l| l.stem.as_str())) {
        d = d.with_help(format!("did you mean `{k}`?"));
    }
    diags.push(d);
    None
}

/// An absolute http(s) URL with a host, and nothing that could break out of an attribute or
/// an XML element where it is written (quotes, angle brackets, white space, backslashes).
fn is_base_url(url: &str) -> bool {
    let Some(rest) = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
    else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    host_ok
        && !url.contains(|c: char| {
            c.is_whitespace() || c.is_control() || matches!(c, '"' | '\'' | '<' | '>' | '\\' | '`')
        })
}

fn pos<T>(s: &Spanned<T>) -> Pos {
    Pos::from_location(&s.referenced)
}

/// Resolves translatable values against the site's languages, counting fallbacks.
struct Resolver<'d> {
    ids: Vec<String>,
    coverage: Vec<Coverage>,
    diags: &'d mut Diagnostics,
}

impl Resolver<'_> {
    /// The base URL in use (`over` overrides site.yaml's), reported when it is not an
    /// absolute http(s) URL with a host.
    fn base_url(&mut self, raw: &Spanned<Scalar>, over: Option<&str>) -> String {
        let base = over.map_or_else(|| raw.value.0.trim().to_owned(), str::to_owned);
        if !is_base_url(&base) {
            self.diags.push(
                Diagnostic::error(
                    "content/site.yaml",
                    pos(raw),
                    format!("base_url `{base}` is not an absolute http(s) URL with a host"),
                )
                .with_help(
                    "write it as https://example.org (it is used for canonical links and the sitemap)",
                ),
            );
        }
        base
    }

    /// The translation policy of site.yaml's `fallback`.
    fn fallback(&mut self, f: &Spanned<Scalar>) -> Fallback {
        let given = f.value.0.trim();
        Fallback::ALL
            .into_iter()
            .find(|v| v.as_str() == given)
            .unwrap_or_else(|| {
                self.diags.push(unknown(
                    Path::new("content/site.yaml"),
                    pos(f),
                    format!("fallback `{given}` is not one of show, noindex, skip"),
                    given,
                    Fallback::ALL.iter().map(|v| v.as_str()),
                ));
                Fallback::Show
            })
    }

    /// A translatable value: the default language's text is required, other languages may
    /// be missing (they fall back and are counted).
    fn text(&mut self, file: &Path, value: Spanned<Text>) -> Tr {
        let at = pos(&value);
        let mut texts: Vec<Option<String>> = vec![None; self.ids.len()];
        match value.value {
            Text::Plain(s) => texts[0] = Some(s),
            Text::ByLang(entries) => {
                for (lang, text) in entries {
                    match self.ids.iter().position(|id| *id == lang.value) {
                        Some(i) => texts[i] = Some(text),
                        None => {
                            let mut d = Diagnostic::warning(
                                file,
                                pos(&lang),
                                format!(
                                    "`{}` is not a language of this site; its text is not used",
                                    lang.value
                                ),
                            );
                            if let Some(k) =
                                did_you_mean(&lang.value, self.ids.iter().map(String::as_str))
                            {
                                d = d.with_help(format!("did you mean `{k}`?"));
                            } else if looks_like_language(&lang.value) {
                                d = d.with_help(format!(
                                    "add locales/{}.yaml to publish it",
                                    lang.value
                                ));
                            } else {
                                d = d.with_help(format!(
                                    "if `{0}` is a field, the text by language goes under a field of its own, as in `{{name: {{en: …}}, {0}: …}}`",
                                    lang.value
                                ));
                            }
                            self.diags.push(d);
                        }
                    }
                }
            }
        }
        let default_given = texts[0].is_some();
        for t in &mut texts {
            if t.as_deref().is_some_and(|s| s.trim().is_empty()) {
                *t = None;
            }
        }
        if texts[0].is_none() {
            let default = &self.ids[0];
            self.diags.push(if default_given {
                Diagnostic::error(file, at, format!("the `{default}` text is empty")).with_help(
                    "write the text in the default language; other languages may follow later",
                )
            } else {
                Diagnostic::error(
                    file,
                    at,
                    format!("no text in the default language `{default}`"),
                )
                .with_help(format!(
                    "write it as `{{{default}: ...}}` or as a plain string"
                ))
            });
        }
        for (i, t) in texts.iter().enumerate() {
            let cov = &mut self.coverage[i];
            cov.total += 1;
            if t.is_some() {
                cov.translated += 1;
            } else {
                cov.fallback_files.insert(file.to_path_buf());
            }
        }
        Tr { texts }
    }

    /// A value usually the same in every language (a reference title such as "RFC 959
    /// §4.2"): a plain string serves every language and is not counted as a fallback.
    fn neutral_text(&mut self, file: &Path, value: Spanned<Text>) -> Tr {
        match &value.value {
            Text::Plain(s) if !s.trim().is_empty() => Tr {
                texts: vec![Some(s.clone()); self.ids.len()],
            },
            _ => self.text(file, value),
        }
    }

    fn references(&mut self, file: &Path, refs: Vec<RawReference>) -> Vec<Reference> {
        refs.into_iter()
            .map(|r| {
                let url = r.url.value.0.trim().to_owned();
                if !["http://", "https://", "mailto:"].iter().any(|p| url.starts_with(p)) {
                    self.diags.push(
                        Diagnostic::error(file, pos(&r.url), format!("reference url `{url}` is not an http(s) or mailto link"))
                            .with_help("write the full address, e.g. https://www.rfc-editor.org/rfc/rfc959#section-4.2"),
                    );
                }
                Reference {
                    title: self.neutral_text(file, r.title),
                    url,
                }
            })
            .collect()
    }

    /// `classes`, `categories` or `facts`: keys and labels, keys checked by `key_ok`.
    fn groups(
        &mut self,
        file: &Path,
        entries: Entries<Key, Spanned<Text>>,
        what: &str,
        key_ok: impl Fn(&str) -> bool,
        expected: &str,
    ) -> Vec<Group> {
        let mut out: Vec<Group> = Vec::new();
        for (key, label) in entries.0 {
            let k = key.value.0.trim();
            if !key_ok(k) {
                self.diags.push(Diagnostic::error(
                    file,
                    pos(&key),
                    format!("{what} key `{k}` must be {expected}"),
                ));
            } else if out.iter().any(|g| g.key == k) {
                self.diags.push(Diagnostic::error(
                    file,
                    pos(&key),
                    format!("{what} `{k}` is declared twice"),
                ));
            }
            out.push(Group {
                key: k.to_owned(),
                name: self.text(file, label),
            });
        }
        out
    }
}

/// Whether a key could be a language tag (`en`, `zh-Hans`, `pt-BR`): its first subtag is two
/// or three letters. A word such as `kind` or `label` is more likely a misplaced field.
fn looks_like_language(key: &str) -> bool {
    let first = key.split(['-', '_']).next().unwrap_or(key);
    (2..=3).contains(&first.len()) && first.bytes().all(|b| b.is_ascii_alphabetic())
}

/// SPEC §2: `[0-9A-Za-z][0-9A-Za-z._-]*`, and a folder name every common file system
/// accepts: no trailing `.` and no name Windows reserves.
pub(crate) fn is_code_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        && !id.ends_with('.')
        && !is_windows_device(id)
}

/// A protocol folder: `[a-z0-9-]+`, not a name Windows reserves.
pub(crate) fn is_protocol_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !is_windows_device(id)
}

/// `CON`, `nul.txt`, `COM1`…: names Windows will not create, whatever the extension.
fn is_windows_device(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).to_ascii_uppercase();
    matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((stem.starts_with("COM") || stem.starts_with("LPT"))
            && stem.len() == 4
            && stem.as_bytes()[3].is_ascii_digit()
            && stem.as_bytes()[3] != b'0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_ids_follow_the_spec() {
        assert!(is_code_id("421"));
        assert!(is_code_id("5.1.1"));
        assert!(is_code_id("x-custom_1"));
        assert!(!is_code_id("4 21"));
        assert!(!is_code_id("-421"));
        assert!(!is_code_id(""));
        assert!(!is_code_id("5."));
        for device in ["CON", "nul", "Aux.1", "COM1", "lpt9"] {
            assert!(!is_code_id(device), "{device}");
        }
        assert!(is_code_id("COM0") && is_code_id("CONX"));
        assert!(!is_protocol_id("con") && is_protocol_id("ftp"));
    }

    #[test]
    fn base_urls_have_a_host_and_nothing_that_breaks_out() {
        assert!(is_base_url("https://codes.example.org"));
        assert!(is_base_url("http://127.0.0.1:1111/sub/"));
        assert!(!is_base_url("https://"));
        assert!(!is_base_url("https:///path"));
        assert!(!is_base_url("ftp://x.org"));
        assert!(!is_base_url("https://x.org/\"><script>"));
        assert!(!is_base_url("https://x.org/a b"));
    }

    #[test]
    fn language_tags() {
        assert!(locales::is_language_tag("en"));
        assert!(locales::is_language_tag("pt-BR"));
        assert!(locales::is_language_tag("zh-Hans"));
        assert!(!locales::is_language_tag("zh_CN"));
        assert!(!locales::is_language_tag("e"));
    }
}
