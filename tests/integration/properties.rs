//! Properties over random valid sites (proptest): every one builds; its pages are exactly
//! the spec's set (SPEC §3: per language a home, per protocol of n codes its index, n code
//! pages and n(n−1)/2 pair pages — fewer under `fallback: skip`, by the rule of
//! docs/content.md); the output is byte-identical whatever the thread count; and every
//! internal link resolves.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use proptest::prelude::*;

use crate::common::{anchors, follow, pages, tree, versus, write};

/// A protocol: its id, its grouping, and its codes with whether each is translated.
#[derive(Debug, Clone)]
struct Proto {
    id: String,
    grouping: &'static str,
    /// Whether the protocol's title is translated.
    title_translated: bool,
    codes: Vec<(String, bool)>,
}

#[derive(Debug, Clone)]
struct Site {
    languages: Vec<&'static str>,
    fallback: &'static str,
    protocols: Vec<Proto>,
    /// Text with characters that must be escaped, and markdown.
    text: String,
}

/// Code ids: numbers for `ranges`, else letters and digits, unique ignoring case.
fn codes(grouping: &'static str) -> impl Strategy<Value = Vec<(String, bool)>> {
    let id = if grouping == "ranges" {
        (0u32..100).prop_map(|n| n.to_string()).boxed()
    } else {
        "[1-9][0-9A-Za-z]{0,3}".boxed()
    };
    prop::collection::vec((id, any::<bool>()), 1..7).prop_map(|v| {
        let mut seen = BTreeSet::new();
        v.into_iter()
            .filter(|(id, _)| seen.insert(id.to_ascii_lowercase()))
            .collect()
    })
}

fn proto() -> impl Strategy<Value = Proto> {
    (
        "[a-z][a-z0-9]{0,5}",
        prop::sample::select(vec!["first-character", "ranges", "none"]),
        any::<bool>(),
    )
        .prop_flat_map(|(id, grouping, title_translated)| {
            codes(grouping).prop_map(move |codes| Proto {
                id: id.clone(),
                grouping,
                title_translated,
                codes,
            })
        })
}

fn site() -> impl Strategy<Value = Site> {
    (
        prop::sample::subsequence(vec!["fr", "de-CH", "zh"], 0..=2),
        prop::sample::select(vec!["show", "noindex", "skip"]),
        prop::collection::vec(proto(), 1..3),
        "[a-zA-Z0-9 <>&\"'*`_.,;:!?()\\[\\]/é中文]{1,30}",
    )
        .prop_map(|(more, fallback, protocols, text)| {
            let mut seen = BTreeSet::new();
            let protocols = protocols
                .into_iter()
                // Unique ids, none named like a language.
                .filter(|p| {
                    !["fr", "zh", "assets"].contains(&p.id.as_str()) && seen.insert(p.id.clone())
                })
                .collect();
            let mut languages = vec!["en"];
            languages.extend(more);
            Site {
                languages,
                fallback,
                protocols,
                text,
            }
        })
}

/// A YAML double-quoted string.
fn q(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A translatable value: English always, the other languages when `translated`.
fn tr(site: &Site, en: &str, translated: bool) -> String {
    let mut out = format!("{{en: {}", q(en));
    if translated {
        for l in &site.languages[1..] {
            let _ = write!(out, ", {l}: {}", q(&format!("{en} ({l})")));
        }
    }
    out.push('}');
    out
}

fn write_site(root: &Path, site: &Site) {
    write(
        root,
        "content/site.yaml",
        &format!(
            "title: {}\nbase_url: https://prop.example\ndefault_locale: en\nfallback: {}\n",
            tr(site, "Prop", true),
            site.fallback
        ),
    );
    for l in &site.languages {
        write(root, &format!("locales/{l}.yaml"), &format!("name: {l}\n"));
    }
    for p in &site.protocols {
        let classes = match p.grouping {
            "ranges" => "classes:\n  \"0-49\": Low\n  \"50-99\": High\n".to_owned(),
            "none" => String::new(),
            _ => {
                let firsts: BTreeSet<char> = p
                    .codes
                    .iter()
                    .filter_map(|(c, _)| c.chars().next())
                    .collect();
                let mut s = "classes:\n".to_owned();
                for c in firsts {
                    let _ = writeln!(s, "  \"{c}\": Class {c}");
                }
                s
            }
        };
        write(
            root,
            &format!("content/{}/_protocol.yaml", p.id),
            &format!(
                "name: {}\ntitle: {}\ngrouping: {}\n{classes}",
                p.id.to_uppercase(),
                tr(site, &format!("Protocol {}", p.id), p.title_translated),
                p.grouping
            ),
        );
        for (code, translated) in &p.codes {
            let field = |name: &str| {
                format!(
                    "{name}: {}\n",
                    tr(site, &format!("{} {code}", site.text), *translated)
                )
            };
            write(
                root,
                &format!("content/{}/{code}.yaml", p.id),
                &format!(
                    "{}{}{}{}",
                    field("name"),
                    field("description"),
                    field("when"),
                    field("fix")
                ),
            );
        }
    }
}

/// The pages the spec and the fallback rule promise, as URL paths.
fn expected_pages(site: &Site) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, l) in site.languages.iter().enumerate() {
        let prefix = if i == 0 {
            String::new()
        } else {
            format!("/{l}")
        };
        let here = |translated: bool| i == 0 || translated || site.fallback != "skip";
        out.insert(format!("{prefix}/"));
        for p in &site.protocols {
            if here(p.title_translated) {
                out.insert(format!("{prefix}/{}/", p.id));
            }
            let mut codes = p.codes.clone();
            codes.sort_by(|a, b| natural(&a.0, &b.0));
            for (k, (a, ta)) in codes.iter().enumerate() {
                if here(*ta) {
                    out.insert(format!("{prefix}/{}/{a}/", p.id));
                }
                for (b, tb) in &codes[k + 1..] {
                    if here(*ta && *tb) {
                        out.insert(format!("{prefix}/{}/{a}-vs-{b}/", p.id));
                    }
                }
            }
        }
    }
    out
}

/// SPEC §3's natural order: runs of digits by value, other runs bytewise, digits first.
fn natural(a: &str, b: &str) -> std::cmp::Ordering {
    fn runs(s: &str) -> Vec<(bool, &str)> {
        let mut out = Vec::new();
        let mut start = 0;
        let bytes = s.as_bytes();
        for i in 1..=bytes.len() {
            if i == bytes.len() || bytes[i].is_ascii_digit() != bytes[start].is_ascii_digit() {
                out.push((bytes[start].is_ascii_digit(), &s[start..i]));
                start = i;
            }
        }
        out
    }
    let (ra, rb) = (runs(a), runs(b));
    for (x, y) in ra.iter().zip(&rb) {
        let o = match (x.0, y.0) {
            (true, true) => {
                let (tx, ty) = (x.1.trim_start_matches('0'), y.1.trim_start_matches('0'));
                tx.len().cmp(&ty.len()).then(tx.cmp(ty))
            }
            (true, false) => std::cmp::Ordering::Less,
            (false, true) => std::cmp::Ordering::Greater,
            (false, false) => x.1.cmp(y.1),
        };
        if o != std::cmp::Ordering::Equal {
            return o;
        }
    }
    ra.len().cmp(&rb.len())
}

fn build_with_threads(root: &Path, out: &Path, threads: &str) -> std::process::Output {
    versus()
        .args(["build", "--quiet", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .env("RAYON_NUM_THREADS", threads)
        .output()
        .expect("run versus")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]

    #[test]
    fn random_valid_sites_build_exactly_their_pages_with_working_links(site in site()) {
        prop_assume!(!site.protocols.is_empty());
        let dir = tempfile::tempdir().unwrap();
        write_site(dir.path(), &site);
        let (one, four) = (dir.path().join("one"), dir.path().join("four"));
        let o = build_with_threads(dir.path(), &one, "1");
        prop_assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let o = build_with_threads(dir.path(), &four, "4");
        prop_assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        prop_assert!(tree(&one) == tree(&four), "the output depends on the thread count");

        let built = pages(&one);
        let urls: BTreeSet<String> = built.iter().map(|(u, _)| u.clone()).collect();
        prop_assert_eq!(&urls, &expected_pages(&site));
        for (url, html) in &built {
            for a in anchors(html) {
                let Some(target) = follow(url, &a.href) else { continue };
                let rel = target.trim_start_matches('/');
                prop_assert!(
                    one.join(rel).is_file() || one.join(rel).join("index.html").is_file(),
                    "{}: {} leads nowhere", url, a.href
                );
            }
        }
    }
}
