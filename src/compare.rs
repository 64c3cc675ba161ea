//! What a pair page says about two codes: the difference in one sentence, what both share,
//! the key differences as contrasts, the decision of "when to use which", and the rows of
//! the side-by-side table with the rows that differ marked. Plain Rust over two codes'
//! localized text and a locale; each language's sentence patterns (locale keys `diff_*`,
//! `point_*`, `kd_*`, `which_*`) order the parts its own way, and templates only lay the
//! result out.
//!
//! The rules (SPEC §3): what two codes agree on is said once, as "both …", never as a
//! difference; every contrast names both codes and says how they differ on one point; no
//! contrast repeats a sentence shown elsewhere on the page; the decision names both codes
//! in one sentence. A pair's own note, where the content has one, gives the difference and
//! the decision in its own words.

use crate::locale::{Locale, Msg, escape};
use crate::localize::{ClassText, CodeText, FactText, ProtocolText, RefText};
use crate::model::{ClassKind, CodeIdx};

/// The comparison of two codes in one language, as HTML fragments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Comparison {
    /// The difference in one sentence, naming both codes (inline).
    pub difference: String,
    /// Whether the difference and the decision come from the pair's own note.
    pub from_note: bool,
    /// What both codes share, said once ("Both: …"), if anything.
    pub shared: Option<String>,
    /// Key differences, most important first; each names both codes.
    pub contrasts: Vec<String>,
    /// When to use which (block HTML).
    pub decision: String,
    /// The side-by-side table.
    pub rows: Vec<Row>,
}

/// One row of the side-by-side table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row {
    pub label: String,
    pub a: String,
    pub b: String,
    /// What a contrast says of each code: the value without the explanation the table gives.
    verdicts: [String; 2],
    /// Whether the two codes differ on this row (both stated and not the same).
    pub differs: bool,
    /// What the row is, to order contrasts: facts first, then status, class, category,
    /// the defining document.
    what: What,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum What {
    Fact,
    Status,
    Class,
    Category,
    Document,
}

/// At least this many key differences where the data allows (SPEC §3).
pub(crate) const MIN_CONTRASTS: usize = 3;

/// Compares codes `a` and `b` (in natural order) of the protocol `p`, in the language of `l`.
pub(crate) fn compare(p: &ProtocolText, a: CodeIdx, b: CodeIdx, l: &Locale) -> Comparison {
    let (ca, cb) = (p.code(a), p.code(b));
    let rows = rows(p, ca, cb, l);
    let words = Words::new(p, ca, cb);
    let note = p.note(a, b);

    let mut differing: Vec<&Row> = rows
        .iter()
        .filter(|r| r.differs && r.verdicts.iter().all(|v| quotable(v)))
        .collect();
    differing.sort_by_key(|r| r.what);
    // A note's own contrasts first: what the data cannot say about this pair.
    let mut contrasts: Vec<String> = note.map_or_else(Vec::new, |n| n.contrasts_inline.clone());
    contrasts.extend(
        differing
            .iter()
            .map(|r| {
                l.html_with(
                    Msg::KdRow,
                    &words.with(&[
                        ("label", &r.label),
                        ("value_a", &r.verdicts[0]),
                        ("value_b", &r.verdicts[1]),
                    ]),
                )
            })
            .collect::<Vec<_>>(),
    );
    if contrasts.len() < MIN_CONTRASTS
        && let (Some(cond_a), Some(cond_b)) = (&ca.condition_inline, &cb.condition_inline)
    {
        contrasts.push(l.html_with(
            Msg::KdCondition,
            &words.with(&[("cond_a", cond_a), ("cond_b", cond_b)]),
        ));
    }
    if contrasts.len() < MIN_CONTRASTS && ca.name_plain != cb.name_plain {
        contrasts.push(l.html_with(Msg::KdNames, &words.with(&[])));
    }

    let (difference, decision) = match note {
        Some(n) => (n.difference_inline.clone(), n.which_html.clone()),
        None => (
            difference(ca, cb, &differing, &words, l),
            decision(ca, cb, &words, l),
        ),
    };
    Comparison {
        difference,
        from_note: note.is_some(),
        shared: shared(&rows, l),
        contrasts,
        decision,
        rows,
    }
}

/// The names every pattern may use: the protocol, its term, and both codes with their
/// names and classes.
struct Words {
    args: Vec<(&'static str, String)>,
}

impl Words {
    fn new(p: &ProtocolText, a: &CodeText, b: &CodeText) -> Words {
        let class = |c: &CodeText| {
            c.class
                .as_ref()
                .map(|k| (k.label.clone(), k.name_html.clone()))
                .unwrap_or_default()
        };
        let ((cla, class_a), (clb, class_b)) = (class(a), class(b));
        Words {
            args: vec![
                ("proto", escape(&p.name)),
                ("term", p.term_html.clone()),
                ("a", escape(&a.id)),
                ("a_name", a.name_html.clone()),
                ("b", escape(&b.id)),
                ("b_name", b.name_html.clone()),
                ("cls", cla.clone()),
                ("class", class_a.clone()),
                ("cla", cla),
                ("class_a", class_a),
                ("clb", clb),
                ("class_b", class_b),
            ],
        }
    }

    /// These names and `more`, as pattern arguments.
    fn with<'a>(&'a self, more: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        self.args
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .chain(more.iter().copied())
            .collect()
    }
}

impl Row {
    /// A row whose contrast says the values as the table shows them.
    fn plain(label: String, a: String, b: String, differs: bool, what: What) -> Row {
        Row {
            verdicts: [a.clone(), b.clone()],
            label,
            a,
            b,
            differs,
            what,
        }
    }
}

/// The side-by-side table: class, category, facts, status, defining document.
fn rows(p: &ProtocolText, a: &CodeText, b: &CodeText, l: &Locale) -> Vec<Row> {
    let not_stated = l.html(Msg::NotStated);
    let mut rows = Vec::with_capacity(p.fact_labels.len() + 4);
    if let (Some(ka), Some(kb)) = (&a.class, &b.class) {
        let show = |k: &ClassText| format!("{} · {}", escape(&k.label), k.name_html);
        let differs = ka.index != kb.index;
        rows.push(Row::plain(
            l.html(Msg::Class),
            show(ka),
            show(kb),
            differs,
            What::Class,
        ));
    }
    if a.category.is_some() || b.category.is_some() {
        let show = |c: &CodeText| {
            c.category.as_ref().map_or_else(
                || not_stated.clone(),
                |(label, name)| format!("{label} · {name}"),
            )
        };
        let differs = matches!((&a.category, &b.category), (Some(x), Some(y)) if x != y);
        rows.push(Row::plain(
            l.html(Msg::Category),
            show(a),
            show(b),
            differs,
            What::Category,
        ));
    }
    for (i, label) in p.fact_labels.iter().enumerate() {
        let (fa, fb) = (fact(a, i), fact(b, i));
        if fa.is_none() && fb.is_none() {
            continue;
        }
        let show = |f: Option<&FactText>| f.map_or_else(|| not_stated.clone(), |f| f.html.clone());
        let verdict =
            |f: Option<&FactText>| f.map_or_else(|| not_stated.clone(), |f| f.verdict_html.clone());
        rows.push(Row {
            label: label.clone(),
            a: show(fa),
            b: show(fb),
            verdicts: [verdict(fa), verdict(fb)],
            differs: matches!((fa, fb), (Some(x), Some(y)) if x.same_as != y.same_as),
            what: What::Fact,
        });
    }
    let differs = a.status != b.status;
    rows.push(Row::plain(
        l.html(Msg::Status),
        a.status_html.clone(),
        b.status_html.clone(),
        differs,
        What::Status,
    ));
    let (ra, rb) = (a.references.first(), b.references.first());
    if ra.is_some() || rb.is_some() {
        let show = |r: Option<&RefText>| {
            r.map_or_else(
                || not_stated.clone(),
                |r| format!("<a href=\"{}\">{}</a>", escape(&r.url), r.title_html),
            )
        };
        let differs = matches!((ra, rb), (Some(x), Some(y)) if x.document() != y.document());
        rows.push(Row::plain(
            l.html(Msg::DefinedIn),
            show(ra),
            show(rb),
            differs,
            What::Document,
        ));
    }
    rows
}

/// Whether a value can stand in a sentence of its own without repeating the table: no
/// long run of text follows a sentence end inside it (as in "RFC 9110 §15.5.2" it may not,
/// but "ngx_http_request.h (…)" would leave "h (…)" to stand alone).
fn quotable(html: &str) -> bool {
    let plain = crate::markdown::plain_html(html);
    crate::prose::sentences(&plain)
        .skip(1)
        .all(|s| s.chars().count() < QUOTED)
}

/// The shortest run of text that counts as a repeated sentence (SPEC §3's checker counts 14
/// characters of Chinese, 30 of other text; the shorter for every language).
const QUOTED: usize = 14;

fn fact(c: &CodeText, i: usize) -> Option<&FactText> {
    c.facts.get(i).and_then(Option::as_ref)
}

/// "Both: …": the facts on which the two codes agree, said once.
fn shared(rows: &[Row], l: &Locale) -> Option<String> {
    let items: Vec<String> = rows
        .iter()
        .filter(|r| r.what == What::Fact && !r.differs && r.a == r.b)
        .map(|r| l.html_with(Msg::SharedItem, &[("label", &r.label), ("value", &r.a)]))
        .collect();
    (!items.is_empty()).then(|| {
        l.html_with(
            Msg::Shared,
            &[("items", &items.join(l.get(Msg::SharedSeparator)))],
        )
    })
}

/// The difference in one sentence, when the pair has no note: the classes when they
/// differ, else what sets two codes of one class apart.
fn difference(a: &CodeText, b: &CodeText, differing: &[&Row], w: &Words, l: &Locale) -> String {
    let same_class = match (&a.class, &b.class) {
        (Some(x), Some(y)) if x.index != y.index => {
            return l.html_with(Msg::DiffClasses, &w.with(&[]));
        }
        (Some(_), Some(_)) => true,
        _ => false,
    };
    let point = match differing.iter().find(|r| r.what == What::Fact) {
        Some(r) => l.html_with(
            Msg::PointFact,
            &w.with(&[
                ("fact", &r.label),
                ("value_a", &r.verdicts[0]),
                ("value_b", &r.verdicts[1]),
            ]),
        ),
        None => match (&a.condition_inline, &b.condition_inline) {
            (Some(x), Some(y)) => l.html_with(
                Msg::PointCondition,
                &w.with(&[("cond_a", x), ("cond_b", y)]),
            ),
            _ => l.html_with(Msg::PointNames, &w.with(&[])),
        },
    };
    let pattern = if same_class {
        Msg::DiffSameClass
    } else {
        Msg::DiffPlain
    };
    l.html_with(pattern, &w.with(&[("point", &point)]))
}

/// When to use which, when the pair has no note: the two conditions as a decision; an
/// interim code and a final one never compete, which is said first.
fn decision(a: &CodeText, b: &CodeText, w: &Words, l: &Locale) -> String {
    let interim = |c: &CodeText| c.class.as_ref().and_then(|k| k.kind) == Some(ClassKind::Interim);
    let mut out = String::new();
    if interim(a) != interim(b) {
        let (first, then) = if interim(a) { (a, b) } else { (b, a) };
        out.push_str("<p>");
        out.push_str(&l.html_with(
            Msg::WhichInterim,
            &w.with(&[("first", &escape(&first.id)), ("then", &escape(&then.id))]),
        ));
        out.push_str("</p>\n");
    }
    out.push_str("<p>");
    out.push_str(&match (&a.condition_inline, &b.condition_inline) {
        (Some(x), Some(y)) => l.html_with(
            Msg::WhichConditions,
            &w.with(&[("cond_a", x), ("cond_b", y)]),
        ),
        _ => l.html_with(
            Msg::WhichWhen,
            &w.with(&[
                ("when_a", trim_stop(&a.when_first_inline)),
                ("when_b", trim_stop(&b.when_first_inline)),
            ]),
        ),
    });
    out.push_str("</p>");
    out
}

/// A sentence without its closing full stop, since the pattern ends the sentence.
fn trim_stop(v: &str) -> &str {
    v.trim_end().trim_end_matches(['.', '。'])
}

#[cfg(test)]
mod tests;
