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

use crate::locale::{Locale, Msg};
use crate::localize::{CodeText, DefinedIn, FactText, NoteText, ProtocolText};
use crate::model::{ClassKind, CodeIdx};

/// The comparison of two codes in one language, as HTML fragments; its rows borrow the
/// localized text they show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Comparison<'a> {
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
    /// The side-by-side table's rows (for the contrasts and the shared facts).
    pub rows: Vec<Row<'a>>,
    /// Which rows of the side-by-side table differ, for templates to mark them.
    pub differs: Differs,
}

/// Which rows of a pair's side-by-side table differ: both codes state them, and not the
/// same.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Differs {
    pub class: bool,
    pub category: bool,
    /// One per fact of the protocol, in its order.
    pub facts: Vec<bool>,
    pub status: bool,
    pub defined_in: bool,
}

/// One row of the side-by-side table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row<'a> {
    pub label: &'a str,
    pub a: &'a str,
    pub b: &'a str,
    /// What a contrast says of each code: the value without the explanation the table gives.
    verdicts: [&'a str; 2],
    /// Whether the verdicts can stand in a sentence without repeating the table.
    quotable: bool,
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
pub(crate) fn compare<'a>(
    p: &'a ProtocolText,
    a: CodeIdx,
    b: CodeIdx,
    l: &Locale,
) -> Comparison<'a> {
    let (ca, cb) = (p.code(a), p.code(b));
    let rows = rows(p, ca, cb);
    let words = Words::new(p, ca, cb);
    let note = p.note(a, b);

    let mut differing: Vec<&Row<'_>> = rows.iter().filter(|r| r.differs && r.quotable).collect();
    differing.sort_by_key(|r| r.what);
    let (contrasts, conditions_said) = contrasts(ca, cb, note, &differing, &words, l);

    let (difference, decision) = match note {
        Some(n) => (n.difference_inline.clone(), n.which_html.clone()),
        None => (
            difference(ca, cb, &differing, &words, l),
            decision(ca, cb, !conditions_said, &words, l),
        ),
    };
    let differs = Differs {
        class: rows.iter().any(|r| r.what == What::Class && r.differs),
        category: rows.iter().any(|r| r.what == What::Category && r.differs),
        facts: (0..p.fact_labels.len())
            .map(|i| matches!((fact(ca, i), fact(cb, i)), (Some(x), Some(y)) if x.same_as != y.same_as))
            .collect(),
        status: ca.status != cb.status,
        defined_in: rows.iter().any(|r| r.what == What::Document && r.differs),
    };
    Comparison {
        difference,
        from_note: note.is_some(),
        shared: shared(&rows, l),
        contrasts,
        decision,
        rows,
        differs,
    }
}

/// The key differences: the note's own, then each row that differs, then — where that
/// leaves fewer than three — the conditions, what to do, what each means, and the names.
/// Also says whether the conditions were used (the decision then says something else).
fn contrasts(
    ca: &CodeText,
    cb: &CodeText,
    note: Option<&NoteText>,
    differing: &[&Row<'_>],
    words: &Words<'_>,
    l: &Locale,
) -> (Vec<String>, bool) {
    // A note's own contrasts first: what the data cannot say about this pair.
    let mut contrasts: Vec<String> = note.map_or_else(Vec::new, |n| n.contrasts_inline.clone());
    for r in differing {
        contrasts.push(l.html_with(
            Msg::KdRow,
            &words.with(&[
                ("label", r.label),
                ("value_a", r.verdicts[0]),
                ("value_b", r.verdicts[1]),
            ]),
        ));
    }
    // Where the rows leave fewer than three: the conditions (then "when to use which" says
    // something else rather than the same two clauses again), what to do about each, and
    // what each means — the first sentences of `fix` and `description`; then the names.
    let clauses = [
        (
            Msg::KdCondition,
            ["cond_a", "cond_b"],
            &ca.condition_inline,
            &cb.condition_inline,
        ),
        (
            Msg::KdFix,
            ["fix_a", "fix_b"],
            &ca.fix_clause,
            &cb.fix_clause,
        ),
        (
            Msg::KdMeaning,
            ["desc_a", "desc_b"],
            &ca.description_clause,
            &cb.description_clause,
        ),
    ];
    let mut conditions_said = false;
    for (msg, [key_a, key_b], x, y) in clauses {
        if contrasts.len() < MIN_CONTRASTS
            && let (Some(x), Some(y)) = (x, y)
            && x != y
        {
            contrasts.push(l.html_with(msg, &words.with(&[(key_a, x), (key_b, y)])));
            conditions_said |= msg == Msg::KdCondition;
        }
    }
    if contrasts.len() < MIN_CONTRASTS && ca.name_plain != cb.name_plain {
        contrasts.push(l.html_with(Msg::KdNames, &words.with(&[])));
    }
    (contrasts, conditions_said)
}

/// The names every pattern may use: the protocol, its term, and both codes with their
/// names and classes.
struct Words<'a> {
    args: [(&'static str, &'a str); 12],
}

impl<'a> Words<'a> {
    fn new(p: &'a ProtocolText, a: &'a CodeText, b: &'a CodeText) -> Words<'a> {
        let class = |c: &'a CodeText| {
            c.class
                .as_ref()
                .map_or(("", ""), |k| (k.label.as_str(), k.name_html.as_str()))
        };
        let ((cla, class_a), (clb, class_b)) = (class(a), class(b));
        Words {
            args: [
                ("proto", &p.name_html),
                ("term", &p.term_html),
                ("a", &a.id_html),
                ("a_name", &a.name_html),
                ("b", &b.id_html),
                ("b_name", &b.name_html),
                ("cls", cla),
                ("class", class_a),
                ("cla", cla),
                ("class_a", class_a),
                ("clb", clb),
                ("class_b", class_b),
            ],
        }
    }

    /// These names and `more`, as pattern arguments.
    fn with(&self, more: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
        let mut v = Vec::with_capacity(self.args.len() + more.len());
        v.extend_from_slice(&self.args);
        v.extend_from_slice(more);
        v
    }
}

impl<'a> Row<'a> {
    /// A row whose contrast says the values as the table shows them.
    fn plain(label: &'a str, a: &'a str, b: &'a str, differs: bool, what: What) -> Row<'a> {
        Row {
            label,
            a,
            b,
            verdicts: [a, b],
            quotable: true,
            differs,
            what,
        }
    }
}

/// The side-by-side table: class, category, facts, status, defining document.
fn rows<'a>(p: &'a ProtocolText, a: &'a CodeText, b: &'a CodeText) -> Vec<Row<'a>> {
    let w = &p.labels;
    let not_stated = w.not_stated.as_str();
    let mut rows = Vec::with_capacity(p.fact_labels.len() + 4);
    if let (Some(ka), Some(kb)) = (&a.class, &b.class) {
        rows.push(Row::plain(
            &w.class,
            &ka.shown,
            &kb.shown,
            ka.index != kb.index,
            What::Class,
        ));
    }
    if a.category.is_some() || b.category.is_some() {
        let differs = matches!((&a.category, &b.category), (Some(x), Some(y)) if x != y);
        let show = |c: &'a CodeText| c.category.as_deref().unwrap_or(not_stated);
        rows.push(Row::plain(
            &w.category,
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
        let show = |f: Option<&'a FactText>| f.map_or(not_stated, |f| f.html.as_str());
        let verdict = |f: Option<&'a FactText>| f.map_or(not_stated, |f| f.verdict_html.as_str());
        rows.push(Row {
            label,
            a: show(fa),
            b: show(fb),
            verdicts: [verdict(fa), verdict(fb)],
            quotable: fa.is_none_or(|f| f.quotable) && fb.is_none_or(|f| f.quotable),
            differs: matches!((fa, fb), (Some(x), Some(y)) if x.same_as != y.same_as),
            what: What::Fact,
        });
    }
    let differs = a.status != b.status;
    rows.push(Row::plain(
        &w.status,
        &a.status_html,
        &b.status_html,
        differs,
        What::Status,
    ));
    let (da, db) = (a.defined_in.as_ref(), b.defined_in.as_ref());
    if da.is_some() || db.is_some() {
        let show = |d: Option<&'a DefinedIn>| d.map_or(not_stated, |d| d.html.as_str());
        let mut row = Row::plain(
            &w.defined_in,
            show(da),
            show(db),
            matches!((da, db), (Some(x), Some(y)) if x.document != y.document),
            What::Document,
        );
        row.quotable = da.is_none_or(|d| d.quotable) && db.is_none_or(|d| d.quotable);
        rows.push(row);
    }
    rows
}

fn fact(c: &CodeText, i: usize) -> Option<&FactText> {
    c.facts.get(i).and_then(Option::as_ref)
}

/// "Both: …": the facts on which the two codes agree, said once.
fn shared(rows: &[Row<'_>], l: &Locale) -> Option<String> {
    let items: Vec<String> = rows
        .iter()
        .filter(|r| r.what == What::Fact && !r.differs && r.a == r.b)
        .map(|r| l.html_with(Msg::SharedItem, &[("label", r.label), ("value", r.a)]))
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
fn difference(
    a: &CodeText,
    b: &CodeText,
    differing: &[&Row<'_>],
    w: &Words<'_>,
    l: &Locale,
) -> String {
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
                ("fact", r.label),
                ("value_a", r.verdicts[0]),
                ("value_b", r.verdicts[1]),
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

/// When to use which, when the pair has no note: the two conditions as a decision (unless
/// `conditions` is false: the key differences already state them), else when each is seen;
/// an interim code and a final one never compete, which is said first.
fn decision(a: &CodeText, b: &CodeText, conditions: bool, w: &Words<'_>, l: &Locale) -> String {
    let interim = |c: &CodeText| c.class.as_ref().and_then(|k| k.kind) == Some(ClassKind::Interim);
    let mut out = String::new();
    if interim(a) != interim(b) {
        let (first, then) = if interim(a) { (a, b) } else { (b, a) };
        out.push_str("<p>");
        out.push_str(&l.html_with(
            Msg::WhichInterim,
            &w.with(&[("first", &first.id_html), ("then", &then.id_html)]),
        ));
        out.push_str("</p>\n");
    }
    let by_conditions = match (&a.condition_inline, &b.condition_inline) {
        (Some(x), Some(y)) => Some(l.html_with(
            Msg::WhichConditions,
            &w.with(&[("cond_a", x), ("cond_b", y)]),
        )),
        _ => None,
    };
    let by_when = || {
        l.html_with(
            Msg::WhichWhen,
            &w.with(&[("when_a", &a.when_clause), ("when_b", &b.when_clause)]),
        )
    };
    let sentence = match by_conditions {
        Some(c) if conditions => c,
        // Said already as a key difference: when each is seen instead — unless that
        // cannot be one sentence naming both codes (a `when` with a `;` of its own),
        // which a decision must have.
        Some(c) => {
            let when = by_when();
            let names_both =
                crate::prose::names_both(&crate::markdown::plain_html(&when), &a.id, &b.id);
            if names_both { when } else { c }
        }
        None => by_when(),
    };
    out.push_str("<p>");
    out.push_str(&sentence);
    out.push_str("</p>");
    out
}

#[cfg(test)]
mod tests;
