//! Structured data for search engines and link previews: JSON-LD (schema.org
//! `BreadcrumbList` on every page; a `TechArticle` about the codes, as `DefinedTerm`s of the
//! protocol's `DefinedTermSet`, on code and pair pages) and the Open Graph locale of a
//! language. The JSON is written by hand — a few fixed shapes — and escaped so that no text
//! of the content can end the `<script>` element it sits in.

use std::fmt::Write as _;

/// A JSON string literal of `s`, safe inside `<script>`: `<`, `>` and `&` are escaped as
/// `\u003c` and friends, so `</script>` in a field stays text.
pub(crate) fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    string_into(s, &mut out);
    out
}

/// Whether a byte starts something [`string_into`] escapes.
fn needs_escape(b: u8) -> bool {
    b < 0x20 || matches!(b, b'"' | b'\\' | b'<' | b'>' | b'&' | 0xe2)
}

/// Writes [`string`] of `s` into `out`. Runs of characters that need nothing are copied
/// whole (most text has none at all).
fn string_into(s: &str, out: &mut String) {
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while let Some(skip) = bytes[i..].iter().position(|&b| needs_escape(b)) {
        i += skip;
        // Every character to escape is ASCII but U+2028 and U+2029 (E2 80 A8, E2 80 A9),
        // so the text is cut only at character boundaries.
        let (escaped, len): (&str, usize) = match bytes[i] {
            b'"' => ("\\\"", 1),
            b'\\' => ("\\\\", 1),
            b'\n' => ("\\n", 1),
            b'\r' => ("\\r", 1),
            b'\t' => ("\\t", 1),
            b'<' => ("\\u003c", 1),
            b'>' => ("\\u003e", 1),
            b'&' => ("\\u0026", 1),
            0xe2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xa8) => {
                ("\\u2028", 3)
            }
            0xe2 if bytes.get(i + 1) == Some(&0x80) && bytes.get(i + 2) == Some(&0xa9) => {
                ("\\u2029", 3)
            }
            b if b < 0x20 => ("", 1),
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[start..i]);
        if escaped.is_empty() {
            let _ = write!(out, "\\u{:04x}", bytes[i]);
        } else {
            out.push_str(escaped);
        }
        i += len;
        start = i;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// One step of a breadcrumb trail: its name and absolute URL.
pub(crate) struct Crumb<'a> {
    pub name: &'a str,
    pub url: &'a str,
}

/// A code a page may be about.
pub(crate) struct Term<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub url: &'a str,
}

/// A protocol's part of the trail and its set of codes: its crumb, its `DefinedTermSet`'s
/// name ("FTP reply codes") and URL, and its codes.
pub(crate) struct Set<'a> {
    pub crumb: Crumb<'a>,
    pub name: &'a str,
    pub terms: Vec<Term<'a>>,
}

/// What a code or pair page says of itself, for its article.
pub(crate) struct Article<'a> {
    pub headline: &'a str,
    pub description: &'a str,
    pub url: &'a str,
    /// The codes it is about, by index in their protocol.
    pub codes: &'a [usize],
}

/// The JSON of one language that pages share — the home page's crumb, each protocol's crumb
/// and each code as a `DefinedTerm` — written once, so a page's JSON-LD costs a few string
/// copies and the escaping of its own headline and description.
pub(crate) struct Parts {
    home: String,
    /// Per protocol: its crumb and each code's `DefinedTerm`.
    protocols: Vec<(String, Vec<String>)>,
    language: String,
}

fn item(position: usize, c: &Crumb<'_>) -> String {
    let mut out = String::with_capacity(64 + c.name.len() + c.url.len());
    item_into(position, c, &mut out);
    out
}

fn item_into(position: usize, c: &Crumb<'_>, out: &mut String) {
    let _ = write!(
        out,
        "{{\"@type\":\"ListItem\",\"position\":{position},\"name\":"
    );
    string_into(c.name, out);
    out.push_str(",\"item\":");
    string_into(c.url, out);
    out.push('}');
}

impl Parts {
    pub(crate) fn new<'a>(
        home: &Crumb<'_>,
        sets: impl Iterator<Item = Set<'a>>,
        language: &str,
    ) -> Parts {
        let protocols = sets
            .map(|set| {
                let in_set = format!(
                    "{{\"@type\":\"DefinedTermSet\",\"name\":{},\"url\":{}}}",
                    string(set.name),
                    string(set.crumb.url)
                );
                let terms = set
                    .terms
                    .iter()
                    .map(|t| {
                        format!(
                            "{{\"@type\":\"DefinedTerm\",\"termCode\":{},\"name\":{},\"url\":{},\"inDefinedTermSet\":{in_set}}}",
                            string(t.code),
                            string(t.name),
                            string(t.url)
                        )
                    })
                    .collect();
                (item(2, &set.crumb), terms)
            })
            .collect();
        Parts {
            home: item(1, home),
            protocols,
            language: string(language),
        }
    }

    /// A page's JSON-LD: its breadcrumb trail — home, the protocol `p`, the page itself
    /// (`last`) — and, for code and pair pages, an article about their codes.
    pub(crate) fn page(
        &self,
        p: Option<usize>,
        last: Option<&Crumb<'_>>,
        article: Option<&Article<'_>>,
    ) -> String {
        let mut out = String::with_capacity(2048);
        out.push_str("{\"@context\":\"https://schema.org\",\"@graph\":[{\"@type\":\"BreadcrumbList\",\"itemListElement\":[");
        out.push_str(&self.home);
        let protocol = p.and_then(|p| self.protocols.get(p));
        if let Some((crumb, _)) = protocol {
            out.push(',');
            out.push_str(crumb);
            if let Some(last) = last {
                out.push(',');
                item_into(3, last, &mut out);
            }
        }
        out.push_str("]}");
        if let (Some((_, terms)), Some(a)) = (protocol, article) {
            out.push_str(",{\"@type\":\"TechArticle\",\"headline\":");
            string_into(a.headline, &mut out);
            out.push_str(",\"description\":");
            string_into(a.description, &mut out);
            out.push_str(",\"url\":");
            string_into(a.url, &mut out);
            out.push_str(",\"inLanguage\":");
            out.push_str(&self.language);
            out.push_str(",\"about\":[");
            for (i, t) in a.codes.iter().filter_map(|&c| terms.get(c)).enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(t);
            }
            out.push_str("]}");
        }
        out.push_str("]}");
        out
    }
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
        let home = Crumb {
            name: "Home",
            url: "https://x.org/",
        };
        let set = Set {
            crumb: Crumb {
                name: "FTP",
                url: "https://x.org/ftp/",
            },
            name: "FTP reply codes",
            terms: vec![
                Term {
                    code: "200",
                    name: "Command Okay",
                    url: "https://x.org/ftp/200/",
                },
                Term {
                    code: "421",
                    name: "Service Not Available",
                    url: "https://x.org/ftp/421/",
                },
            ],
        };
        let parts = Parts::new(&home, [set].into_iter(), "en");
        let last = Crumb {
            name: "200 vs 421",
            url: "https://x.org/ftp/200-vs-421/",
        };
        let article = Article {
            headline: "FTP 200 vs 421",
            description: "d",
            url: "https://x.org/ftp/200-vs-421/",
            codes: &[0, 1],
        };
        let j = parts.page(Some(0), Some(&last), Some(&article));
        assert!(j.contains("\"@type\":\"BreadcrumbList\""), "{j}");
        assert!(j.contains("\"position\":2,\"name\":\"FTP\""), "{j}");
        assert!(j.contains("\"position\":3,\"name\":\"200 vs 421\""), "{j}");
        assert!(j.contains("\"@type\":\"TechArticle\""), "{j}");
        assert!(
            j.contains("\"@type\":\"DefinedTerm\",\"termCode\":\"200\""),
            "{j}"
        );
        assert!(j.contains("\"termCode\":\"421\""), "{j}");
        assert!(
            j.contains("\"inDefinedTermSet\":{\"@type\":\"DefinedTermSet\""),
            "{j}"
        );
        let home_only = parts.page(None, None, None);
        assert_eq!(
            home_only,
            "{\"@context\":\"https://schema.org\",\"@graph\":[{\"@type\":\"BreadcrumbList\",\"itemListElement\":[{\"@type\":\"ListItem\",\"position\":1,\"name\":\"Home\",\"item\":\"https://x.org/\"}]}]}"
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
