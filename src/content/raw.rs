//! The content files exactly as written (SPEC §2), deserialised with positions kept.
//! Unknown fields are rejected here by serde; meaning is checked in `validate`.

use serde::Deserialize;
use serde_saphyr::Spanned;

use super::text::{Entries, Key, Scalar, Text};

/// `content/site.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSite {
    pub title: Spanned<Text>,
    pub tagline: Option<Spanned<Text>>,
    pub base_url: Spanned<Scalar>,
    pub default_locale: Spanned<Scalar>,
}

/// A link in `references`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawReference {
    pub title: Spanned<Text>,
    pub url: Spanned<Scalar>,
}

/// `content/<protocol>/_protocol.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProtocol {
    pub name: Spanned<Scalar>,
    pub title: Spanned<Text>,
    pub summary: Option<Spanned<Text>>,
    pub classes: Spanned<Entries<Key, Spanned<Text>>>,
    #[serde(default)]
    pub categories: Entries<Key, Spanned<Text>>,
    #[serde(default)]
    pub references: Vec<RawReference>,
    #[serde(default)]
    pub facts: Entries<Key, Spanned<Text>>,
}

/// `content/<protocol>/<code>.yaml`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCode {
    pub name: Spanned<Text>,
    pub description: Spanned<Text>,
    pub when: Spanned<Text>,
    pub fix: Spanned<Text>,
    /// Project addition: advice for "when to use which" (markdown, optional).
    pub guidance: Option<Spanned<Text>>,
    #[serde(default)]
    pub references: Vec<RawReference>,
    pub status: Option<Spanned<Scalar>>,
    #[serde(default)]
    pub facts: Entries<Key, Spanned<Text>>,
}

/// `locales/<id>.yaml`: `name`, `html_lang`, `dir`, then the words and sentence patterns of
/// the templates, all flat text; checked against the known keys in `locale`.
pub type RawLocale = Entries<Key, Spanned<Scalar>>;

/// Field names of a code file, for "did you mean" on a misspelt one.
pub const CODE_FIELDS: &[&str] = &[
    "name",
    "description",
    "when",
    "fix",
    "guidance",
    "references",
    "status",
    "facts",
];
pub const PROTOCOL_FIELDS: &[&str] = &[
    "name",
    "title",
    "summary",
    "classes",
    "categories",
    "references",
    "facts",
];
pub const SITE_FIELDS: &[&str] = &["title", "tagline", "base_url", "default_locale"];
pub const REFERENCE_FIELDS: &[&str] = &["title", "url"];
