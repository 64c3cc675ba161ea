//! One rendered page as the audit reads it, through a WHATWG tokenizer (html5gum): its start
//! tags with decoded attributes (quotes of every kind, entities), and, for the comparison
//! rules, the text of its sections.

use std::collections::HashMap;

/// A start tag with its attributes, names lower-cased and values decoded.
pub(super) struct StartTag {
    pub name: String,
    attrs: Vec<(String, String)>,
}

impl StartTag {
    pub(super) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// The URLs the tag points at: `href`, `src`, and each candidate of `srcset`.
    pub(super) fn urls(&self) -> impl Iterator<Item = &str> {
        let single = ["href", "src"].into_iter().filter_map(|a| self.attr(a));
        let set = self
            .attr("srcset")
            .into_iter()
            .flat_map(|s| s.split(','))
            .filter_map(|candidate| candidate.split_whitespace().next());
        single.chain(set).map(str::trim).filter(|u| !u.is_empty())
    }
}

/// Elements whose text names a part rather than saying something (not counted as a
/// section's body).
const HEADINGS: &[&str] = &[
    "h1", "h2", "h3", "h4", "h5", "h6", "dt", "caption", "summary",
];
/// Elements that have no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// What the audit keeps of a page.
#[derive(Default)]
pub(super) struct Read {
    pub tags: Vec<StartTag>,
    /// Body text (headings left out) of the sections whose ids were asked for.
    pub sections: HashMap<String, String>,
    /// The items of the first ordered list of the `key-differences` section.
    pub differences: Vec<String>,
}

/// Reads a page; `sections` are the ids whose text to collect (none: only the tags).
pub(super) fn read(html: &str, sections: &[&str]) -> Read {
    let lossy = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    let mut out = Read::default();
    // Open elements: (name, collected section id).
    let mut stack: Vec<(String, Option<usize>)> = Vec::new();
    let mut texts: Vec<String> = vec![String::new(); sections.len()];
    let mut heading = 0usize;
    let mut list: Option<usize> = None; // depth of the differences' list
    let mut list_done = false;
    let mut item: Option<String> = None;
    let kd = sections.iter().position(|s| *s == "key-differences");
    for token in html5gum::Tokenizer::new(html).flatten() {
        match token {
            html5gum::Token::StartTag(tag) => {
                let name = lossy(&tag.name);
                let attrs: Vec<(String, String)> = tag
                    .attributes
                    .iter()
                    .map(|(k, v)| (lossy(k), lossy(&v.value)))
                    .collect();
                let section = attrs
                    .iter()
                    .find(|(k, _)| k == "id")
                    .and_then(|(_, id)| sections.iter().position(|s| s == id));
                if HEADINGS.contains(&name.as_str()) {
                    heading += 1;
                }
                let in_kd = kd.is_some() && stack.iter().any(|(_, s)| *s == kd);
                if !VOID.contains(&name.as_str()) && !tag.self_closing {
                    if in_kd && name == "ol" && list.is_none() && !list_done {
                        list = Some(stack.len());
                    }
                    if name == "li" && list == Some(stack.len().saturating_sub(1)) {
                        item = Some(String::new());
                    }
                    stack.push((name.clone(), section));
                }
                out.tags.push(StartTag { name, attrs });
            }
            html5gum::Token::EndTag(tag) => {
                let name = lossy(&tag.name);
                if HEADINGS.contains(&name.as_str()) {
                    heading = heading.saturating_sub(1);
                }
                if let Some(i) = stack.iter().rposition(|(n, _)| *n == name) {
                    stack.truncate(i);
                    if name == "li" && list == Some(i.saturating_sub(1)) {
                        out.differences.extend(item.take().map(|t| fold(&t)));
                    }
                    if name == "ol" && list == Some(i) {
                        list = None;
                        list_done = true;
                    }
                }
            }
            html5gum::Token::String(s) => {
                let s = lossy(&s.value);
                if heading == 0 {
                    for (_, section) in &stack {
                        if let Some(i) = section {
                            texts[*i].push_str(&s);
                        }
                    }
                }
                if let Some(t) = item.as_mut() {
                    t.push_str(&s);
                }
            }
            _ => {}
        }
    }
    out.sections = sections
        .iter()
        .zip(texts)
        .map(|(id, t)| ((*id).to_owned(), fold(&t)))
        .collect();
    out
}

/// White space folded to single spaces.
fn fold(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_urls_in_any_quoting_with_entities_and_srcset() {
        let page = read(
            "<a class=x href='/a/'>x</a><a href=/b/>y</a><a HREF=\"/c/?x=1&amp;y=2\">z</a><img srcset=\"/i1.png 1x, /i2.png 2x\" src=/i0.png><link rel=\"alternate\" hreflang=\"en\" href=\"h\">",
            &[],
        );
        let urls: Vec<Vec<&str>> = page.tags.iter().map(|t| t.urls().collect()).collect();
        assert_eq!(urls[0], ["/a/"]);
        assert_eq!(urls[1], ["/b/"]);
        assert_eq!(urls[2], ["/c/?x=1&y=2"]);
        assert_eq!(urls[3], ["/i0.png", "/i1.png", "/i2.png"]);
        assert_eq!(page.tags[4].attr("hreflang"), Some("en"));
        assert_eq!(page.tags[4].attr("lang"), None);
    }

    #[test]
    fn collects_section_bodies_and_the_differences() {
        let page = read(
            "<section id=\"key-differences\"><h2>Key</h2><ol><li>One <b>1</b></li><li>Two<ul><li>in</li></ul></li></ol><ol><li>no</li></ol></section><section id=\"overview\"><p>Hi there</p></section>",
            &["key-differences", "overview"],
        );
        assert_eq!(page.differences, ["One 1", "Twoin"]);
        assert_eq!(page.sections["overview"], "Hi there");
        assert_eq!(page.sections["key-differences"], "One 1Twoinno");
    }
}
