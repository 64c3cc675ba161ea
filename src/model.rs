//! The validated site: every file parsed and checked, every translatable value resolved per
//! locale, codes in natural order. Later stages read this and never see raw YAML.

use std::path::PathBuf;

use crate::locale::Locale;

/// Declares an index newtype into one of the site's lists, so a code index cannot be used
/// where a protocol index is meant.
macro_rules! index {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub(crate) struct $name(pub(crate) u32);

        impl $name {
            /// The position in its list.
            pub(crate) fn get(self) -> usize {
                self.0 as usize
            }

            /// The index of position `i` (lists are far smaller than `u32::MAX`: validation
            /// refuses sites that large).
            pub(crate) fn at(i: usize) -> Self {
                Self(u32::try_from(i).unwrap_or(u32::MAX))
            }
        }
    };
}

index!(
    /// A protocol of [`Site::protocols`].
    ProtocolIdx
);
index!(
    /// A code of [`Protocol::codes`].
    CodeIdx
);
index!(
    /// A language of [`Site::locales`].
    LocaleIdx
);

/// A translatable value after validation: the text for each locale of the site (by index),
/// `None` where that language has no text of its own.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tr {
    pub texts: Vec<Option<String>>,
}

/// A value looked up for one locale: its text, and whether it was taken from the default
/// language because the locale had none (a fallback, to be marked in the HTML).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Localized<'a> {
    pub text: &'a str,
    pub fallback: bool,
}

impl Tr {
    /// The text for `locale`, else the default locale's (validation guarantees it exists).
    pub(crate) fn get(&self, locale: LocaleIdx) -> Localized<'_> {
        match self.texts.get(locale.get()).and_then(Option::as_deref) {
            Some(text) => Localized {
                text,
                fallback: false,
            },
            None => Localized {
                text: self
                    .texts
                    .get(Site::DEFAULT_LOCALE.get())
                    .and_then(Option::as_deref)
                    .unwrap_or(""),
                fallback: true,
            },
        }
    }
}

/// Where a code stands in its registry (SPEC §2 `status`, in the registries' own terms).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Status {
    #[default]
    Standard,
    Experimental,
    Temporary,
    /// In the registry, defined by no standard (first come, first served, or a registrant's
    /// own document).
    Registered,
    Reserved,
    Obsolete,
    Unofficial,
}

impl Status {
    /// Every status, in the order the content format lists them.
    pub(crate) const ALL: [Status; 7] = [
        Status::Standard,
        Status::Experimental,
        Status::Temporary,
        Status::Registered,
        Status::Reserved,
        Status::Obsolete,
        Status::Unofficial,
    ];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Standard => "standard",
            Status::Experimental => "experimental",
            Status::Temporary => "temporary",
            Status::Registered => "registered",
            Status::Reserved => "reserved",
            Status::Obsolete => "obsolete",
            Status::Unofficial => "unofficial",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// How a protocol's codes form classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Grouping {
    /// By the code's first character (SPEC §2).
    #[default]
    FirstCharacter,
    /// By declared ranges of decimal codes.
    Ranges,
    /// No classes at all.
    None,
}

impl Grouping {
    pub(crate) const ALL: [Grouping; 3] =
        [Grouping::FirstCharacter, Grouping::Ranges, Grouping::None];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Grouping::FirstCharacter => "first-character",
            Grouping::Ranges => "ranges",
            Grouping::None => "none",
        }
    }
}

/// What a class tells a client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ClassKind {
    Interim,
    Success,
    Redirect,
    TransientFailure,
    PermanentFailure,
    Failure,
}

impl ClassKind {
    pub(crate) const ALL: [ClassKind; 6] = [
        ClassKind::Interim,
        ClassKind::Success,
        ClassKind::Redirect,
        ClassKind::TransientFailure,
        ClassKind::PermanentFailure,
        ClassKind::Failure,
    ];

    pub(crate) fn as_str(self) -> &'static str {
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
pub(crate) struct Class {
    /// The key as declared: a first character, or a range `low-high`.
    pub key: String,
    pub name: Tr,
    pub kind: Option<ClassKind>,
    /// The inclusive range of a `ranges` class.
    pub range: Option<(u64, u64)>,
}

/// A fact codes state side by side.
#[derive(Debug, Clone)]
pub(crate) struct Fact {
    pub key: String,
    pub label: Tr,
    /// The values a typed fact allows; empty for a free-text fact.
    pub values: Vec<Group>,
}

impl Fact {
    pub(crate) fn is_typed(&self) -> bool {
        !self.values.is_empty()
    }
}

/// One code's value of a fact.
#[derive(Debug, Clone)]
pub(crate) enum FactValue {
    /// A free-text fact's text.
    Text(Tr),
    /// A typed fact's value (an index into [`Fact::values`]) and an optional note.
    Typed { value: usize, note: Option<Tr> },
}

/// A note on one pair of codes (`_pairs.yaml`).
#[derive(Debug, Clone)]
pub(crate) struct PairNote {
    /// The two codes, `a < b`.
    pub a: CodeIdx,
    pub b: CodeIdx,
    pub difference: Tr,
    pub which: Tr,
    /// Key differences written for this pair (inline markdown), before those from data.
    pub contrasts: Vec<Tr>,
}

#[derive(Debug, Clone)]
pub(crate) struct Reference {
    pub title: Tr,
    pub url: String,
}

/// A keyed, named thing of a protocol: a category (second character) or a fact's value.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    pub key: String,
    pub name: Tr,
}

#[derive(Debug, Clone)]
pub(crate) struct Code {
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
}

#[derive(Debug, Clone)]
pub(crate) struct Protocol {
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
}

/// What a language does with a page whose main text is not translated into it
/// (`fallback` in site.yaml; docs/content.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Fallback {
    /// The page is built with the default language's text, marked with its `lang`.
    #[default]
    Show,
    /// As `Show`, but search engines are told not to index it: `noindex`, and it leaves the
    /// sitemap and every hreflang set.
    Noindex,
    /// The page is not built in that language; links to it lead to the default language's.
    Skip,
}

impl Fallback {
    pub(crate) const ALL: [Fallback; 3] = [Fallback::Show, Fallback::Noindex, Fallback::Skip];

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Fallback::Show => "show",
            Fallback::Noindex => "noindex",
            Fallback::Skip => "skip",
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Site {
    pub title: Tr,
    pub tagline: Option<Tr>,
    /// Absolute, without a trailing slash.
    pub base_url: String,
    /// The default locale first, then the others by id.
    pub locales: Vec<Locale>,
    /// Per locale, its URL prefix: empty for the default, `/<id>` for the others.
    pub prefixes: Vec<String>,
    /// By id.
    pub protocols: Vec<Protocol>,
    pub fallback: Fallback,
}

impl Protocol {
    pub(crate) fn code(&self, c: CodeIdx) -> &Code {
        &self.codes[c.get()]
    }

    /// The note on the pair `a`, `b` (either order), if any.
    pub(crate) fn note(&self, a: CodeIdx, b: CodeIdx) -> Option<&PairNote> {
        let key = (a.min(b), a.max(b));
        self.notes
            .binary_search_by(|n| (n.a, n.b).cmp(&key))
            .ok()
            .map(|i| &self.notes[i])
    }
}

impl Tr {
    /// Whether `locale` has text of its own (not a fallback).
    pub(crate) fn has(&self, locale: LocaleIdx) -> bool {
        self.texts.get(locale.get()).is_some_and(Option::is_some)
    }
}

/// Files every site has once, at the top of the output (SPEC §3), and the folder of its
/// static assets.
pub(crate) const NOT_FOUND: &str = "404.html";
pub(crate) const ROBOTS: &str = "robots.txt";
pub(crate) const SITEMAP: &str = "sitemap.xml";
pub(crate) const ASSETS_DIR: &str = "assets";

/// The URL segment of the pair page of codes `a` and `b`, `a` first in natural order:
/// `200-vs-421` (SPEC §3).
pub(crate) fn pair_segment(a: &str, b: &str) -> String {
    format!("{a}-vs-{b}")
}

impl Site {
    pub(crate) fn protocol(&self, p: ProtocolIdx) -> &Protocol {
        &self.protocols[p.get()]
    }

    pub(crate) fn locale(&self, l: LocaleIdx) -> &Locale {
        &self.locales[l.get()]
    }

    /// The default language (always the first).
    pub(crate) const DEFAULT_LOCALE: LocaleIdx = LocaleIdx(0);

    /// The site's languages, the default first.
    pub(crate) fn locale_ids(&self) -> impl Iterator<Item = LocaleIdx> + use<> {
        (0..self.locales.len()).map(LocaleIdx::at)
    }

    /// URL path prefix of a locale: empty for the default, `/<id>` for the others.
    pub(crate) fn prefix(&self, locale: LocaleIdx) -> &str {
        self.prefixes[locale.get()].as_str()
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
        }
    }

    /// A site in en and zh with one protocol `p` of three codes, for unit tests.
    pub(crate) fn two_language_site() -> Site {
        Site {
            title: tr("T"),
            tagline: None,
            base_url: "https://x.org".into(),
            prefixes: vec![String::new(), "/zh".into()],
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
            }],
            fallback: Fallback::Show,
        }
    }
}
