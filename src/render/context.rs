//! Template contexts. Everything that does not depend on the page — a code's text in a
//! language, a protocol's list of codes, the locale's words — is turned into a Tera `Value`
//! once; a page's context is then a handful of cheap clones (Tera values share their data
//! through `Arc`), not a serialisation of the site per page.

use std::collections::BTreeMap;

use tera::Value;

use super::prepare::{CodeText, ProtocolText, RefText};
use crate::compare::Comparison;
use crate::locale::{KEYS, Locale, MSGS};

/// A template object built from `(name, value)` pairs.
pub fn obj<const N: usize>(fields: [(&'static str, Value); N]) -> Value {
    Value::from(BTreeMap::from(fields))
}

pub fn safe(html: &str) -> Value {
    Value::safe_string(html)
}

pub fn text(s: &str) -> Value {
    Value::normal_string(s)
}

/// `t` (each key as safe HTML, fallbacks marked with their `lang`) and `tp` (plain text, for
/// attributes) for a locale.
pub fn words(l: &Locale) -> (Value, Value) {
    let mut html = BTreeMap::new();
    let mut plain = BTreeMap::new();
    for (&(key, _), &msg) in KEYS.iter().zip(MSGS) {
        html.insert(key, safe(&l.html(msg)));
        plain.insert(key, text(l.get(msg)));
    }
    (Value::from(html), Value::from(plain))
}

fn references(refs: &[RefText]) -> Value {
    Value::from(
        refs.iter()
            .map(|r| obj([("title_html", safe(&r.title_html)), ("url", text(&r.url))]))
            .collect::<Vec<_>>(),
    )
}

/// A code as templates see it. `path` is relative to the site root (`ftp/421/`).
pub fn code(proto: &ProtocolText, proto_id: &str, c: &CodeText, not_stated: &str) -> Value {
    let facts: Vec<Value> = proto
        .fact_labels
        .iter()
        .zip(&c.facts)
        .map(|(label, value)| {
            obj([
                ("label_html", safe(label)),
                ("value_html", safe(value.as_deref().unwrap_or(not_stated))),
                ("stated", Value::from(value.is_some())),
            ])
        })
        .collect();
    let (category_label, category_html) = c.category.clone().unwrap_or_default();
    obj([
        ("id", text(&c.id)),
        ("path", text(&format!("{proto_id}/{}/", c.id))),
        ("label", text(&format!("{} {}", proto.name, c.id))),
        ("class_label", text(&c.class_label)),
        ("class_key", text(&c.class_key)),
        ("class_html", safe(&c.class_html)),
        ("category_label", text(&category_label)),
        ("category_html", safe(&category_html)),
        ("name", text(&c.name_plain)),
        ("name_html", safe(&c.name_html)),
        ("summary_html", safe(&c.summary_html)),
        ("description_html", safe(&c.description_html)),
        ("when_html", safe(&c.when_html)),
        ("fix_html", safe(&c.fix_html)),
        (
            "guidance_html",
            safe(c.guidance_inline.as_deref().unwrap_or("")),
        ),
        ("status", text(c.status.as_str())),
        ("status_html", safe(&c.status_html)),
        ("facts", Value::from(facts)),
        ("references", references(&c.references)),
    ])
}

/// A protocol as templates see it, with its codes grouped by class.
pub fn protocol(p: &ProtocolText, id: &str, codes: &[Value], count_html: &str) -> Value {
    let classes: Vec<Value> = p
        .classes
        .iter()
        .filter_map(|(key, name_html)| {
            let members: Vec<Value> = p
                .codes
                .iter()
                .zip(codes)
                .filter(|(c, _)| c.class_key == *key)
                .map(|(_, v)| v.clone())
                .collect();
            let label = p
                .codes
                .iter()
                .find(|c| c.class_key == *key)
                .map(|c| c.class_label.clone())?;
            Some(obj([
                ("key", text(key)),
                ("label", text(&label)),
                ("name_html", safe(name_html)),
                ("codes", Value::from(members)),
            ]))
        })
        .collect();
    obj([
        ("id", text(id)),
        ("name", text(&p.name)),
        ("path", text(&format!("{id}/"))),
        ("title_html", safe(&p.title_html)),
        ("title", text(&p.title_plain)),
        (
            "summary_html",
            safe(p.summary_html.as_deref().unwrap_or("")),
        ),
        ("count", Value::from(p.codes.len())),
        ("count_html", safe(count_html)),
        ("references", references(&p.references)),
        ("classes", Value::from(classes)),
    ])
}

/// The comparison of a pair page.
pub fn comparison(c: &Comparison) -> Value {
    obj([
        ("lead", safe(&c.lead)),
        (
            "differences",
            Value::from(c.differences.iter().map(|d| safe(d)).collect::<Vec<_>>()),
        ),
        ("guidance_a", safe(&c.guidance[0])),
        ("guidance_b", safe(&c.guidance[1])),
    ])
}

/// The references of two codes, each link once, `a`'s first.
pub fn merged_references(a: &CodeText, b: &CodeText) -> Value {
    let mut seen: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for r in a.references.iter().chain(&b.references) {
        if !seen.contains(&r.url.as_str()) {
            seen.push(&r.url);
            out.push(r.clone());
        }
    }
    references(&out)
}
