//! Structured data for search engines and link previews: JSON-LD (schema.org
//! `BreadcrumbList` on every page; a `TechArticle` about the codes, as `DefinedTerm`s of the
//! protocol's `DefinedTermSet`, on code and pair pages) and the Open Graph locale of a
//! language. The JSON is written by hand — a few fixed shapes — and escaped so that no text
//! of the content can end the `<script>` element it sits in.

use std::fmt::Write as _;

/// A JSON string literal of `s`, safe inside `<script>`: `<`, `>` and `&` are escaped as
/// `\u003c` and friends, so `</script>` in a field stays text.
pub(crate) fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// One step of a breadcrumb trail: its name and absolute URL.
pub(crate) struct Crumb<'a> {
    pub name: &'a str,
    pub url: &'a str,
}

/// A code the page is about.
pub(crate) struct Term<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub url: &'a str,
}

/// What a page says of itself, for its JSON-LD.
pub(crate) struct About<'a> {
    pub headline: &'a str,
    pub description: &'a str,
    pub url: &'a str,
    pub language: &'a str,
    /// The protocol's set of codes: its name ("FTP reply codes") and URL.
    pub set: (&'a str, &'a str),
    pub terms: &'a [Term<'a>],
}

/// The page's JSON-LD: a breadcrumb trail, and an article about codes when there are any.
pub(crate) fn json_ld(crumbs: &[Crumb<'_>], about: Option<&About<'_>>) -> String {
    let items: Vec<String> = crumbs
        .iter()
        .enumerate()
        .map(|(i, c)| {
            format!(
                "{{\"@type\":\"ListItem\",\"position\":{},\"name\":{},\"item\":{}}}",
                i + 1,
                string(c.name),
                string(c.url)
            )
        })
        .collect();
    let breadcrumbs = format!(
        "{{\"@type\":\"BreadcrumbList\",\"itemListElement\":[{}]}}",
        items.join(",")
    );
    let Some(a) = about else {
        return format!("{{\"@context\":\"https://schema.org\",\"@graph\":[{breadcrumbs}]}}");
    };
    let set = format!(
        "{{\"@type\":\"DefinedTermSet\",\"name\":{},\"url\":{}}}",
        string(a.set.0),
        string(a.set.1)
    );
    let terms: Vec<String> = a
        .terms
        .iter()
        .map(|t| {
            format!(
                "{{\"@type\":\"DefinedTerm\",\"termCode\":{},\"name\":{},\"url\":{},\"inDefinedTermSet\":{set}}}",
                string(t.code),
                string(t.name),
                string(t.url)
            )
        })
        .collect();
    let article = format!(
        "{{\"@type\":\"TechArticle\",\"headline\":{},\"description\":{},\"url\":{},\"inLanguage\":{},\"about\":[{}]}}",
        string(a.headline),
        string(a.description),
        string(a.url),
        string(a.language),
        terms.join(",")
    );
    format!("{{\"@context\":\"https://schema.org\",\"@graph\":[{breadcrumbs},{article}]}}")
}

/// The Open Graph locale (`language_TERRITORY`) of a BCP 47 tag: `pt_BR` for `pt-BR`,
/// `zh_CN` for `zh-Hans`, `zh_TW` for `zh-Hant`; a bare language gets the territory it is
/// most often published for (`en_US`, `ja_JP`), or stays bare when that is not clear.
pub(crate) fn og_locale(html_lang: &str) -> String {
    /// Languages whose usual Open Graph territory is not simply their own code upper-cased.
    const TERRITORIES: &[(&str, &str)] = &[
        ("ar", "AR"),
        ("cs", "CZ"),
        ("da", "DK"),
        ("el", "GR"),
        ("en", "US"),
        ("he", "IL"),
        ("hi", "IN"),
        ("ja", "JP"),
        ("ko", "KR"),
        ("nb", "NO"),
        ("pt", "BR"),
        ("sv", "SE"),
        ("uk", "UA"),
        ("vi", "VN"),
        ("zh", "CN"),
    ];
    /// Languages whose territory shares their code (`de_DE`).
    const SAME: &[&str] = &[
        "de", "es", "fi", "fr", "hu", "id", "it", "nl", "pl", "ro", "ru", "th", "tr",
    ];
    let mut parts = html_lang.split('-');
    let lang = parts.next().unwrap_or(html_lang).to_ascii_lowercase();
    let rest: Vec<&str> = parts.collect();
    let region = rest
        .iter()
        .find(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_alphabetic()))
        .map(|r| r.to_ascii_uppercase())
        .or_else(
            || match rest.first().map(|s| s.to_ascii_lowercase()).as_deref() {
                Some("hans") => Some("CN".to_owned()),
                Some("hant") => Some("TW".to_owned()),
                _ => None,
            },
        )
        .or_else(|| {
            TERRITORIES
                .iter()
                .find(|(l, _)| *l == lang)
                .map(|(_, t)| (*t).to_owned())
                .or_else(|| {
                    SAME.contains(&lang.as_str())
                        .then(|| lang.to_ascii_uppercase())
                })
        });
    match region {
        Some(r) => format!("{lang}_{r}"),
        None => lang,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_cannot_end_the_script_element() {
        let s = string("a</script><script>alert(1)</script>\"\\\n");
        assert!(!s.contains('<') && !s.contains('>'), "{s}");
        assert_eq!(
            s,
            r#""a\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e\"\\\n""#
        );
    }

    #[test]
    fn json_ld_has_breadcrumbs_and_an_article() {
        let crumbs = [
            Crumb {
                name: "Home",
                url: "https://x.org/",
            },
            Crumb {
                name: "FTP",
                url: "https://x.org/ftp/",
            },
        ];
        let terms = [Term {
            code: "200",
            name: "Command Okay",
            url: "https://x.org/ftp/200/",
        }];
        let about = About {
            headline: "FTP 200",
            description: "d",
            url: "https://x.org/ftp/200/",
            language: "en",
            set: ("FTP reply codes", "https://x.org/ftp/"),
            terms: &terms,
        };
        let j = json_ld(&crumbs, Some(&about));
        assert!(j.contains("\"@type\":\"BreadcrumbList\""), "{j}");
        assert!(j.contains("\"position\":2,\"name\":\"FTP\""), "{j}");
        assert!(j.contains("\"@type\":\"TechArticle\""), "{j}");
        assert!(
            j.contains("\"@type\":\"DefinedTerm\",\"termCode\":\"200\""),
            "{j}"
        );
        assert!(
            j.contains("\"inDefinedTermSet\":{\"@type\":\"DefinedTermSet\""),
            "{j}"
        );
    }

    #[test]
    fn open_graph_locales() {
        assert_eq!(og_locale("en"), "en_US");
        assert_eq!(og_locale("de"), "de_DE");
        assert_eq!(og_locale("eo"), "eo");
        assert_eq!(og_locale("pt-BR"), "pt_BR");
        assert_eq!(og_locale("zh-Hans"), "zh_CN");
        assert_eq!(og_locale("zh-Hant-TW"), "zh_TW");
    }
}
