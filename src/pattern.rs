//! Sentence patterns of a locale (`{a} vs {b}`): parsed once per language into their text
//! and their placeholders, then filled for every sentence of every page. Filling copies
//! prepared pieces (the pattern's text is escaped once, at parsing), so a pair page's
//! dozen sentences cost little more than the arguments they copy.

use crate::locale::escape;

/// A parsed pattern: `{name}` marks a placeholder; `{{` and `}}` stand for literal braces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pattern(Vec<Piece>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// The pattern's own text (never empty), as written and as HTML.
    Text { plain: String, html: String },
    /// `{name}`, with what to write where the caller gives no argument of that name (the
    /// placeholder as written: `placeholders` reports those when a locale file is checked).
    Arg {
        name: String,
        plain: String,
        html: String,
    },
}

impl Pattern {
    /// The pattern of a missing key.
    pub(crate) const EMPTY: Pattern = Pattern(Vec::new());

    pub(crate) fn parse(pattern: &str) -> Pattern {
        let mut pieces = Vec::new();
        let mut text = String::new();
        let flush = |text: &mut String, pieces: &mut Vec<Piece>| {
            if !text.is_empty() {
                pieces.push(Piece::Text {
                    html: escape(text),
                    plain: std::mem::take(text),
                });
            }
        };
        let mut rest = pattern;
        while let Some(i) = rest.find(['{', '}']) {
            text.push_str(&rest[..i]);
            let tail = &rest[i..];
            if tail.starts_with("{{") || tail.starts_with("}}") {
                text.push_str(&tail[..1]);
                rest = &tail[2..];
            } else if let Some(end) = tail.find('}').filter(|_| tail.starts_with('{')) {
                flush(&mut text, &mut pieces);
                let written = &tail[..=end];
                pieces.push(Piece::Arg {
                    name: tail[1..end].to_owned(),
                    plain: written.to_owned(),
                    html: escape(written),
                });
                rest = &tail[end + 1..];
            } else {
                text.push_str(&tail[..1]);
                rest = &tail[1..];
            }
        }
        text.push_str(rest);
        flush(&mut text, &mut pieces);
        Pattern(pieces)
    }

    /// Replaces each placeholder with its argument, writing the pattern's own text escaped
    /// (`html`) or as written. Arguments are copied as they are. With `space` (Chinese
    /// typography), a space separates an argument from the pattern's text where a Chinese
    /// character meets a Latin letter or digit ("表示 ServFail"), as a writer would type it.
    pub(crate) fn fill(&self, args: &[(&str, &str)], space: bool, html: bool) -> String {
        // Room for the whole sentence at once: its text and at most every argument.
        let mut out = String::with_capacity(
            self.0
                .iter()
                .map(|p| match p {
                    Piece::Text { html, .. } => html.len(),
                    Piece::Arg { .. } => 0,
                })
                .sum::<usize>()
                + args.iter().map(|(_, v)| v.len()).sum::<usize>(),
        );
        // Whether the last thing written was an argument ending in a Latin letter or digit.
        let mut after_latin = false;
        let text = |s: &str, out: &mut String, after_latin: &mut bool| {
            if space && *after_latin && s.chars().next().is_some_and(is_han) {
                out.push(' ');
            }
            *after_latin = false;
            out.push_str(s);
        };
        for piece in &self.0 {
            match piece {
                Piece::Text { plain, html: h } => {
                    text(if html { h } else { plain }, &mut out, &mut after_latin);
                }
                Piece::Arg {
                    name,
                    plain,
                    html: h,
                } => match args.iter().find(|(k, _)| k == name) {
                    Some((_, v)) => {
                        let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
                        if space
                            && last_visible(&out).is_some_and(is_han)
                            && latin(first_visible(v))
                        {
                            out.push(' ');
                        }
                        out.push_str(v);
                        after_latin = space && latin(last_visible(v));
                    }
                    None => text(if html { h } else { plain }, &mut out, &mut after_latin),
                },
            }
        }
        out
    }
}

/// A Chinese character (CJK Unified Ideographs and Extension A).
fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// The first character of `html` outside tags.
fn first_visible(html: &str) -> Option<char> {
    let mut in_tag = false;
    html.chars().find(|&c| match c {
        '<' => {
            in_tag = true;
            false
        }
        '>' if in_tag => {
            in_tag = false;
            false
        }
        _ => !in_tag,
    })
}

/// The last character of `html` outside tags.
fn last_visible(html: &str) -> Option<char> {
    let mut in_tag = false;
    html.chars().rev().find(|&c| match c {
        '>' => {
            in_tag = true;
            false
        }
        '<' if in_tag => {
            in_tag = false;
            false
        }
        _ => !in_tag,
    })
}

/// The placeholder names a pattern uses, for checking them against the locale's keys.
pub(crate) fn placeholders(pattern: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(i) = rest.find('{') {
        let tail = &rest[i..];
        if let Some(stripped) = tail.strip_prefix("{{") {
            rest = stripped;
            continue;
        }
        match tail.find('}') {
            Some(end) => {
                out.push(&tail[1..end]);
                rest = &tail[end + 1..];
            }
            None => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fill(pattern: &str, args: &[(&str, &str)], space: bool, html: bool) -> String {
        Pattern::parse(pattern).fill(args, space, html)
    }

    #[test]
    fn fill_replaces_placeholders_and_keeps_braces() {
        let out = fill(
            "{a} vs {b} {{x}}",
            &[("a", "200"), ("b", "421")],
            false,
            false,
        );
        assert_eq!(out, "200 vs 421 {x}");
        assert_eq!(
            fill("{a} and {zz}", &[("a", "<1>")], false, true),
            "<1> and {zz}",
            "a placeholder without an argument stays as written"
        );
        assert_eq!(fill("a } b {", &[], false, false), "a } b {");
    }

    #[test]
    fn fill_escapes_pattern_text_but_not_arguments() {
        let out = fill("<{a}> & {a}", &[("a", "<b>x</b>")], false, true);
        assert_eq!(out, "&lt;<b>x</b>&gt; &amp; <b>x</b>");
        let plain = fill("<{a}> & {a}", &[("a", "x")], false, false);
        assert_eq!(plain, "<x> & x");
    }

    #[test]
    fn chinese_patterns_space_latin_arguments_as_a_writer_would() {
        let args = [
            ("a", "2"),
            ("n", "ServFail"),
            ("z", "服务失败"),
            ("h", "<span>NXDomain</span>"),
        ];
        assert_eq!(
            fill("{a} 表示{n}。", &args, true, false),
            "2 表示 ServFail。"
        );
        assert_eq!(
            fill("{a} 表示{z}。", &args, true, false),
            "2 表示服务失败。"
        );
        assert_eq!(
            fill("{n}与{h}的区别", &args, true, false),
            "ServFail 与 <span>NXDomain</span> 的区别"
        );
        assert_eq!(fill("为{a}，", &args, true, false), "为 2，", "digits too");
        assert_eq!(
            fill("（{n}）", &args, true, false),
            "（ServFail）",
            "not after punctuation"
        );
        assert_eq!(
            fill("{a} 表示{n}。", &args, false, false),
            "2 表示ServFail。",
            "other languages: as written"
        );
    }

    #[test]
    fn unknown_placeholders_are_found() {
        assert_eq!(placeholders("{a} and {bb} {{not}}"), ["a", "bb"]);
    }
}
