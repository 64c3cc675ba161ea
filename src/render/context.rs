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

/// A code as templates see it (its page is `{{ protocol.path }}{{ id }}/`). Kept to
/// the fields templates use: a site has one of these per code and language, alive for the
/// whole build.
pub fn code(index: usize, c: &CodeText, not_stated: &str) -> Value {
    // Values only, in the protocol's order: labels are `protocol.fact_labels`.
    let facts: Vec<Value> = c
        .facts
        .iter()
        .map(|value| safe(value.as_deref().unwrap_or(not_stated)))
        .collect();
    let category_html = c
        .category
        .as_ref()
        .map(|(label, name)| format!("{label} · {name}"))
        .unwrap_or_default();
    obj([
        ("id", text(&c.id)),
        // Its place in natural order: templates order a pair's two codes by it.
        ("index", Value::from(index)),
        ("class_label", text(&c.class_label)),
        ("class_html", c.class_html.value()),
        ("category_html", safe(&category_html)),
        ("name_html", c.name_html.value()),
        ("summary_html", c.summary_html.value()),
        ("description_html", c.description_html.value()),
        ("when_html", c.when_html.value()),
        ("fix_html", c.fix_html.value()),
        ("status", text(c.status.as_str())),
        ("status_html", c.status_html.value()),
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
        (
            "fact_labels",
            Value::from(p.fact_labels.iter().map(|l| safe(l)).collect::<Vec<_>>()),
        ),
        ("references", references(&p.references)),
        ("classes", Value::from(classes)),
        ("codes", Value::from(codes.to_vec())),
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
