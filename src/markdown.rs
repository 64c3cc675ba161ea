//! Markdown fields (CommonMark via pulldown-cmark) rendered to safe HTML: raw HTML is
//! escaped, never passed through; only http(s) and mailto links are kept (others become
//! their text); images become their alt text (a page requests nothing from other hosts);
//! headings become paragraphs so a field cannot break the page's heading order.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd, html};

/// Block rendering: paragraphs, lists, emphasis, code, links.
pub(crate) fn block(src: &str) -> String {
    let mut out = String::with_capacity(src.len() + src.len() / 4);
    html::push_html(&mut out, sanitize(src, false));
    out.truncate(out.trim_end().len());
    out
}

/// Inline rendering, for a sentence inside a list item or table cell: paragraphs are joined
/// with a space instead of wrapped in `<p>`.
pub(crate) fn inline(src: &str) -> String {
    let mut out = String::with_capacity(src.len() + 16);
    html::push_html(&mut out, sanitize(src, true));
    out.trim().to_owned()
}

/// The events of `src` made safe, as described in the module docs.
fn sanitize(src: &str, inline: bool) -> impl Iterator<Item = Event<'_>> {
    let mut dropped_links: Vec<bool> = Vec::new();
    let mut in_image = 0usize;
    let mut paragraphs = 0usize;
    Parser::new_ext(src, Options::ENABLE_STRIKETHROUGH).filter_map(move |ev| match ev {
        Event::Html(h) | Event::InlineHtml(h) => Some(Event::Text(h)),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => {
            let keep = is_safe_url(&dest_url);
            dropped_links.push(!keep);
            keep.then_some(Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }))
        }
        Event::End(TagEnd::Link) => {
            let dropped = dropped_links.pop().unwrap_or(true);
            (!dropped).then_some(Event::End(TagEnd::Link))
        }
        Event::Start(Tag::Image { .. }) => {
            in_image += 1;
            None
        }
        Event::End(TagEnd::Image) => {
            in_image = in_image.saturating_sub(1);
            None
        }
        Event::Start(Tag::Heading { .. }) if !inline => Some(Event::Start(Tag::Paragraph)),
        Event::End(TagEnd::Heading(_)) if !inline => Some(Event::End(TagEnd::Paragraph)),
        Event::Start(Tag::Paragraph | Tag::Heading { .. }) if inline => {
            paragraphs += 1;
            (paragraphs > 1).then_some(Event::Text(CowStr::Borrowed(" ")))
        }
        Event::End(TagEnd::Paragraph | TagEnd::Heading(_)) if inline => None,
        Event::SoftBreak if inline => Some(Event::Text(CowStr::Borrowed(" "))),
        other => Some(other),
    })
}

fn is_safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    ["http://", "https://", "mailto:"]
        .iter()
        .any(|p| lower.starts_with(p))
}

/// The first sentence of a markdown text's first paragraph, as markdown: used where a code's
/// meaning is quoted in one line (overview, key differences, meta description).
///
/// A sentence ends at `.`, `!` or `?` followed by white space (not inside `code`, and not
/// after a common abbreviation such as "e.g."), or at a CJK full stop `。！？`.
pub(crate) fn first_sentence(src: &str) -> &str {
    let para = src.trim_start();
    let para = para.find("\n\n").map_or(para, |i| &para[..i]).trim_end();
    let mut in_code = false;
    let mut iter = para.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        match c {
            '`' => in_code = !in_code,
            '。' | '！' | '？' if !in_code => return &para[..i + c.len_utf8()],
            '.' | '!' | '?' if !in_code => {
                let next_is_space = iter.peek().is_none_or(|(_, n)| n.is_whitespace());
                if next_is_space && !ends_with_abbreviation(&para[..i + 1]) {
                    return &para[..i + 1];
                }
            }
            _ => {}
        }
    }
    para
}

fn ends_with_abbreviation(s: &str) -> bool {
    let last_word = s.rsplit(char::is_whitespace).next().unwrap_or(s);
    let last_word = last_word.trim_start_matches(['(', '"', '\'', '“']);
    [
        "e.g.", "i.e.", "etc.", "vs.", "cf.", "approx.", "No.", "Fig.", "Sec.",
    ]
    .iter()
    .any(|a| last_word.eq_ignore_ascii_case(a))
        || (last_word.len() == 2 && last_word.starts_with(|c: char| c.is_ascii_uppercase()))
}

/// The visible text of rendered HTML, for `<meta name="description">` and `<title>`.
pub(crate) fn plain_text(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    for ev in sanitize(src, true) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The visible text of an HTML fragment Versus made (tags dropped, the entities its
/// escaping writes decoded), for `<title>` and `<meta name="description">` built from HTML
/// pieces. Not an HTML parser: the fragments come from Versus's own escaping and from
/// pulldown-cmark, never from a file as written.
pub(crate) fn plain_html(html: &str) -> String {
    let mut out = Plain {
        text: String::with_capacity(html.len()),
        space: false,
    };
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if rest.starts_with('<') {
            rest = rest.find('>').map_or("", |e| &rest[e + 1..]);
            continue;
        }
        let entity = [
            ("&amp;", '&'),
            ("&lt;", '<'),
            ("&gt;", '>'),
            ("&quot;", '"'),
            ("&#39;", '\''),
            ("&#x27;", '\''),
        ]
        .into_iter()
        .find(|(e, _)| rest.starts_with(e));
        match entity {
            Some((e, c)) => {
                out.push(c);
                rest = &rest[e.len()..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out.text
}

/// Text with each run of white space written as one space, none at either end.
struct Plain {
    text: String,
    /// White space seen since the last character written.
    space: bool,
}

impl Plain {
    /// A character decoded from an entity (never white space).
    fn push(&mut self, c: char) {
        if std::mem::take(&mut self.space) {
            self.text.push(' ');
        }
        self.text.push(c);
    }

    fn push_str(&mut self, s: &str) {
        for (i, word) in s.split(char::is_whitespace).enumerate() {
            if i > 0 {
                // White space came before this word.
                self.space = !self.text.is_empty();
            }
            if !word.is_empty() {
                if std::mem::take(&mut self.space) {
                    self.text.push(' ');
                }
                self.text.push_str(word);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_escaped() {
        let out = block("Hi <script>alert(1)</script> there");
        assert!(!out.contains("<script>"), "{out}");
        assert!(out.contains("&lt;script&gt;"), "{out}");
    }

    #[test]
    fn only_http_and_mailto_links_are_kept() {
        let out =
            inline("[a](https://x.org) [b](javascript:alert(1)) [c](mailto:a@b.c) [d](/local)");
        assert!(out.contains("<a href=\"https://x.org\">a</a>"), "{out}");
        assert!(out.contains("<a href=\"mailto:a@b.c\">c</a>"), "{out}");
        assert!(!out.contains("javascript"), "{out}");
        assert!(!out.contains("/local"), "{out}");
        assert!(out.contains(" b "), "{out}");
    }

    #[test]
    fn images_become_their_alt_text() {
        let out = block("![a diagram](https://cdn.example/x.png)");
        assert!(!out.contains("<img"), "{out}");
        assert!(out.contains("a diagram"), "{out}");
    }

    #[test]
    fn inline_has_no_paragraph_tags() {
        assert_eq!(inline("one *two*\n\nthree"), "one <em>two</em> three");
    }

    #[test]
    fn headings_do_not_reach_the_page() {
        assert_eq!(block("# Title"), "<p>Title</p>");
    }

    #[test]
    fn first_sentence_in_english_and_chinese() {
        assert_eq!(
            first_sentence("The server is ready. It waits."),
            "The server is ready."
        );
        assert_eq!(
            first_sentence("Use `a. b` e.g. here. Then."),
            "Use `a. b` e.g. here."
        );
        assert_eq!(first_sentence("服务器已就绪。它在等待。"), "服务器已就绪。");
        assert_eq!(first_sentence("Version 1.1 is used"), "Version 1.1 is used");
        assert_eq!(first_sentence("One.\n\nTwo."), "One.");
    }

    #[test]
    fn plain_html_keeps_only_text() {
        assert_eq!(
            plain_html("<code>a&amp;b</code> <span lang=\"en\">x</span>"),
            "a&b x"
        );
        assert_eq!(
            plain_html(" <p>one\n two</p>\u{3000}<em>3</em>&lt; "),
            "one two 3<",
            "white space runs become one space, none at the ends"
        );
    }

    #[test]
    fn plain_text_drops_markup() {
        assert_eq!(
            plain_text("Send `PASV` to *the* [server](https://x.org)."),
            "Send PASV to the server."
        );
    }
}
