//! Locale files: the site's languages, every template word resolved (SPEC §2).

use std::collections::BTreeMap;

use super::{Coverage, pos};
use crate::diagnostic::{Diagnostic, Diagnostics, Pos, did_you_mean};
use crate::load::Parsed;
use crate::load::raw::RawLocale;
use crate::locale::{self, Dir, KEYS, Locale, META_KEYS, Mark};

/// Is `id` a plausible BCP 47 tag (`en`, `zh-Hans`, `pt-BR`)?
pub(super) fn is_language_tag(id: &str) -> bool {
    let mut parts = id.split('-');
    let first_ok = parts
        .next()
        .is_some_and(|p| (2..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphabetic()));
    first_ok
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The site's languages with every key resolved: the language's own text, else the words
/// Versus ships for that language, else the default locale's (marked as a fallback) — so a
/// locale file may be as small as `name: Deutsch`.
pub(super) fn resolve_locales(
    raw: &[Parsed<RawLocale>],
    coverage: &mut [Coverage],
    diags: &mut Diagnostics,
) -> Vec<Locale> {
    let mut out: Vec<Locale> = Vec::with_capacity(raw.len());
    for (file, cov) in raw.iter().zip(coverage.iter_mut()) {
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
        let own = own_words(file, diags);
        let html_lang = own
            .get("html_lang")
            .map_or(file.stem.clone(), |s| s.trim().to_owned());
        if !is_language_tag(&html_lang) && is_language_tag(&file.stem) {
            diags.push(
                Diagnostic::error(
                    &file.file,
                    value_pos(file, "html_lang"),
                    format!("html_lang `{html_lang}` is not a BCP 47 language tag"),
                )
                .with_help("write a tag such as en, zh-Hans or pt-BR"),
            );
        }
        let dir = match own.get("dir").map(|s| s.trim()) {
            None | Some("ltr") => Dir::Ltr,
            Some("rtl") => Dir::Rtl,
            Some(other) => {
                diags.push(Diagnostic::error(
                    &file.file,
                    value_pos(file, "dir"),
                    format!("dir `{other}` is neither ltr nor rtl"),
                ));
                Dir::Ltr
            }
        };
        let (strings, fallback) = words(file, &own, out.first(), &html_lang, dir, cov);
        let name = own
            .get("name")
            .map_or_else(|| file.stem.clone(), |s| s.trim().to_owned());
        out.push(Locale::new(
            file.stem.clone(),
            name,
            html_lang,
            dir,
            strings,
            fallback,
        ));
    }
    out
}

/// Where the value of `key` is in a locale file (the whole file when it is not there).
fn value_pos(file: &Parsed<RawLocale>, key: &str) -> Pos {
    file.value
        .0
        .iter()
        .find(|(k, _)| k.value.0 == key)
        .map_or(Pos::FILE, |(_, v)| pos(v))
}

/// The words a locale file gives, after reporting unknown keys (warnings: they may be for a
/// site's own templates) and placeholders a key does not take.
fn own_words<'f>(
    file: &'f Parsed<RawLocale>,
    diags: &mut Diagnostics,
) -> BTreeMap<&'f str, &'f str> {
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
        if let Some((_, placeholders)) = KEYS.iter().find(|(name, _)| *name == k) {
            let allowed = locale::allowed(placeholders);
            for ph in crate::pattern::placeholders(&value.value.0) {
                if !allowed.contains(&ph) {
                    let help = if allowed.is_empty() {
                        "this text takes no placeholders; write `{{` for a literal brace".to_owned()
                    } else {
                        let list: Vec<String> =
                            allowed.iter().map(|a| format!("{{{a}}}")).collect();
                        format!("it may use {}", list.join(", "))
                    };
                    diags.push(
                        Diagnostic::error(
                            &file.file,
                            pos(value),
                            format!("`{{{ph}}}` is not a placeholder of `{k}`"),
                        )
                        .with_help(help),
                    );
                }
            }
        }
        own.insert(k, value.value.0.as_str());
    }
    own
}

/// Every key's text in a language (in `KEYS` order), and for each taken from another
/// language that language's `html_lang`; counts what is translated. `default` is the
/// default language, once resolved (`None` while resolving it).
fn words(
    file: &Parsed<RawLocale>,
    own: &BTreeMap<&str, &str>,
    default: Option<&Locale>,
    html_lang: &str,
    dir: Dir,
    cov: &mut Coverage,
) -> (Vec<String>, Vec<Option<Mark>>) {
    let builtin = crate::defaults::locale(&file.stem);
    let mut strings = Vec::with_capacity(KEYS.len());
    let mut fallback = Vec::with_capacity(KEYS.len());
    for (idx, (key, _)) in KEYS.iter().enumerate() {
        cov.total += 1;
        // Versus's own words for this language count as the language's own.
        let text = own
            .get(key)
            .filter(|t| !t.trim().is_empty())
            .map(|t| (*t).to_owned())
            .or_else(|| builtin.get(*key).cloned());
        if let Some(text) = text {
            cov.translated += 1;
            strings.push(text);
            fallback.push(None);
            continue;
        }
        cov.fallback_files.insert(file.file.clone());
        // Else the default locale; the default itself falls back to English.
        let (text, lang) = match default {
            Some(d) => (
                d.strings[idx].clone(),
                Some(Mark::new(&d.html_lang, d.dir, dir)),
            ),
            None => (
                crate::defaults::locale("en")
                    .get(*key)
                    .cloned()
                    .unwrap_or_default(),
                (html_lang != "en").then(|| Mark::new("en", Dir::Ltr, dir)),
            ),
        };
        strings.push(text);
        fallback.push(lang);
    }
    (strings, fallback)
}
