//! The comparison rules of SPEC §3, checked on a rendered pair page (whatever template made
//! it): key differences are contrasts said once — no item repeats a sentence shown
//! elsewhere on the page, no item gives both codes the same verdict, at least three of
//! them — and "when to use which" has a sentence naming both codes.

use super::html::Read;
use crate::compare::MIN_CONTRASTS;
use crate::prose;

/// The sections whose text the rules read.
pub(super) const SECTIONS: &[&str] = &[
    "overview",
    "at-a-glance",
    "key-differences",
    "when-to-use-which",
];

/// What is wrong with the comparison of codes `a` and `b` on a page.
pub(super) fn problems(page: &Read, a: &str, b: &str) -> Vec<String> {
    let mut out = Vec::new();
    let body = |id: &str| page.sections.get(id).map_or("", String::as_str);
    let kd = body("key-differences");
    let elsewhere: String = ["overview", "at-a-glance", "when-to-use-which"]
        .iter()
        .map(|id| body(id))
        .chain(
            [
                page.sections.get(&format!("code-{a}")),
                page.sections.get(&format!("code-{b}")),
            ]
            .into_iter()
            .flatten()
            .map(String::as_str),
        )
        .collect::<Vec<_>>()
        .join(" ");
    let least = if kd.chars().any(is_cjk) { 14 } else { 30 };
    if let Some(s) =
        prose::sentences(kd).find(|s| s.chars().count() >= least && elsewhere.contains(s))
    {
        out.push(format!(
            "a key difference repeats a sentence shown elsewhere on the page: “{}”",
            short(s)
        ));
    }
    if let Some(item) = page.differences.iter().find(|i| same_verdict(i, a, b)) {
        out.push(format!(
            "a key difference gives {a} and {b} the same verdict: “{}”",
            short(item)
        ));
    }
    if page.differences.len() < MIN_CONTRASTS {
        out.push(format!(
            "key differences has {} item(s); a pair page should contrast the codes on at least {MIN_CONTRASTS} points (give the codes facts that tell them apart)",
            page.differences.len()
        ));
    }
    if !prose::names_both(body("when-to-use-which"), a, b) {
        out.push(format!(
            "\"when to use which\" has no sentence naming both {a} and {b}"
        ));
    }
    out
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

fn short(s: &str) -> String {
    let t: String = s.chars().take(80).collect();
    if t.len() < s.len() {
        format!("{t}…")
    } else {
        t
    }
}

/// Whether an item says the same thing of both codes: the words after each code, up to the
/// end of the clause, are the same.
fn same_verdict(item: &str, a: &str, b: &str) -> bool {
    let mut parts: Vec<&str> = Vec::new();
    let mut rest = item;
    // Split the item at each mention of either code.
    while let Some((i, len)) = [a, b]
        .iter()
        .filter_map(|c| prose::find(c, rest).map(|i| (i, c.len())))
        .min()
    {
        if !parts.is_empty() || i > 0 {
            parts.push(&rest[..i]);
        }
        rest = &rest[i + len..];
    }
    parts.push(rest);
    // The verdicts: what follows the first and the second mention.
    let verdict = |p: &str| {
        p.trim_matches(|c: char| " ;；,，:：—-–\"“”「」（）()为".contains(c))
            .split([';', '；', '.', '。'])
            .next()
            .unwrap_or("")
            .trim()
            .to_owned()
    };
    let after: Vec<String> = parts.iter().skip(1).map(|p| verdict(p)).collect();
    after.len() >= 2 && after[0].chars().count() >= 4 && after[0] == after[1]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_verdicts_are_found() {
        assert!(same_verdict(
            "Control connection: 110 — Stays open; 120 — Stays open.",
            "110",
            "120"
        ));
        assert!(!same_verdict(
            "Retry: 421 — Yes, later; 200 — Not needed.",
            "200",
            "421"
        ));
        assert!(same_verdict(
            "重试：421 为无需重试，200 为无需重试。",
            "200",
            "421"
        ));
    }

    #[test]
    fn a_page_that_compares_passes_and_one_that_repeats_does_not() {
        let mut page = Read::default();
        let set = |page: &mut Read, id: &str, text: &str| {
            page.sections.insert(id.to_owned(), text.to_owned());
        };
        set(
            &mut page,
            "when-to-use-which",
            "Use 401 when x, and 403 when y.",
        );
        set(
            &mut page,
            "code-401",
            "The request lacks valid authentication credentials for the target.",
        );
        set(
            &mut page,
            "key-differences",
            "Retry: 401 — with credentials; 403 — no. Header: 401 — WWW-Authenticate; 403 — none. Status: 401 — standard; 403 — obsolete.",
        );
        page.differences = vec![
            "Retry: 401 — with credentials; 403 — no.".into(),
            "Header: 401 — WWW-Authenticate; 403 — none.".into(),
            "Status: 401 — standard; 403 — obsolete.".into(),
        ];
        assert_eq!(problems(&page, "401", "403"), Vec::<String>::new());
        set(
            &mut page,
            "key-differences",
            "The request lacks valid authentication credentials for the target.",
        );
        set(
            &mut page,
            "when-to-use-which",
            "Use 401 when x. Use 403 when y.",
        );
        page.differences.truncate(2);
        let p = problems(&page, "401", "403");
        assert_eq!(p.len(), 3, "{p:?}");
    }
}
