//! The values templates receive (docs/templates.md), built from a language's localized text.
//! Everything that does not depend on the page — a code's text, a protocol's list of codes,
//! the locale's words — is built once per language; a page's context is then a handful of
//! cheap clones.

use crate::compare::Comparison;
use crate::locale::{KEYS, Locale, MSGS, Msg, escape};
use crate::localize::{CodeText, ProtocolText, RefText};
use crate::model::{ClassKind, Status};

use super::keyed::Keyed;
use super::links::Link;

/// `t` (each word as HTML, fallbacks marked with their `lang`) and `tp` (plain text, for
/// attributes) for a locale.
pub(crate) fn words(l: &Locale) -> (Keyed, Keyed) {
    let html = KEYS
        .iter()
        .zip(MSGS)
        .map(|(&(key, _), &msg)| (key, Keyed::html(&l.html(msg))));
    let plain = KEYS
        .iter()
        .zip(MSGS)
        .map(|(&(key, _), &msg)| (key, Keyed::text(l.get(msg))));
    (Keyed::object(html), Keyed::object(plain))
}

pub(crate) fn references(refs: &[RefText]) -> Keyed {
    Keyed::list(reference_items(refs))
}

/// Each reference as [`references`] lists it.
pub(crate) fn reference_items(refs: &[RefText]) -> Vec<Keyed> {
    refs.iter()
        .map(|r| {
            Keyed::object([
                ("title_html", Keyed::html(&r.title_html)),
                ("url", Keyed::text(&r.url)),
            ])
        })
        .collect()
}

/// The name of a class kind for templates (`interim`, `success`…), empty without one.
fn kind(k: Option<ClassKind>) -> &'static str {
    k.map_or("", ClassKind::as_str)
}

/// The CSS class of a code's class badge: its class's kind (`k-success`), else the first
/// character (`c2`), so badges have a colour by what the class tells a client.
fn badge(c: &CodeText) -> String {
    match c.class.as_ref() {
        Some(k) => match k.kind {
            Some(kind) => format!("k-{}", kind.as_str()),
            None => format!(
                "c{}",
                k.label
                    .chars()
                    .next()
                    .filter(char::is_ascii_alphanumeric)
                    .unwrap_or('x')
            ),
        },
        None => String::new(),
    }
}

fn status(s: Status) -> Keyed {
    Keyed::text(s.as_str())
}

/// What every mention of a code carries: its id, name, class, status and page.
fn code_fields(index: usize, c: &CodeText, link: &Link) -> Vec<(&'static str, Keyed)> {
    let class = c.class.as_ref();
    let mut fields = Vec::with_capacity(16);
    fields.extend(link.fields());
    fields.extend([
        ("id", Keyed::text(&c.id)),
        // Its place in natural order: templates order a pair's two codes by it.
        ("index", Keyed::number(index)),
        ("name_html", Keyed::html(&c.name_html)),
        ("name", Keyed::text(&c.name_plain)),
        (
            "class_label",
            Keyed::text(class.map_or("", |k| k.label.as_str())),
        ),
        ("class_kind", Keyed::text(kind(class.and_then(|k| k.kind)))),
        ("badge", Keyed::text(&badge(c))),
        (
            "class_html",
            Keyed::html(class.map_or("", |k| k.name_html.as_str())),
        ),
        ("status", status(c.status)),
        ("status_html", Keyed::html(&c.status_html)),
    ]);
    fields
}

/// A code in a list of a protocol's codes (`protocol.codes`): `summary` only where the
/// page shows it (the protocol's index), so an edited description does not change every
/// page that lists the code.
pub(crate) fn listing(index: usize, c: &CodeText, link: &Link, summary: bool) -> Keyed {
    let mut fields = code_fields(index, c, link);
    if summary {
        fields.push(("summary_html", Keyed::html(&c.summary_html)));
    }
    Keyed::object(fields)
}

/// A code with all its text, for the pages that show it (its own and its pairs).
pub(crate) fn code(index: usize, c: &CodeText, link: &Link, not_stated: &str) -> Keyed {
    let mut fields = code_fields(index, c, link);
    let facts = c
        .facts
        .iter()
        .map(|f| Keyed::html(f.as_ref().map_or(not_stated, |f| f.html.as_str())));
    let category = c.category.as_deref().unwrap_or_default();
    fields.extend([
        ("category_html", Keyed::html(category)),
        ("summary_html", Keyed::html(&c.summary_html)),
        ("description_html", Keyed::html(&c.description_html)),
        ("when_html", Keyed::html(&c.when_html)),
        ("fix_html", Keyed::html(&c.fix_html)),
        (
            "condition_html",
            Keyed::html(c.condition_inline.as_deref().unwrap_or("")),
        ),
        (
            "guidance_html",
            Keyed::html(c.guidance_html.as_deref().unwrap_or("")),
        ),
        ("facts", Keyed::list(facts)),
        ("references", references(&c.references)),
        (
            "defined_in_html",
            Keyed::html(c.defined_in.as_ref().map_or("", |d| d.html.as_str())),
        ),
    ]);
    Keyed::object(fields)
}

/// What a protocol's value says besides its own text: counts and headings in the page's
/// language, the finder's words, and its popular comparisons.
pub(crate) struct ProtocolExtras {
    /// Its index page.
    pub link: Link,
    pub count_html: Keyed,
    pub all_html: Keyed,
    pub finder: Keyed,
    pub popular: Keyed,
    /// Pairs of codes of this language that `fallback: skip` leaves out (their note is not
    /// translated), space-separated, for the picker: `200-vs-421 …`.
    pub away_pairs: String,
}

/// A protocol as templates see it. `codes` are its codes as listed (see [`listing`]),
/// `classes` groups them.
pub(crate) fn protocol(
    p: &ProtocolText,
    id: &str,
    codes: &[Keyed],
    extra: &ProtocolExtras,
) -> Keyed {
    let classes = p
        .classes
        .iter()
        .enumerate()
        .filter_map(|(i, (key, label, name_html))| {
            let members: Vec<Keyed> = p
                .codes
                .iter()
                .zip(codes)
                .filter(|(c, _)| c.class.as_ref().is_some_and(|k| k.index == i))
                .map(|(_, v)| v.clone())
                .collect();
            // A first-character class's label depends on its codes (`2xx`, `2.x.x`).
            let label = match p
                .codes
                .iter()
                .find(|c| c.class.as_ref().is_some_and(|k| k.index == i))
            {
                Some(c) if label.is_empty() => c
                    .class
                    .as_ref()
                    .map_or_else(String::new, |k| k.label.clone()),
                _ => label.clone(),
            };
            (!label.is_empty() || !members.is_empty()).then(|| {
                Keyed::object([
                    ("key", Keyed::text(key)),
                    ("label", Keyed::text(&label)),
                    ("name_html", Keyed::html(name_html)),
                    ("codes", Keyed::list(members)),
                ])
            })
        });
    let [path, hreflang] = extra.link.fields();
    Keyed::object([
        ("id", Keyed::text(id)),
        ("name", Keyed::text(&p.name)),
        path,
        hreflang,
        ("title_html", Keyed::html(&p.title_html)),
        ("title", Keyed::text(&p.title_plain)),
        (
            "summary_html",
            Keyed::html(p.summary_html.as_deref().unwrap_or("")),
        ),
        ("term_html", Keyed::html(&p.term_html)),
        ("grouping", Keyed::text(p.grouping.as_str())),
        ("count", Keyed::number(p.codes.len())),
        ("count_html", extra.count_html.clone()),
        ("all_codes_html", extra.all_html.clone()),
        ("finder", extra.finder.clone()),
        ("popular", extra.popular.clone()),
        ("away_pairs", Keyed::text(&extra.away_pairs)),
        (
            "fact_labels",
            Keyed::list(p.fact_labels.iter().map(|l| Keyed::html(l))),
        ),
        ("references", references(&p.references)),
        ("classes", Keyed::list(classes)),
        ("codes", Keyed::list(codes.iter().cloned())),
    ])
}

/// The words of the pair picker and the code filter for codes called `term_html` (a
/// protocol's term, or the locale's `code_term` where codes of every protocol are offered):
/// HTML for labels, plain text (`pick_two`, `filter_none`) for the script's messages.
pub(crate) fn finder(loc: &Locale, term_html: &str) -> Keyed {
    let term_plain = crate::markdown::plain_html(term_html);
    let html = |m: Msg| Keyed::html(&loc.html_with(m, &[("term", term_html)]));
    let plain = |m: Msg| Keyed::text(&loc.text(m, &[("term", &term_plain)]));
    Keyed::object([
        ("heading_html", html(Msg::ComparePicker)),
        ("first_html", html(Msg::PickFirst)),
        ("second_html", html(Msg::PickSecond)),
        ("filter_html", html(Msg::FilterLabel)),
        ("pick_two", plain(Msg::PickTwo)),
        ("filter_none", plain(Msg::FilterNone)),
    ])
}

/// The comparison of a pair page (see `compare`).
pub(crate) fn comparison(c: &Comparison<'_>) -> Keyed {
    let d = &c.differs;
    let differs = Keyed::object([
        ("class", Keyed::bool(d.class)),
        ("category", Keyed::bool(d.category)),
        (
            "facts",
            Keyed::list(d.facts.iter().map(|f| Keyed::bool(*f))),
        ),
        ("status", Keyed::bool(d.status)),
        ("defined_in", Keyed::bool(d.defined_in)),
    ]);
    Keyed::object([
        ("difference", Keyed::html(&c.difference)),
        ("from_note", Keyed::bool(c.from_note)),
        ("shared", Keyed::html(c.shared.as_deref().unwrap_or(""))),
        (
            "contrasts",
            Keyed::list(c.contrasts.iter().map(|s| Keyed::html(s))),
        ),
        ("decision", Keyed::html(&c.decision)),
        ("differs", differs),
    ])
}

/// The references of two codes, each link once, `a`'s first: each code with its
/// [`reference_items`].
pub(crate) fn merged_references(a: (&CodeText, &[Keyed]), b: (&CodeText, &[Keyed])) -> Keyed {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for (r, item) in [a, b]
        .into_iter()
        .flat_map(|(c, items)| c.references.iter().zip(items))
    {
        if !seen.contains(&r.url.as_str()) {
            seen.push(&r.url);
            out.push(item.clone());
        }
    }
    Keyed::list(out)
}

/// `<span class="code">200</span>` etc.: the parts of a heading, as the locale's pattern
/// arranges them.
pub(crate) fn span(class: &str, html: &str) -> String {
    format!("<span class=\"{}\">{html}</span>", escape(class))
}
