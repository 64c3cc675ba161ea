//! What popular static hosts accept, and whether a build fits: the build warns when its
//! output passes a documented limit, and says what to do (docs/deploy.md). Counted from the
//! files the writer published, so the numbers are the output's own.

use std::collections::HashMap;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Pos};
use crate::write::manifest::Entry;

/// How big an output is, in the terms hosts limit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Footprint {
    pub files: usize,
    pub bytes: u64,
    /// The folder with the most entries (files and folders) directly in it, and how many.
    pub widest: (String, usize),
}

impl Footprint {
    pub(crate) fn of(entries: &[Entry]) -> Footprint {
        // How many entries (files and folders) each folder holds directly, and whether it
        // has been counted in its parent: the first time a path leads through a folder, it
        // is counted in its parent, innermost first (a folder already counted has had every
        // folder above it counted too).
        // Most pages have a folder of their own.
        let mut folders: HashMap<&str, (usize, bool)> = HashMap::with_capacity(entries.len());
        let mut bytes = 0;
        for e in entries {
            bytes += e.stamp.len;
            let mut dir = parent(&e.path);
            loop {
                let (held, counted) = folders.entry(dir).or_default();
                *held += 1;
                if dir.is_empty() || std::mem::replace(counted, true) {
                    break;
                }
                dir = parent(dir);
            }
        }
        let widest = folders
            .iter()
            .map(|(dir, (n, _))| (*dir, *n))
            .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
            .map_or((String::new(), 0), |(d, n)| (d.to_owned(), n));
        Footprint {
            files: entries.len(),
            bytes,
            widest,
        }
    }
}

/// The folder holding a `/`-separated path (`""` for the output's root).
fn parent(path: &str) -> &str {
    path.rfind('/').map_or("", |i| &path[..i])
}

/// A limit of a host, as documented by it.
struct Limit {
    host: &'static str,
    /// The limit in words: "20,000 files in one deployment on its free plan".
    says: &'static str,
    max: u64,
    measure: fn(&Footprint) -> u64,
    /// The measure in words: "40,210 files".
    shown: fn(&Footprint) -> String,
    advice: &'static str,
}

/// Fewer pages: the levers a site owner has on any host.
const FEWER_PAGES: &str = "fewer languages, or `fallback: skip` in content/site.yaml so a \
    language leaves out the pages it has not translated";

const GB: u64 = 1024 * 1024 * 1024;

const LIMITS: &[Limit] = &[
    Limit {
        host: "Cloudflare Pages",
        says: "20,000 files in one deployment on its free plan",
        max: 20_000,
        measure: |f| f.files as u64,
        shown: |f| format!("{} files", thousands(f.files as u64)),
        advice: "use a paid Cloudflare plan (100,000 files), another host (GitHub Pages, \
            Netlify, an S3-style bucket), or",
    },
    Limit {
        host: "Netlify",
        says: "54,000 files in one folder",
        max: 54_000,
        measure: |f| f.widest.1 as u64,
        shown: |f| {
            format!(
                "{} entries in `{}/`",
                thousands(f.widest.1 as u64),
                f.widest.0
            )
        },
        advice: "use another host (GitHub Pages, Cloudflare Pages on a paid plan, an S3-style \
            bucket), split the protocol with the most codes into two, or",
    },
    Limit {
        host: "GitHub Pages",
        says: "1 GB of published files",
        max: GB,
        measure: |f| f.bytes,
        shown: |f| format!("{:.2} GB", f.bytes as f64 / GB as f64),
        advice: "use another host (Netlify, Cloudflare Pages, an S3-style bucket), or",
    },
];

/// A warning for each known host limit the output passes.
pub(crate) fn warnings(output: &Path, f: &Footprint) -> Vec<Diagnostic> {
    LIMITS
        .iter()
        .filter(|l| (l.measure)(f) > l.max)
        .map(|l| {
            Diagnostic::warning(
                output,
                Pos::FILE,
                format!(
                    "the output has {}: {} takes at most {}",
                    (l.shown)(f),
                    l.host,
                    l.says
                ),
            )
            .with_help(format!("{} {FEWER_PAGES} (docs/deploy.md)", l.advice))
        })
        .collect()
}

/// `20000` as `20,000`.
fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::write::manifest::Stamp;

    fn entry(path: &str, len: u64) -> Entry {
        Entry {
            path: path.to_owned(),
            key: 0,
            stamp: Stamp { len, mtime: 0 },
        }
    }

    #[test]
    fn footprint_counts_files_bytes_and_the_widest_folder() {
        let entries = [
            entry("index.html", 10),
            entry("ftp/index.html", 20),
            entry("ftp/200/index.html", 30),
            entry("ftp/421/index.html", 40),
            entry("ftp/200-vs-421/index.html", 50),
            entry("assets/style.css", 5),
        ];
        let f = Footprint::of(&entries);
        assert_eq!(f.files, 6);
        assert_eq!(f.bytes, 155);
        // `ftp/` holds index.html and three folders; the root holds index.html, ftp, assets.
        assert_eq!(f.widest, ("ftp".to_owned(), 4));
        // A deep path first: its folders are each counted once, in their parents.
        let deep = [
            entry("a/b/c/x", 1),
            entry("a/b/z", 1),
            entry("a/b/w", 1),
            entry("a/y", 1),
        ];
        assert_eq!(Footprint::of(&deep).widest, ("a/b".to_owned(), 3));
    }

    #[test]
    fn each_limit_warns_only_past_it() {
        let out = Path::new("output");
        let fits = Footprint {
            files: 20_000,
            bytes: GB,
            widest: ("http".into(), 54_000),
        };
        assert!(warnings(out, &fits).is_empty());
        let over = Footprint {
            files: 20_001,
            bytes: GB + 1,
            widest: ("http".into(), 54_001),
        };
        let w: Vec<String> = warnings(out, &over)
            .into_iter()
            .map(|d| d.message)
            .collect();
        assert_eq!(w.len(), 3, "{w:?}");
        assert_eq!(
            w,
            [
                "the output has 20,001 files: Cloudflare Pages takes at most 20,000 files in one deployment on its free plan",
                "the output has 54,001 entries in `http/`: Netlify takes at most 54,000 files in one folder",
                "the output has 1.00 GB: GitHub Pages takes at most 1 GB of published files",
            ]
        );
    }

    #[test]
    fn big_numbers_are_grouped() {
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(20_000), "20,000");
        assert_eq!(thousands(1_073_741_824), "1,073,741,824");
    }
}
