//! What a finished output tree holds: one line per file, its path, the key it was made from
//! (a page's context fingerprint, a shared file's bytes) and its [`Stamp`] — its length and
//! the latest modification time it may have — so a file changed since by anyone else is
//! noticed and written again. Kept beside the output, never inside it, and read with suspicion: a path that is
//! absolute, climbs with `..` or names a hidden file makes the whole manifest void.

use std::collections::HashMap;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Component, Path};
use std::time::UNIX_EPOCH;

use rayon::slice::ParallelSliceMut;

/// The first line of a manifest: its format.
const HEADER: &str = "versus-manifest 2";

/// One file of an output tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// Relative to the tree, `/`-separated.
    pub path: String,
    pub key: u64,
    /// The file as the build left it (see [`Stamp`]).
    pub stamp: Stamp,
}

/// A file as a build left it: its length, and the latest modification time it may have
/// (nanoseconds since the epoch: 64 bits last until 2554, and keep a build's list of every
/// file it wrote small). For a file the build wrote, that is the time the build finished
/// writing: asking the time of each file would cost a system call per page. For a file
/// kept or linked, it is the time recorded when it was written. A file changed since then
/// has a later time or another length (see [`Stamp::admits`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Stamp {
    pub len: u64,
    pub mtime: u64,
}

impl Stamp {
    pub(crate) fn of(meta: &fs::Metadata) -> Stamp {
        Stamp {
            len: meta.len(),
            mtime: meta
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map_or(0, |d| u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)),
        }
    }

    /// A file just written with `len` bytes: its time is the build's end, filled in by
    /// [`Stamp::written_by`] before the manifest is written.
    pub(crate) fn written(len: usize) -> Stamp {
        Stamp {
            len: len as u64,
            mtime: 0,
        }
    }

    /// This stamp with the time `end` (the build's end) where it has none yet. A file whose
    /// recorded time is 0 (the epoch) may get `end` too: it admits the same file.
    pub(crate) fn written_by(self, end: u64) -> Stamp {
        Stamp {
            mtime: if self.mtime == 0 { end } else { self.mtime },
            ..self
        }
    }

    /// Whether a file found with stamp `found` is still the one recorded with this stamp:
    /// the same length, and not modified after the recorded time. (A change that also sets
    /// the file's time back goes unseen, as it would with exact times.)
    pub(crate) fn admits(self, found: Option<Stamp>) -> bool {
        found.is_some_and(|f| f.len == self.len && f.mtime <= self.mtime)
    }
}

/// The files of a tree by path.
#[derive(Debug, Default)]
pub(crate) struct Manifest {
    pub files: HashMap<String, (u64, Stamp)>,
}

/// Whether `path` may name a file of an output tree: relative, `/`-separated plain
/// components, none hidden, no `..`, no absolute or drive prefix, no backslash, colon or
/// NUL.
pub(crate) fn is_confined(path: &str) -> bool {
    !path.is_empty()
        && !path.contains(['\\', '\0', ':'])
        && path
            .split('/')
            .all(|c| !c.is_empty() && !c.starts_with('.'))
        && Path::new(path)
            .components()
            .all(|c| matches!(c, Component::Normal(_)))
}

impl Manifest {
    /// Reads a manifest; `Err` with the reason when it is unreadable or names a path outside
    /// the tree (then it is not used at all, and the build starts from nothing).
    pub(crate) fn read(file: &Path) -> Result<Manifest, String> {
        let text = fs::read_to_string(file).map_err(|e| e.to_string())?;
        let mut lines = text.lines();
        if lines.next() != Some(HEADER) {
            return Err("not a manifest of this version of Versus".into());
        }
        let mut files = HashMap::with_capacity(text.len() / 48);
        for (n, line) in lines.enumerate() {
            let bad = || format!("line {}: {line:?}", n + 2);
            let mut parts = line.splitn(4, ' ');
            let (Some(key), Some(len), Some(mtime), Some(path)) =
                (parts.next(), parts.next(), parts.next(), parts.next())
            else {
                return Err(bad());
            };
            if !is_confined(path) {
                return Err(format!("{} names a path outside the output", bad()));
            }
            let key = u64::from_str_radix(key, 16).map_err(|_| bad())?;
            let stamp = Stamp {
                len: len.parse().map_err(|_| bad())?,
                mtime: mtime.parse().map_err(|_| bad())?,
            };
            files.insert(path.to_owned(), (key, stamp));
        }
        Ok(Manifest { files })
    }

    pub(crate) fn get(&self, path: &str) -> Option<(u64, Stamp)> {
        self.files.get(path).copied()
    }
}

/// Writes the manifest of `entries` (sorted by path, so it does not depend on the order
/// pages finished in; sorted on every core, as it is the last work of a build).
pub(crate) fn write(file: &Path, entries: &mut [Entry]) -> io::Result<()> {
    entries.par_sort_unstable_by(|a, b| a.path.cmp(&b.path));
    let mut out = BufWriter::with_capacity(64 * 1024, fs::File::create(file)?);
    writeln!(out, "{HEADER}")?;
    for e in entries.iter() {
        writeln!(
            out,
            "{:016x} {} {} {}",
            e.key, e.stamp.len, e.stamp.mtime, e.path
        )?;
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_must_stay_inside_the_tree() {
        assert!(is_confined("zh/ftp/421/index.html"));
        assert!(is_confined("404.html"));
        for bad in [
            "",
            "../keep/sub/file.txt",
            "a/../../b",
            "/etc/passwd",
            "a//b",
            "./a",
            ".git/config",
            "a/.hidden",
            "a\\..\\b",
            "C:/x",
        ] {
            assert!(!is_confined(bad), "{bad}");
        }
    }

    #[test]
    fn a_stamp_admits_the_same_file_and_nothing_changed_later() {
        let written = Stamp::written(10).written_by(500);
        assert_eq!(
            written,
            Stamp {
                len: 10,
                mtime: 500
            }
        );
        assert!(written.admits(Some(Stamp {
            len: 10,
            mtime: 500
        })));
        assert!(
            written.admits(Some(Stamp {
                len: 10,
                mtime: 499
            })),
            "written before the build's end"
        );
        assert!(
            !written.admits(Some(Stamp {
                len: 10,
                mtime: 501
            })),
            "changed since"
        );
        assert!(
            !written.admits(Some(Stamp {
                len: 11,
                mtime: 400
            })),
            "another length"
        );
        assert!(!written.admits(None), "gone, or not a regular file");
        let linked = Stamp { len: 3, mtime: 7 };
        assert_eq!(linked.written_by(500), linked, "a recorded time is kept");
    }

    #[test]
    fn a_manifest_with_one_path_outside_is_void() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("m");
        let mut entries = vec![Entry {
            path: "a/index.html".into(),
            key: 7,
            stamp: Stamp { len: 3, mtime: 9 },
        }];
        write(&file, &mut entries).unwrap();
        let m = Manifest::read(&file).unwrap();
        assert_eq!(m.get("a/index.html"), Some((7, Stamp { len: 3, mtime: 9 })));
        let mut text = fs::read_to_string(&file).unwrap();
        text.push_str("0000000000000000 1 1 ../keep/sub/file.txt\n");
        fs::write(&file, text).unwrap();
        let err = Manifest::read(&file).unwrap_err();
        assert!(err.contains("outside the output"), "{err}");
    }
}
