//! The content files exactly as written (SPEC §2), deserialised with positions kept.
//! Unknown fields are rejected here by serde; meaning is checked in `validate`.

use serde::Deserialize;
use serde::de::MapAccess;
use serde_saphyr::Spanned;

use super::text::{Entries, Fields, Key, Scalar, Text, TextOr};

/// `content/site.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSite {
    pub title: Spanned<Text>,
    pub tagline: Option<Spanned<Text>>,
    pub base_url: Spanned<Scalar>,
    pub default_locale: Spanned<Scalar>,
    /// `show` (default), `noindex` or `skip`: what a language does with untranslated pages.
    pub fallback: Option<Spanned<Scalar>>,
    /// Raises the size limits of `validate::limits`.
    pub limits: Option<Spanned<RawLimits>>,
}

/// `limits:` in site.yaml.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawLimits {
    pub codes_per_protocol: Option<Spanned<u64>>,
    pub pages: Option<Spanned<u64>>,
}

/// A link in `references`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawReference {
    pub title: Spanned<Text>,
    pub url: Spanned<Scalar>,
}

/// `content/<protocol>/_protocol.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawProtocol {
    pub name: Spanned<Scalar>,
    pub title: Spanned<Text>,
    pub summary: Option<Spanned<Text>>,
    /// What the protocol calls its codes ("reply code"), singular.
    pub term: Option<Spanned<Text>>,
    /// `first-character` (default), `ranges` or `none`.
    pub grouping: Option<Spanned<Scalar>>,
    pub classes: Option<Spanned<Entries<Key, Spanned<TextOr<RawClass>>>>>,
    #[serde(default)]
    pub categories: Entries<Key, Spanned<Text>>,
    #[serde(default)]
    pub references: Vec<RawReference>,
    #[serde(default)]
    pub facts: Entries<Key, Spanned<TextOr<RawFact>>>,
}

/// Reads the next map value into a field, with its position.
fn field<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    slot: &mut Option<Spanned<T>>,
    map: &mut A,
) -> Result<(), A::Error> {
    *slot = Some(map.next_value()?);
    Ok(())
}

/// A class written with fields: `{name: ..., kind: interim}`.
#[derive(Debug, Default)]
pub(crate) struct RawClass {
    pub name: Option<Spanned<Text>>,
    pub kind: Option<Spanned<Scalar>>,
}

impl Fields for RawClass {
    const FIELDS: &'static [&'static str] = &["name", "kind"];
    fn read<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        match key {
            "name" => field(&mut self.name, map),
            _ => field(&mut self.kind, map),
        }
    }
}

/// A typed fact: `{label: ..., values: {key: label, ...}}`.
#[derive(Debug, Default)]
pub(crate) struct RawFact {
    pub label: Option<Spanned<Text>>,
    pub values: Option<Spanned<Entries<Key, Spanned<Text>>>>,
}

impl Fields for RawFact {
    const FIELDS: &'static [&'static str] = &["label", "values"];
    fn read<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        match key {
            "label" => field(&mut self.label, map),
            _ => field(&mut self.values, map),
        }
    }
}

/// A code's value of a typed fact with a note: `{value: later, note: ...}`.
#[derive(Debug, Default)]
pub(crate) struct RawFactChoice {
    pub value: Option<Spanned<Scalar>>,
    pub note: Option<Spanned<Text>>,
}

impl Fields for RawFactChoice {
    const FIELDS: &'static [&'static str] = &["value", "note"];
    fn read<'de, A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<(), A::Error> {
        match key {
            "value" => field(&mut self.value, map),
            _ => field(&mut self.note, map),
        }
    }
}

/// `content/<protocol>/_pairs.yaml`: notes on pairs of codes.
pub(crate) type RawPairs = Vec<RawPairNote>;

/// One note of `_pairs.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPairNote {
    pub codes: Spanned<Vec<Spanned<Scalar>>>,
    pub difference: Spanned<Text>,
    pub which: Spanned<Text>,
    /// Contrasts the data cannot give, each naming both codes.
    #[serde(default)]
    pub contrasts: Vec<Spanned<Text>>,
}

/// `content/<protocol>/<code>.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCode {
    pub name: Spanned<Text>,
    pub description: Spanned<Text>,
    pub when: Spanned<Text>,
    pub fix: Spanned<Text>,
    /// Project addition: when the code applies, a clause (markdown, optional).
    pub condition: Option<Spanned<Text>>,
    /// Project addition: advice shown on the code's page (markdown, optional).
    pub guidance: Option<Spanned<Text>>,
    #[serde(default)]
    pub references: Vec<RawReference>,
    pub status: Option<Spanned<Scalar>>,
    #[serde(default)]
    pub facts: Entries<Key, Spanned<TextOr<RawFactChoice>>>,
}

/// `locales/<id>.yaml`: `name`, `html_lang`, `dir`, then the words and sentence patterns of
/// the templates, all flat text; checked against the known keys in `locale`.
pub(crate) type RawLocale = Entries<Key, Spanned<Scalar>>;
