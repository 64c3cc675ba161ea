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

/// Where a code stands in its registry (SPEC §2 `status`, in the registries' own terms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Status {
    #[default]
    Standard,
    Experimental,
    Temporary,
    Reserved,
    Obsolete,
    Unofficial,
}

impl Status {
    /// Every status, in the order the content format lists them.
    pub const ALL: [Status; 6] = [
        Status::Standard,
        Status::Experimental,
        Status::Temporary,
        Status::Reserved,
        Status::Obsolete,
        Status::Unofficial,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Standard => "standard",
            Status::Experimental => "experimental",
            Status::Temporary => "temporary",
            Status::Reserved => "reserved",
            Status::Obsolete => "obsolete",
            Status::Unofficial => "unofficial",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// How a protocol's codes form classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Grouping {
    /// By the code's first character (SPEC §2).
    #[default]
    FirstCharacter,
    /// By declared ranges of decimal codes.
    Ranges,
    /// No classes at all.
    None,
}

impl Grouping {
    pub const ALL: [Grouping; 3] = [Grouping::FirstCharacter, Grouping::Ranges, Grouping::None];

    pub fn as_str(self) -> &'static str {
        match self {
            Grouping::FirstCharacter => "first-character",
            Grouping::Ranges => "ranges",
            Grouping::None => "none",
        }
    }
}

/// What a class tells a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassKind {
    Interim,
    Success,
    Redirect,
    TransientFailure,
    PermanentFailure,
    Failure,
}

impl ClassKind {
    pub const ALL: [ClassKind; 6] = [
        ClassKind::Interim,
        ClassKind::Success,
        ClassKind::Redirect,
        ClassKind::TransientFailure,
        ClassKind::PermanentFailure,
        ClassKind::Failure,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClassKind::Interim => "interim",
            ClassKind::Success => "success",
            ClassKind::Redirect => "redirect",
            ClassKind::TransientFailure => "transient-failure",
            ClassKind::PermanentFailure => "permanent-failure",
            ClassKind::Failure => "failure",
        }
    }
}

/// A class of codes.
#[derive(Debug, Clone)]
pub struct Class {
    /// The key as declared: a first character, or a range `low-high`.
    pub key: String,
    pub name: Tr,
    pub kind: Option<ClassKind>,
    /// The inclusive range of a `ranges` class.
    pub range: Option<(u64, u64)>,
}

/// A fact codes state side by side.
#[derive(Debug, Clone)]
pub struct Fact {
    pub key: String,
    pub label: Tr,
    /// The values a typed fact allows; empty for a free-text fact.
    pub values: Vec<Group>,
}

impl Fact {
    pub fn is_typed(&self) -> bool {
        !self.values.is_empty()
    }
}

/// One code's value of a fact.
#[derive(Debug, Clone)]
pub enum FactValue {
    /// A free-text fact's text.
    Text(Tr),
    /// A typed fact's value (an index into [`Fact::values`]) and an optional note.
    Typed { value: usize, note: Option<Tr> },
}

/// A note on one pair of codes (`_pairs.yaml`).
#[derive(Debug, Clone)]
pub struct PairNote {
    /// Indices of the two codes in the protocol, `a < b`.
    pub a: usize,
    pub b: usize,
    pub difference: Tr,
    pub which: Tr,
}

#[derive(Debug, Clone)]
pub struct Reference {
    pub title: Tr,
    pub url: String,
}

/// A keyed, named thing of a protocol: a category (second character) or a fact's value.
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
    /// When the code applies: a clause (markdown).
    pub condition: Option<Tr>,
    pub guidance: Option<Tr>,
    pub references: Vec<Reference>,
    pub status: Status,
    /// Index into the protocol's `classes` (none when the protocol has no classes).
    pub class: Option<usize>,
    /// Index into the protocol's `categories`, when the second character names one.
    pub category: Option<usize>,
    /// One entry per protocol fact, in the protocol's order.
    pub facts: Vec<Option<FactValue>>,
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
    /// What the protocol calls its codes, singular ("reply code").
    pub term: Option<Tr>,
    pub grouping: Grouping,
    pub classes: Vec<Class>,
    pub categories: Vec<Group>,
    pub references: Vec<Reference>,
    pub facts: Vec<Fact>,
    /// In natural order (SPEC §3).
    pub codes: Vec<Code>,
    /// Sorted by `(a, b)`.
    pub notes: Vec<PairNote>,
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

impl Protocol {
    /// The note on the pair of codes `a` and `b` (indices, either order), if there is one.
    pub fn note(&self, a: usize, b: usize) -> Option<&PairNote> {
        let key = (a.min(b), a.max(b));
        self.notes
            .binary_search_by(|n| (n.a, n.b).cmp(&key))
            .ok()
            .map(|i| &self.notes[i])
    }
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
            condition: None,
            guidance: None,
            references: Vec::new(),
            status: Status::Standard,
            class: Some(0),
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
                term: None,
                grouping: Grouping::FirstCharacter,
                classes: vec![Class {
                    key: "1".into(),
                    name: tr("One"),
                    kind: None,
                    range: None,
                }],
                categories: Vec::new(),
                references: Vec::new(),
                facts: Vec::new(),
                codes: vec![code("10"), code("11"), code("12")],
                notes: Vec::new(),
                hash: 0,
            }],
            hash: 0,
        }
    }
}
