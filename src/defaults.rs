//! The default templates, stylesheet and locales, embedded at compile time by `build.rs`.
//! A site's own file of the same path wins; these fill in what a site does not provide.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/defaults.rs"));

/// The embedded file at `path` (e.g. `templates/pair.html`).
#[cfg(test)]
fn file(path: &str) -> Option<&'static str> {
    FILES.iter().find(|(p, _)| *p == path).map(|(_, c)| *c)
}

/// Embedded files under a folder, e.g. `templates/`.
pub(crate) fn files_under(
    prefix: &'static str,
) -> impl Iterator<Item = (&'static str, &'static str)> {
    FILES
        .iter()
        .copied()
        .filter(move |(p, _)| p.starts_with(prefix))
}

/// The built-in words of a language shipped with Versus (empty for other languages).
pub(crate) fn locale(id: &str) -> &'static BTreeMap<String, String> {
    static PARSED: OnceLock<HashMap<String, BTreeMap<String, String>>> = OnceLock::new();
    static EMPTY: BTreeMap<String, String> = BTreeMap::new();
    PARSED
        .get_or_init(|| {
            files_under("locales/")
                .filter_map(|(path, text)| {
                    let id = path.strip_prefix("locales/")?.strip_suffix(".yaml")?;
                    let map: BTreeMap<String, String> = serde_saphyr::from_str(text).ok()?;
                    Some((id.to_owned(), map))
                })
                .collect()
        })
        .get(id)
        .unwrap_or(&EMPTY)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::locale::KEYS;

    #[test]
    fn shipped_locales_define_every_key() {
        for id in ["en", "zh"] {
            let words = locale(id);
            for (key, _) in KEYS {
                assert!(words.contains_key(*key), "locales/{id}.yaml lacks `{key}`");
            }
        }
    }

    #[test]
    fn shipped_templates_are_embedded() {
        for t in [
            "base.html",
            "home.html",
            "protocol.html",
            "code.html",
            "pair.html",
            "404.html",
            "code-parts/card.html",
            "code-parts/pair_item.html",
            "code-parts/learn_item.html",
        ] {
            assert!(
                file(&format!("templates/{t}")).is_some(),
                "{t} not embedded"
            );
        }
    }
}
