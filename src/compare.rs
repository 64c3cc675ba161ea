//! The comparison wording of a pair page: the overview, the ordered "key differences" and
//! "when to use which". Plain Rust over two codes' prepared text and a locale; the locale's
//! sentence patterns let each language order the parts naturally, and templates only lay
//! the result out.
//!
//! Rules (SPEC §3): two codes of one class get a "both are" sentence, never "A is 2xx while
//! B is 2xx"; different classes are contrasted; categories, facts and status add items only
//! where the data says something.

use crate::locale::{Locale, Msg, escape};
use crate::model::Status;
use crate::render::prepare::CodeText;

/// The comparison of two codes in one language, as HTML fragments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comparison {
    /// The answer first: how the two codes relate, in one sentence.
    pub lead: String,
    /// Ordered list items.
    pub differences: Vec<String>,
    /// One piece of advice per code, `a` then `b`.
    pub guidance: [String; 2],
}

/// Compares `a` and `b`, codes of the protocol named `proto`, whose facts are labelled
/// `fact_labels` (HTML, in the protocol's order).
pub fn compare(
    proto: &str,
    fact_labels: &[String],
    a: &CodeText,
    b: &CodeText,
    l: &Locale,
) -> Comparison {
    let proto = escape(proto);
    let same_class = a.class_key == b.class_key;
    let lead = if same_class {
        l.html_with(
            Msg::OvSame,
            &[
                ("proto", &proto),
                ("a", &a.id),
                ("a_name", &a.name_html),
                ("b", &b.id),
                ("b_name", &b.name_html),
                ("cls", &a.class_label),
                ("class", &a.class_html),
            ],
        )
    } else {
        l.html_with(
            Msg::OvDiff,
            &[
                ("proto", &proto),
                ("a", &a.id),
                ("a_name", &a.name_html),
                ("b", &b.id),
                ("b_name", &b.name_html),
                ("cla", &a.class_label),
                ("class_a", &a.class_html),
                ("clb", &b.class_label),
                ("class_b", &b.class_html),
            ],
        )
    };

    let mut differences = Vec::with_capacity(8);
    differences.push(if same_class {
        l.html_with(
            Msg::KdSameClass,
            &[
                ("a", &a.id),
                ("b", &b.id),
                ("cls", &a.class_label),
                ("class", &a.class_html),
            ],
        )
    } else {
        l.html_with(
            Msg::KdDiffClass,
            &[
                ("a", &a.id),
                ("b", &b.id),
                ("cla", &a.class_label),
                ("class_a", &a.class_html),
                ("clb", &b.class_label),
                ("class_b", &b.class_html),
            ],
        )
    });
    for c in [a, b] {
        differences.push(l.html_with(
            Msg::KdMeaning,
            &[
                ("code", &c.id),
                ("name", &c.name_html),
                ("summary", &c.summary_html),
            ],
        ));
    }
    for c in [a, b] {
        differences.push(l.html_with(Msg::KdWhen, &[("code", &c.id), ("when", &c.when_inline)]));
    }
    if let (Some((ca, na)), Some((cb, nb))) = (&a.category, &b.category) {
        differences.push(if na == nb && a.id.chars().nth(1) == b.id.chars().nth(1) {
            l.html_with(
                Msg::KdSameCategory,
                &[("a", &a.id), ("b", &b.id), ("cat", ca), ("category", na)],
            )
        } else {
            l.html_with(
                Msg::KdDiffCategory,
                &[
                    ("a", &a.id),
                    ("b", &b.id),
                    ("ca", ca),
                    ("category_a", na),
                    ("cb", cb),
                    ("category_b", nb),
                ],
            )
        });
    }
    for (i, label) in fact_labels.iter().enumerate() {
        let va = a.facts.get(i).and_then(Option::as_deref);
        let vb = b.facts.get(i).and_then(Option::as_deref);
        if let (Some(va), Some(vb)) = (va, vb)
            && va != vb
        {
            differences.push(l.html_with(
                Msg::KdFact,
                &[
                    ("fact", label),
                    ("a", &a.id),
                    ("value_a", trim_stop(va)),
                    ("b", &b.id),
                    ("value_b", trim_stop(vb)),
                ],
            ));
        }
    }
    if a.status != b.status {
        differences.push(l.html_with(
            Msg::KdStatus,
            &[
                ("a", &a.id),
                ("status_a", &l.html(status_phrase(a.status))),
                ("b", &b.id),
                ("status_b", &l.html(status_phrase(b.status))),
            ],
        ));
    }

    let guide = |c: &CodeText| match &c.guidance_inline {
        Some(g) => g.clone(),
        None => l.html_with(
            Msg::GuideFallback,
            &[("code", &c.id), ("when", &c.when_inline)],
        ),
    };
    Comparison {
        lead,
        differences,
        guidance: [guide(a), guide(b)],
    }
}

fn status_phrase(s: Status) -> Msg {
    match s {
        Status::Standard => Msg::StatusPhraseStandard,
        Status::Unofficial => Msg::StatusPhraseUnofficial,
        Status::Obsolete => Msg::StatusPhraseObsolete,
        _ => Msg::StatusPhraseStandard,
    }
}

/// A fact value without its closing full stop, since the pattern ends the sentence.
fn trim_stop(v: &str) -> &str {
    v.trim_end().trim_end_matches(['.', '。'])
}

#[cfg(test)]
mod tests;
