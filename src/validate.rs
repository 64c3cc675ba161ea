//! Stage 2: check what was loaded against SPEC §2 and resolve it into the [`Site`] model.
//! Every problem of every file is collected; the model is returned only when there is none.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_saphyr::Spanned;

use crate::content::load::{self, Loaded, LoadedProtocol, Parsed};
use crate::content::raw::{RawCode, RawLocale, RawReference, RawSite};
use crate::content::text::{Entries, Key, Text};
use crate::diagnostic::{Diagnostic, Diagnostics, Pos, did_you_mean};
use crate::locale::{self, Dir, KEYS, Locale, META_KEYS};
use crate::model::{Code, Group, Protocol, Reference, Site, Status, Tr};
use crate::natural;

/// How completely one language is translated (for the build summary and `check`).
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    pub locale: String,
    /// Translatable values that have this language's own text.
    pub translated: usize,
    pub total: usize,
    /// Files with at least one value (or locale key) falling back to another language.
    pub fallback_files: BTreeSet<PathBuf>,
}

impl Coverage {
    pub fn fallbacks(&self) -> usize {
        self.total - self.translated
    }
}

/// Validates everything and builds the site model. `base_url` overrides site.yaml's.
pub fn validate(
    root: &Path,
    loaded: Loaded,
    base_url: Option<&str>,
    diags: &mut Diagnostics,
) -> Option<(Site, Vec<Coverage>)> {
    let site_file = PathBuf::from("content/site.yaml");
    let raw_site = loaded.site?;

    // Languages first: every translatable value is resolved against them.
    let default_id = raw_site.value.default_locale.value.0.trim().to_owned();
    let mut raw_locales = loaded.locales;
    raw_locales
        .sort_by(|a, b| (a.stem != default_id, &a.stem).cmp(&(b.stem != default_id, &b.stem)));
    if raw_locales.first().is_none_or(|l| l.stem != default_id) {
        let known: Vec<&str> = raw_locales.iter().map(|l| l.stem.as_str()).collect();
        let mut d = Diagnostic::error(
            &site_file,
            pos(&raw_site.value.default_locale),
            format!("default_locale `{default_id}` has no file locales/{default_id}.yaml"),
        );
        if let Some(k) = did_you_mean(&default_id, known.iter().copied()) {
            d = d.with_help(format!("did you mean `{k}`?"));
        }
        diags.push(d);
        return None;
    }
    let mut coverage: Vec<Coverage> = raw_locales
        .iter()
        .map(|l| Coverage {
            locale: l.stem.clone(),
            ..Coverage::default()
        })
        .collect();
    let locales = resolve_locales(&raw_locales, &mut coverage, diags);
    let mut r = Resolver {
        root,
        ids: locales.iter().map(|l| l.id.clone()).collect(),
        coverage,
        diags,
    };

    let RawSite {
        title,
        tagline,
        base_url: raw_base,
        default_locale: _,
    } = raw_site.value;
    let title = r.text(&site_file, title);
    let tagline = tagline.map(|t| r.text(&site_file, t));
    let base = match base_url {
        Some(b) => b.to_owned(),
        None => raw_base.value.0.trim().to_owned(),
    };
    if !(base.starts_with("http://") || base.starts_with("https://"))
        || base.contains(char::is_whitespace)
    {
        r.diags.push(
            Diagnostic::error(
                &site_file,
                pos(&raw_base),
                format!("base_url `{base}` is not an absolute http(s) URL"),
            )
            .with_help(
                "write it as https://example.org (it is used for canonical links and the sitemap)",
            ),
        );
    }

    // Raw files are consumed as they are resolved, so their text is moved, not copied.
    let mut protocols: Vec<Protocol> = loaded
        .protocols
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
    let hash = raw_locales
        .iter()
        .fold(
            crate::fingerprint::Fingerprint::new()
                .u64(raw_site.hash)
                .str(&base),
            |f, l| f.str(&l.stem).u64(l.hash),
        )
        .finish();
    Some((
        Site {
            hash,
            title,
            tagline,
            base_url: base.trim_end_matches('/').to_owned(),
            default_locale: 0,
            locales,
            protocols,
        },
        coverage,
    ))
}

fn pos<T>(s: &Spanned<T>) -> Pos {
    Pos::from_location(&s.referenced)
}

/// Is `id` a plausible BCP 47 tag (`en`, `zh-Hans`, `pt-BR`)?
fn is_language_tag(id: &str) -> bool {
    let mut parts = id.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    first_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The site's languages with every key resolved: the language's own text, else the default
/// locale's, else the built-in text shipped with Versus (so a locale file may be as small as
/// `name: Deutsch`).
fn resolve_locales(
    raw: &[Parsed<RawLocale>],
    coverage: &mut [Coverage],
    diags: &mut Diagnostics,
) -> Vec<Locale> {
    let mut out: Vec<Locale> = Vec::with_capacity(raw.len());
    for (i, file) in raw.iter().enumerate() {
        if !is_language_tag(&file.stem) {
            diags.push(
                Diagnostic::error(
                    &file.file,
                    Pos::FILE,
                    format!("`{}` is not a BCP 47 language tag", file.stem),
                )
                .with_help("name locale files like en.yaml, zh.yaml or pt-BR.yaml"),
            );
        }
        let mut own: BTreeMap<&str, &str> = BTreeMap::new();
        for (key, value) in &file.value.0 {
            let k = key.value.0.as_str();
            let known = META_KEYS.contains(&k) || KEYS.iter().any(|(name, _)| *name == k);
            if !known {
                let all = META_KEYS.iter().copied().chain(KEYS.iter().map(|k| k.0));
                let mut d = Diagnostic::warning(
                    &file.file,
                    pos(key),
                    format!("unknown key `{k}` is not used by the templates"),
                );
                if let Some(s) = did_you_mean(k, all) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                }
                diags.push(d);
                continue;
            }
            if let Some((_, allowed)) = KEYS.iter().find(|(name, _)| *name == k) {
                for ph in locale::placeholders(&value.value.0) {
                    if !allowed.contains(&ph) {
                        diags.push(
                            Diagnostic::error(
                                &file.file,
                                pos(value),
                                format!("`{{{ph}}}` is not a placeholder of `{k}`"),
                            )
                            .with_help(if allowed.is_empty() {
                                "this text takes no placeholders; write `{{` for a literal brace"
                                    .to_owned()
                            } else {
                                format!(
                                    "it may use {}",
                                    allowed
                                        .iter()
                                        .map(|a| format!("{{{a}}}"))
                                        .collect::<Vec<_>>()
                                        .join(", ")
                                )
                            }),
                        );
                    }
                }
            }
            own.insert(k, value.value.0.as_str());
        }
        let html_lang = own
            .get("html_lang")
            .map_or(file.stem.clone(), |s| s.trim().to_owned());
        let dir = match own.get("dir").map(|s| s.trim()) {
            None | Some("ltr") => Dir::Ltr,
            Some("rtl") => Dir::Rtl,
            Some(other) => {
                let at = file
                    .value
                    .0
                    .iter()
                    .find(|(k, _)| k.value.0 == "dir")
                    .map_or(Pos::FILE, |(_, v)| pos(v));
                diags.push(Diagnostic::error(
                    &file.file,
                    at,
                    format!("dir `{other}` is neither ltr nor rtl"),
                ));
                Dir::Ltr
            }
        };
        let builtin = crate::defaults::locale(&file.stem);
        let mut strings = Vec::with_capacity(KEYS.len());
        let mut fallback = Vec::with_capacity(KEYS.len());
        let cov = &mut coverage[i];
        for (idx, (key, _)) in KEYS.iter().enumerate() {
            cov.total += 1;
            if let Some(text) = own.get(key).filter(|t| !t.trim().is_empty()) {
                cov.translated += 1;
                strings.push((*text).to_owned());
                fallback.push(None);
                continue;
            }
            cov.fallback_files.insert(file.file.clone());
            // The default locale is out[0] once resolved; the default itself falls back to
            // the built-in text of its own language, else English.
            let (text, lang) = match out.first() {
                Some(default) => (
                    default.strings[idx].clone(),
                    Some(default.html_lang.clone()),
                ),
                None => match builtin.get(*key) {
                    Some(t) => (t.clone(), None),
                    None => (
                        crate::defaults::locale("en")
                            .get(*key)
                            .cloned()
                            .unwrap_or_default(),
                        Some("en".to_owned()).filter(|en| *en != html_lang),
                    ),
                },
            };
            strings.push(text);
            fallback.push(lang);
        }
        let name = own
            .get("name")
            .map_or_else(|| file.stem.clone(), |s| s.trim().to_owned());
        out.push(Locale {
            id: file.stem.clone(),
            name,
            html_lang,
            dir,
            strings,
            fallback,
        });
    }
    out
}

/// Resolves translatable values against the site's languages, counting fallbacks.
struct Resolver<'d> {
    root: &'d Path,
    ids: Vec<String>,
    coverage: Vec<Coverage>,
    diags: &'d mut Diagnostics,
}

impl Resolver<'_> {
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
                            } else {
                                d = d.with_help(format!(
                                    "add locales/{}.yaml to publish it",
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

    fn protocol(&mut self, p: LoadedProtocol) -> Option<Protocol> {
        let file = &p.meta.file;
        let raw = p.meta.value;
        if p.id.is_empty()
            || !p
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            self.diags.push(
                Diagnostic::error(
                    file,
                    Pos::FILE,
                    format!(
                        "protocol folder `{}` must be named with a-z, 0-9 and -",
                        p.id
                    ),
                )
                .with_help("the folder name is the protocol's URL, e.g. content/ftp"),
            );
        }
        let name = raw.name.value.0.trim().to_owned();
        if name.is_empty() {
            self.diags
                .push(Diagnostic::error(file, pos(&raw.name), "name is empty"));
        }
        let one_char = |k: &str| k.chars().count() == 1;
        let classes_at = pos(&raw.classes);
        let classes = self.groups(
            file,
            raw.classes.value,
            "class",
            one_char,
            "one character (a code's first)",
        );
        if classes.is_empty() {
            self.diags.push(
                Diagnostic::error(file, classes_at, "classes is empty").with_help(
                    "declare each first character of the protocol's codes, e.g. \"2\": Success",
                ),
            );
        }
        let categories = self.groups(
            file,
            raw.categories,
            "category",
            one_char,
            "one character (a code's second)",
        );
        let facts = self.groups(
            file,
            raw.facts,
            "fact",
            |k| {
                !k.is_empty()
                    && k.chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            },
            "letters, digits, _ or -",
        );
        let protocol = Protocol {
            hash: p.meta.hash,
            id: p.id.clone(),
            name,
            title: self.text(file, raw.title),
            summary: raw.summary.map(|s| self.text(file, s)),
            references: self.references(file, raw.references),
            codes: Vec::new(),
            classes,
            categories,
            facts,
        };
        let mut codes: Vec<Code> = Vec::with_capacity(p.code_files.len());
        for batch in p.code_files.chunks(load::BATCH) {
            for c in load::parse_all::<RawCode>(self.root, batch, self.diags) {
                codes.extend(self.code(&protocol, c));
            }
        }
        codes.sort_by(|a, b| natural::compare(&a.id, &b.id));
        Some(Protocol { codes, ..protocol })
    }

    fn code(&mut self, protocol: &Protocol, parsed: Parsed<RawCode>) -> Option<Code> {
        let file = &parsed.file;
        let raw = parsed.value;
        let id = parsed.stem.as_str();
        let mut ok = true;
        if !is_code_id(id) {
            self.diags.push(
                Diagnostic::error(file, Pos::FILE, format!("`{id}` is not a valid code: a file name is the code, made of letters, digits, `.`, `_` and `-`"))
                    .with_help("rename the file, e.g. `421.yaml`"),
            );
            ok = false;
        }
        let first = id.chars().next().map(String::from).unwrap_or_default();
        let class = protocol.classes.iter().position(|c| c.key == first);
        if class.is_none() && ok {
            let declared: Vec<&str> = protocol.classes.iter().map(|c| c.key.as_str()).collect();
            self.diags.push(
                Diagnostic::error(file, Pos::FILE, format!("code `{id}` is in class `{first}`, which content/{}/_protocol.yaml does not declare", protocol.id))
                    .with_help(format!("declared classes: {}; add `\"{first}\": ...` under classes", declared.join(", "))),
            );
        }
        let second = id.chars().nth(1).map(String::from).unwrap_or_default();
        let category = protocol.categories.iter().position(|c| c.key == second);
        let status = match raw.status.as_ref().map(|s| s.value.0.trim()) {
            None | Some("standard") => Status::Standard,
            Some("unofficial") => Status::Unofficial,
            Some("obsolete") => Status::Obsolete,
            Some(other) => {
                let mut d = Diagnostic::error(
                    file,
                    raw.status.as_ref().map_or(Pos::FILE, pos),
                    format!("status `{other}` is not one of standard, unofficial, obsolete"),
                );
                if let Some(k) = did_you_mean(other, ["standard", "unofficial", "obsolete"]) {
                    d = d.with_help(format!("did you mean `{k}`?"));
                }
                self.diags.push(d);
                Status::Standard
            }
        };
        let mut facts: Vec<Option<Tr>> = vec![None; protocol.facts.len()];
        for (key, value) in raw.facts.0 {
            let k = key.value.0.trim();
            match protocol.facts.iter().position(|f| f.key == k) {
                Some(i) => facts[i] = Some(self.text(file, value)),
                None => {
                    let known = protocol.facts.iter().map(|f| f.key.as_str());
                    let mut d = Diagnostic::error(
                        file,
                        pos(&key),
                        format!(
                            "fact `{k}` is not declared in content/{}/_protocol.yaml",
                            protocol.id
                        ),
                    );
                    d = d.with_help(match did_you_mean(k, known) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => format!(
                            "declare it under `facts:` in _protocol.yaml (declared: {})",
                            protocol
                                .facts
                                .iter()
                                .map(|f| f.key.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    });
                    self.diags.push(d);
                }
            }
        }
        let code = Code {
            hash: parsed.hash,
            id: id.to_owned(),
            file: file.clone(),
            name: self.text(file, raw.name),
            description: self.text(file, raw.description),
            when: self.text(file, raw.when),
            fix: self.text(file, raw.fix),
            guidance: raw.guidance.map(|g| self.text(file, g)),
            references: self.references(file, raw.references),
            status,
            class: class.unwrap_or(0),
            category,
            facts,
        };
        (ok && class.is_some()).then_some(code)
    }
}

/// SPEC §2: `[0-9A-Za-z][0-9A-Za-z._-]*`.
pub fn is_code_id(id: &str) -> bool {
    let mut chars = id.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
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
    }

    #[test]
    fn language_tags() {
        assert!(is_language_tag("en"));
        assert!(is_language_tag("pt-BR"));
        assert!(is_language_tag("zh-Hans"));
        assert!(!is_language_tag("zh_CN"));
        assert!(!is_language_tag("e"));
    }
}
