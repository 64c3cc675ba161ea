//! Per-language text of every code and protocol, rendered once: markdown fields go through
//! pulldown-cmark here, once per code and language, not once per page. Pair pages (N² of
//! them) only combine these pieces.

use crate::locale::{Locale, Msg, escape, mark_lang};
use crate::markdown;
use crate::model::{Code, Fact, FactValue, Localized, Protocol, Site, Status, Tr};

/// HTML held once and shared, reference-counted, between the prepared text (which the
/// comparison wording reads) and the template values (which pages clone).
#[derive(Debug, Clone)]
pub struct Html(tera::Value);

impl Html {
    pub fn new(html: &str) -> Html {
        Html(tera::Value::safe_string(html))
    }

    /// The template value: a clone of the shared string, not a copy.
    pub fn value(&self) -> tera::Value {
        self.0.clone()
    }
}

impl From<&str> for Html {
    fn from(html: &str) -> Html {
        Html::new(html)
    }
}

impl std::ops::Deref for Html {
    type Target = str;
    fn deref(&self) -> &str {
        self.0.as_str().unwrap_or("")
    }
}

/// A reference link in one language.
#[derive(Debug, Clone)]
pub struct RefText {
    pub title_html: String,
    pub url: String,
}

/// One code's text in one language. HTML fields are safe to insert as they are; text that
/// fell back to another language is already wrapped with that language's `lang`.
#[derive(Debug, Clone)]
pub struct CodeText {
    pub id: String,
    /// `2xx` for `200`: the class key followed by `x` for each further letter or digit.
    pub class_label: String,
    pub class_key: String,
    pub class_html: Html,
    /// `x2x` for `421`, when the protocol declares the code's category.
    pub category: Option<(String, String)>,
    pub name_html: Html,
    pub name_plain: String,
    /// The description's first sentence, inline HTML and plain.
    pub summary_html: Html,
    pub summary_plain: String,
    /// Block HTML, as template values: shared with every page that shows them.
    pub description_html: Html,
    pub when_html: Html,
    pub when_inline: String,
    pub fix_html: Html,
    pub guidance_inline: Option<String>,
    /// One per protocol fact, inline HTML.
    pub facts: Vec<Option<String>>,
    pub status: Status,
    pub status_html: Html,
    pub references: Vec<RefText>,
}

/// One protocol's text in one language.
#[derive(Debug, Clone)]
pub struct ProtocolText {
    pub name: String,
    pub title_html: String,
    pub title_plain: String,
    pub summary_html: Option<String>,
    pub classes: Vec<(String, String)>,
    pub fact_labels: Vec<String>,
    pub references: Vec<RefText>,
    pub codes: Vec<CodeText>,
}

/// Resolves values of one language, marking fallbacks.
pub struct Lang<'s> {
    pub site: &'s Site,
    pub locale: usize,
}

impl<'s> Lang<'s> {
    pub fn loc(&self) -> &'s Locale {
        &self.site.locales[self.locale]
    }

    fn get<'t>(&self, tr: &'t Tr) -> Localized<'t> {
        tr.get(self.locale, self.site.default_locale)
    }

    fn fallback_lang(&self, l: Localized<'_>) -> Option<&'s str> {
        l.fallback.map(|i| self.site.locales[i].html_lang.as_str())
    }

    /// Escaped plain text, marked when it is a fallback.
    pub fn text_html(&self, tr: &Tr) -> String {
        let l = self.get(tr);
        mark_lang(&escape(l.text), self.fallback_lang(l))
    }

    pub fn plain(&self, tr: &Tr) -> String {
        self.get(tr).text.trim().to_owned()
    }

    /// Inline markdown, marked when it is a fallback.
    pub fn inline(&self, tr: &Tr) -> String {
        let l = self.get(tr);
        mark_lang(&markdown::inline(l.text), self.fallback_lang(l))
    }

    /// Block markdown; a fallback is wrapped in a `div` with the language's `lang`.
    pub fn block(&self, tr: &Tr) -> String {
        let l = self.get(tr);
        let html = markdown::block(l.text);
        match self.fallback_lang(l) {
            Some(lang) => format!("<div lang=\"{}\">{html}</div>", escape(lang)),
            None => html,
        }
    }

    fn references(&self, refs: &[crate::model::Reference]) -> Vec<RefText> {
        refs.iter()
            .map(|r| RefText {
                title_html: self.text_html(&r.title),
                url: r.url.clone(),
            })
            .collect()
    }

    /// A code's value of a fact, inline HTML: its text, or its value's label and note.
    fn fact(&self, fact: &Fact, v: &FactValue) -> String {
        match v {
            FactValue::Text(t) => self.inline(t),
            FactValue::Typed { value, note } => {
                let label = self.text_html(&fact.values[*value].name);
                match note {
                    Some(n) => format!("{label} ({})", self.inline(n)),
                    None => label,
                }
            }
        }
    }

    pub fn protocol(&self, p: &Protocol) -> ProtocolText {
        ProtocolText {
            name: p.name.clone(),
            title_html: self.text_html(&p.title),
            title_plain: self.plain(&p.title),
            summary_html: p.summary.as_ref().map(|s| self.block(s)),
            classes: p
                .classes
                .iter()
                .map(|c| (c.key.clone(), self.text_html(&c.name)))
                .collect(),
            fact_labels: p.facts.iter().map(|f| self.text_html(&f.label)).collect(),
            references: self.references(&p.references),
            codes: p.codes.iter().map(|c| self.code(p, c)).collect(),
        }
    }

    pub fn code(&self, p: &Protocol, c: &Code) -> CodeText {
        let loc = self.loc();
        let description = self.get(&c.description);
        let summary_src = markdown::first_sentence(description.text);
        let mark = self.fallback_lang(description);
        let class = c.class.map(|i| &p.classes[i]);
        CodeText {
            id: c.id.clone(),
            class_label: class.map_or_else(String::new, |cl| match cl.range {
                Some((lo, hi)) => format!("{lo}–{hi}"),
                None => class_label(&c.id),
            }),
            class_key: class.map_or_else(String::new, |cl| cl.key.clone()),
            class_html: Html::new(&class.map_or_else(String::new, |cl| self.text_html(&cl.name))),
            category: c
                .category
                .map(|i| (category_label(&c.id), self.text_html(&p.categories[i].name))),
            name_html: Html::new(&self.text_html(&c.name)),
            name_plain: self.plain(&c.name),
            summary_html: Html::new(&mark_lang(&markdown::inline(summary_src), mark)),
            summary_plain: markdown::plain_text(summary_src),
            description_html: Html::new(&self.block(&c.description)),
            when_html: Html::new(&self.block(&c.when)),
            when_inline: self.inline(&c.when),
            fix_html: Html::new(&self.block(&c.fix)),
            guidance_inline: c.guidance.as_ref().map(|g| self.inline(g)),
            facts: c
                .facts
                .iter()
                .zip(&p.facts)
                .map(|(v, fact)| v.as_ref().map(|v| self.fact(fact, v)))
                .collect(),
            status: c.status,
            status_html: Html::new(&loc.html(status_label(c.status))),
            references: self.references(&c.references),
        }
    }
}

/// The locale word naming a status.
pub fn status_label(s: Status) -> Msg {
    match s {
        Status::Standard => Msg::StatusStandard,
        Status::Experimental => Msg::StatusExperimental,
        Status::Temporary => Msg::StatusTemporary,
        Status::Reserved => Msg::StatusReserved,
        Status::Obsolete => Msg::StatusObsolete,
        Status::Unofficial => Msg::StatusUnofficial,
    }
}

/// `2xx` for `200`, `5.x.x` for `5.1.1`: the first character, then `x` for every further
/// letter or digit (punctuation kept).
pub fn class_label(code: &str) -> String {
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

/// `x2x` for `421`: the second character kept, every other letter or digit `x`.
pub fn category_label(code: &str) -> String {
    code.chars()
        .enumerate()
        .map(|(i, c)| {
            if i == 1 || !c.is_ascii_alphanumeric() {
                c
            } else {
                'x'
            }
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
        assert_eq!(category_label("421"), "x2x");
        assert_eq!(class_label("9"), "9");
    }
}
