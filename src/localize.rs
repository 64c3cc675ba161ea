//! A language's view of the model: every code's and protocol's text in one language, with
//! markdown rendered here once per code and language, not once per page (pair pages, N² of
//! them, only combine these pieces). Text that falls back to the default language is
//! already wrapped with that language's `lang`. The comparison wording and the renderer
//! both read this; neither renders markdown again.

use rayon::prelude::*;

use crate::locale::{Locale, Mark, Msg, escape, mark_lang};
use crate::model::{
    ClassKind, Code, CodeIdx, Fact, FactValue, Grouping, LocaleIdx, Localized, Protocol, Reference,
    Site, Status, Tr,
};
use crate::{markdown, prose};

/// A reference link in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RefText {
    pub title_html: String,
    pub url: String,
}

impl RefText {
    /// The document a reference points into: its URL without the `#fragment`.
    pub(crate) fn document(&self) -> &str {
        self.url.split('#').next().unwrap_or(&self.url)
    }
}

/// A code's class in one language.
#[derive(Debug, Clone)]
pub(crate) struct ClassText {
    /// `2xx` for `200`, `5.x.x` for `5.1.1`, `1000–2999` for a range.
    pub label: String,
    /// The label and the name, as the table shows them: `2xx · Successful`.
    pub shown: String,
    /// The class as declared (its index in the protocol).
    pub index: usize,
    pub name_html: String,
    pub kind: Option<ClassKind>,
}

/// A code's value of one fact in one language.
#[derive(Debug, Clone)]
pub(crate) struct FactText {
    /// What it says, inline HTML: the text, or the value's label with its note.
    pub html: String,
    /// Its verdict alone, for a sentence contrasting two codes: a typed value's label, or
    /// a text's first clause ("None" of "None; see the SDP"). The rest stays in the table,
    /// so a contrast never repeats a sentence of it.
    pub verdict_html: String,
    /// What two codes are compared by: the typed value, else the verdict folded (case,
    /// spacing and a closing full stop ignored).
    pub same_as: Sameness,
    /// Whether the verdict can stand in a sentence of its own without repeating the table
    /// (see [`quotable`]).
    pub quotable: bool,
}

/// A code's defining document (its first reference) in one language.
#[derive(Debug, Clone)]
pub(crate) struct DefinedIn {
    /// The link.
    pub html: String,
    /// Its URL without the `#fragment`: two references into one document agree.
    pub document: String,
    pub quotable: bool,
}

/// What makes two values of a fact the same.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Sameness {
    Value(usize),
    Text(String),
}

/// One code's text in one language.
#[derive(Debug, Clone)]
pub(crate) struct CodeText {
    pub id: String,
    pub id_html: String,
    pub class: Option<ClassText>,
    /// `x2z · Connections`, when the protocol declares the code's category.
    pub category: Option<String>,
    pub name_html: String,
    pub name_plain: String,
    /// The description's first sentence, inline HTML and plain.
    pub summary_html: String,
    pub summary_plain: String,
    pub description_html: String,
    pub when_html: String,
    /// The first sentence of `when`, inline.
    /// The first sentence of `when`, without its full stop, to stand inside a generated
    /// sentence ("… depends on the situation: 421 — when the server shuts down, …").
    pub when_clause: String,
    /// The same of `fix`, where it can stand in a sentence of its own (see `quotable`).
    pub fix_clause: Option<String>,
    /// The same of `description`.
    pub description_clause: Option<String>,
    pub fix_html: String,
    pub condition_inline: Option<String>,
    pub guidance_html: Option<String>,
    /// One per protocol fact, in the protocol's order.
    pub facts: Vec<Option<FactText>>,
    pub status: Status,
    pub status_html: String,
    pub references: Vec<RefText>,
    pub defined_in: Option<DefinedIn>,
}

/// A pair note in one language.
#[derive(Debug, Clone)]
pub(crate) struct NoteText {
    pub a: CodeIdx,
    pub b: CodeIdx,
    pub difference_inline: String,
    pub which_html: String,
    pub contrasts_inline: Vec<String>,
}

/// One protocol's text in one language.
#[derive(Debug, Clone)]
pub(crate) struct ProtocolText {
    pub name: String,
    pub name_html: String,
    /// The words of the side-by-side table.
    pub labels: Labels,
    pub title_html: String,
    pub title_plain: String,
    pub summary_html: Option<String>,
    /// What the protocol calls its codes, singular, HTML ("reply code").
    pub term_html: String,
    pub grouping: Grouping,
    /// Key, label (`2xx`, `0–15`; empty when labels depend on the code), name.
    pub classes: Vec<(String, String, String)>,
    pub fact_labels: Vec<String>,
    pub references: Vec<RefText>,
    pub codes: Vec<CodeText>,
    /// In the order of the protocol's notes.
    pub notes: Vec<NoteText>,
}

/// The side-by-side table's words in one language, HTML.
#[derive(Debug, Clone)]
pub(crate) struct Labels {
    pub class: String,
    pub category: String,
    pub status: String,
    pub defined_in: String,
    pub not_stated: String,
}

impl ProtocolText {
    pub(crate) fn code(&self, c: CodeIdx) -> &CodeText {
        &self.codes[c.get()]
    }

    /// The note on the pair `a`, `b` (either order), if any.
    pub(crate) fn note(&self, a: CodeIdx, b: CodeIdx) -> Option<&NoteText> {
        let key = (a.min(b), a.max(b));
        self.notes
            .binary_search_by(|n| (n.a, n.b).cmp(&key))
            .ok()
            .map(|i| &self.notes[i])
    }
}

/// Resolves values of one language, marking fallbacks.
#[derive(Clone, Copy)]
pub(crate) struct Lang<'s> {
    pub site: &'s Site,
    pub locale: LocaleIdx,
}

impl<'s> Lang<'s> {
    pub(crate) fn loc(&self) -> &'s Locale {
        self.site.locale(self.locale)
    }

    fn get<'t>(&self, tr: &'t Tr) -> Localized<'t> {
        tr.get(self.locale)
    }

    /// The mark of a fallback: the default language's `lang`, and its `dir` where that
    /// differs from this language's.
    fn mark(&self, l: Localized<'_>) -> Option<Mark> {
        l.fallback.then(|| {
            let d = self.site.locale(Site::DEFAULT_LOCALE);
            Mark::new(&d.html_lang, d.dir, self.loc().dir)
        })
    }

    /// The first sentence of a markdown field, without its closing full stop, as inline HTML
    /// marked with its language when it falls back (the stop goes before the mark's
    /// `</span>`, so it cannot be trimmed afterwards).
    fn first_clause(&self, tr: &Tr) -> String {
        let l = self.get(tr);
        let first = markdown::first_sentence(l.text)
            .trim_end()
            .trim_end_matches(['.', '。']);
        mark_lang(&markdown::inline(first), self.mark(l).as_ref())
    }

    /// Escaped plain text, marked when it is a fallback.
    pub(crate) fn text_html(&self, tr: &Tr) -> String {
        let l = self.get(tr);
        mark_lang(&escape(l.text.trim()), self.mark(l).as_ref())
    }

    pub(crate) fn plain(&self, tr: &Tr) -> String {
        self.get(tr).text.trim().to_owned()
    }

    /// Inline markdown, marked when it is a fallback.
    pub(crate) fn inline(&self, tr: &Tr) -> String {
        let l = self.get(tr);
        mark_lang(&markdown::inline(l.text), self.mark(l).as_ref())
    }

    /// Block markdown; a fallback is wrapped in a `div` with the language's `lang`.
    pub(crate) fn block(&self, tr: &Tr) -> String {
        let l = self.get(tr);
        let html = markdown::block(l.text);
        match self.mark(l) {
            Some(mark) => format!("<div{}>{html}</div>", mark.attrs()),
            None => html,
        }
    }

    fn references(&self, refs: &[Reference]) -> Vec<RefText> {
        refs.iter()
            .map(|r| RefText {
                title_html: self.text_html(&r.title),
                url: r.url.clone(),
            })
            .collect()
    }

    pub(crate) fn protocol(&self, p: &Protocol) -> ProtocolText {
        let loc = self.loc();
        ProtocolText {
            name: p.name.clone(),
            name_html: escape(&p.name),
            labels: Labels {
                class: loc.html(Msg::Class),
                category: loc.html(Msg::Category),
                status: loc.html(Msg::Status),
                defined_in: loc.html(Msg::DefinedIn),
                not_stated: loc.html(Msg::NotStated),
            },
            title_html: self.text_html(&p.title),
            title_plain: self.plain(&p.title),
            summary_html: p.summary.as_ref().map(|s| self.block(s)),
            term_html: p
                .term
                .as_ref()
                .map_or_else(|| loc.html(Msg::CodeTerm), |t| self.text_html(t)),
            grouping: p.grouping,
            classes: p
                .classes
                .iter()
                .map(|c| {
                    let label = c.range.map_or_else(String::new, range_label);
                    (c.key.clone(), label, self.text_html(&c.name))
                })
                .collect(),
            fact_labels: p.facts.iter().map(|f| self.text_html(&f.label)).collect(),
            references: self.references(&p.references),
            // In parallel: a language's code text (markdown) is prepared before its pages,
            // by one thread otherwise.
            codes: p.codes.par_iter().map(|c| self.code(p, c)).collect(),
            notes: p
                .notes
                .iter()
                .map(|n| NoteText {
                    a: n.a,
                    b: n.b,
                    difference_inline: self.inline(&n.difference),
                    which_html: self.block(&n.which),
                    contrasts_inline: n.contrasts.iter().map(|c| self.inline(c)).collect(),
                })
                .collect(),
        }
    }

    /// A code's value of a fact: its text, or its value's label and note.
    fn fact(&self, fact: &Fact, v: &FactValue) -> FactText {
        match v {
            FactValue::Text(t) => {
                let html = self.inline(t);
                let plain = markdown::plain_html(&html);
                let verdict_html = if prose::is_one(&plain) {
                    html.clone()
                } else {
                    escape(prose::first(&plain))
                };
                FactText {
                    quotable: quotable(&verdict_html),
                    html,
                    verdict_html,
                    same_as: Sameness::Text(fold(prose::first(&plain))),
                }
            }
            FactValue::Typed { value, note } => {
                let label = fact
                    .values
                    .get(*value)
                    .map_or_else(String::new, |v| self.text_html(&v.name));
                let html = match note {
                    Some(n) => self.loc().html_with(
                        Msg::FactWithNote,
                        &[("value", &label), ("note", &self.inline(n))],
                    ),
                    None => label.clone(),
                };
                FactText {
                    quotable: quotable(&label),
                    html,
                    verdict_html: label,
                    same_as: Sameness::Value(*value),
                }
            }
        }
    }

    pub(crate) fn code(&self, p: &Protocol, c: &Code) -> CodeText {
        let loc = self.loc();
        let description = self.get(&c.description);
        let summary_src = markdown::first_sentence(description.text);
        let class = c.class.and_then(|i| p.classes.get(i).map(|cl| (i, cl)));
        let references = self.references(&c.references);
        CodeText {
            id: c.id.clone(),
            id_html: escape(&c.id),
            class: class.map(|(index, cl)| {
                let label = cl.range.map_or_else(|| class_label(&c.id), range_label);
                let name_html = self.text_html(&cl.name);
                ClassText {
                    shown: format!("{} · {name_html}", escape(&label)),
                    label,
                    index,
                    name_html,
                    kind: cl.kind,
                }
            }),
            category: c.category.map(|i| {
                let name = self.text_html(&p.categories[i].name);
                format!("{} · {name}", category_label(&c.id))
            }),
            defined_in: references.first().map(|r| {
                let html = format!("<a href=\"{}\">{}</a>", escape(&r.url), r.title_html);
                DefinedIn {
                    quotable: quotable(&html),
                    document: r.document().to_owned(),
                    html,
                }
            }),
            name_html: self.text_html(&c.name),
            name_plain: self.plain(&c.name),
            summary_html: mark_lang(
                &markdown::inline(summary_src),
                self.mark(description).as_ref(),
            ),
            summary_plain: markdown::plain_text(summary_src),
            description_html: self.block(&c.description),
            when_html: self.block(&c.when),
            when_clause: self.first_clause(&c.when),
            fix_clause: Some(self.first_clause(&c.fix)).filter(|f| quotable(f)),
            description_clause: Some(self.first_clause(&c.description)).filter(|d| quotable(d)),
            fix_html: self.block(&c.fix),
            condition_inline: c.condition.as_ref().map(|t| self.inline(t)),
            guidance_html: c.guidance.as_ref().map(|g| self.block(g)),
            facts: c
                .facts
                .iter()
                .zip(&p.facts)
                .map(|(v, fact)| v.as_ref().map(|v| self.fact(fact, v)))
                .collect(),
            status: c.status,
            status_html: loc.html(status_label(c.status)),
            references,
        }
    }
}

/// Whether a value can stand in a sentence of its own without repeating the table: no long
/// run of text follows a sentence end inside it. "RFC 9110 §15.5.2" can, but
/// "ngx_http_request.h (…)" would leave "h (…)" standing alone, a sentence the table shows
/// too.
fn quotable(html: &str) -> bool {
    let plain = markdown::plain_html(html);
    prose::sentences(&plain)
        .skip(1)
        .all(|s| s.chars().count() < QUOTED)
}

/// The shortest run of text that counts as a repeated sentence (SPEC §3's checker counts 14
/// characters of Chinese, 30 of other text; the shorter, for every language).
const QUOTED: usize = 14;

/// Text folded for comparing free-text facts: case, spacing and a closing full stop ignored.
fn fold(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .trim_end_matches(['.', '。'])
        .to_lowercase()
}

/// The locale word naming a status.
pub(crate) fn status_label(s: Status) -> Msg {
    match s {
        Status::Standard => Msg::StatusStandard,
        Status::Experimental => Msg::StatusExperimental,
        Status::Temporary => Msg::StatusTemporary,
        Status::Registered => Msg::StatusRegistered,
        Status::Reserved => Msg::StatusReserved,
        Status::Obsolete => Msg::StatusObsolete,
        Status::Unofficial => Msg::StatusUnofficial,
    }
}

/// `1000–2999`: a range class's label.
fn range_label((lo, hi): (u64, u64)) -> String {
    format!("{lo}–{hi}")
}

/// `2xx` for `200`, `5.x.x` for `5.1.1`: the first character, then `x` for every further
/// letter or digit (punctuation kept).
pub(crate) fn class_label(code: &str) -> String {
    code.chars()
        .enumerate()
        .map(|(i, c)| {
            if i == 0 || !c.is_ascii_alphanumeric() {
                c
            } else {
                'x'
            }
        })
        .collect()
}

/// `x2z` for `421` (RFC 959's notation): the second character kept, the first written `x`,
/// every further letter or digit `z`.
pub(crate) fn category_label(code: &str) -> String {
    code.chars()
        .enumerate()
        .map(|(i, c)| match i {
            _ if !c.is_ascii_alphanumeric() => c,
            0 => 'x',
            1 => c,
            _ => 'z',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_of_classes_and_categories() {
        assert_eq!(class_label("200"), "2xx");
        assert_eq!(class_label("5.1.1"), "5.x.x");
        assert_eq!(category_label("421"), "x2z");
        assert_eq!(class_label("9"), "9");
        assert_eq!(range_label((1000, 2999)), "1000–2999");
    }

    #[test]
    fn free_text_facts_compare_loosely() {
        assert_eq!(fold("Stays  open."), fold("stays open"));
        assert_ne!(fold("Stays open"), fold("Closed"));
    }
}
