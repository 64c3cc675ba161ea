//! The validated site: every file parsed and checked, every translatable value resolved per
//! locale, codes in natural order. Later stages read this and never see raw YAML.

use std::path::PathBuf;

use crate::locale::Locale;

/// A translatable value after validation: the text for each locale of the site (by index),
/// `None` where that language has no text of its own.
#[derive(Debug, Clone, Default)]
pub struct Tr {
    pub texts: Vec<Option<String>>,
}

/// A value looked up for one locale: its text, and the `html_lang` of the language it was
/// taken from when the locale had none (a fallback, to be marked in the HTML).
#[derive(Debug, Clone, Copy)]
pub struct Localized<'a> {
    pub text: &'a str,
    pub fallback: Option<usize>,
}

impl Tr {
    /// The text for `locale`, else the default locale's (validation guarantees it exists).
    pub fn get(&self, locale: usize, default: usize) -> Localized<'_> {
        match self.texts.get(locale).and_then(Option::as_deref) {
            Some(text) => Localized {
                text,
                fallback: None,
            },
            None => Localized {
                text: self
                    .texts
                    .get(default)
                    .and_then(Option::as_deref)
                    .unwrap_or(""),
                fallback: Some(default),
            },
        }
    }

    /// How many of the site's locales lack their own text.
    pub fn missing(&self) -> usize {
        self.texts.iter().filter(|t| t.is_none()).count()
    }
}

/// Whether a code is defined by a standard (SPEC §2 `status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Status {
    #[default]
    Standard,
    Unofficial,
    Obsolete,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Standard => "standard",
            Status::Unofficial => "unofficial",
            Status::Obsolete => "obsolete",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Reference {
    pub title: Tr,
    pub url: String,
}

/// A class (first character) or category (second character) of a protocol's codes.
#[derive(Debug, Clone)]
pub struct Group {
    pub key: String,
    pub name: Tr,
}

#[derive(Debug, Clone)]
pub struct Code {
    pub id: String,
    /// Path of the file, relative to the site root.
    pub file: PathBuf,
    pub name: Tr,
    pub description: Tr,
    pub when: Tr,
    pub fix: Tr,
    pub guidance: Option<Tr>,
    pub references: Vec<Reference>,
    pub status: Status,
    /// Index into the protocol's `classes`.
    pub class: usize,
    /// Index into the protocol's `categories`, when the second character names one.
    pub category: Option<usize>,
    /// One entry per protocol fact, in the protocol's order.
    pub facts: Vec<Option<Tr>>,
    /// Fingerprint of the file, for incremental rebuilds.
    pub hash: u64,
}

#[derive(Debug, Clone)]
pub struct Protocol {
    /// Folder name, used in URLs.
    pub id: String,
    /// Short name shown before codes ("FTP 421").
    pub name: String,
    pub title: Tr,
    pub summary: Option<Tr>,
    pub classes: Vec<Group>,
    pub categories: Vec<Group>,
    pub references: Vec<Reference>,
    /// Declared facts: key and label.
    pub facts: Vec<Group>,
    /// In natural order (SPEC §3).
    pub codes: Vec<Code>,
    /// Fingerprint of `_protocol.yaml`.
    pub hash: u64,
}

#[derive(Debug, Clone)]
pub struct Site {
    pub title: Tr,
    pub tagline: Option<Tr>,
    /// Absolute, without a trailing slash.
    pub base_url: String,
    /// Index of the default locale in `locales`; it is always 0.
    pub default_locale: usize,
    /// The default locale first, then the others by id.
    pub locales: Vec<Locale>,
    /// By id.
    pub protocols: Vec<Protocol>,
    /// Fingerprint of site.yaml, every locale file and the base URL in use.
    pub hash: u64,
}

impl Site {
    /// URL path prefix of a locale: empty for the default, `/<id>` for the others.
    pub fn prefix(&self, locale: usize) -> String {
        // Used for links and alternates; the hot per-page paths use `plan::push_url`.
        if locale == self.default_locale {
            String::new()
        } else {
            format!("/{}", self.locales[locale].id)
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn tr(s: &str) -> Tr {
        Tr {
            texts: vec![Some(s.to_owned()), None],
        }
    }

    fn code(id: &str) -> Code {
        Code {
            id: id.to_owned(),
            file: PathBuf::from(format!("content/p/{id}.yaml")),
            name: tr(id),
            description: tr("d."),
            when: tr("w."),
            fix: tr("f."),
            guidance: None,
            references: Vec::new(),
            status: Status::Standard,
            class: 0,
            category: None,
            facts: Vec::new(),
            hash: 0,
        }
    }

    /// A site in en and zh with one protocol `p` of three codes, for unit tests.
    pub(crate) fn two_language_site() -> Site {
        Site {
            title: tr("T"),
            tagline: None,
            base_url: "https://x.org".into(),
            default_locale: 0,
            locales: vec![
                crate::locale::builtin("en", "en"),
                crate::locale::builtin("zh", "zh-Hans"),
            ],
            protocols: vec![Protocol {
                id: "p".into(),
                name: "P".into(),
                title: tr("P"),
                summary: None,
                classes: vec![Group {
                    key: "1".into(),
                    name: tr("One"),
                }],
                categories: Vec::new(),
                references: Vec::new(),
                facts: Vec::new(),
                codes: vec![code("10"), code("11"), code("12")],
                hash: 0,
            }],
            hash: 0,
        }
    }
}
