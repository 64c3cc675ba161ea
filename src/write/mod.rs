//! Stage 5: the output directory, and the only code that writes, moves or deletes files of
//! a build.
//!
//! A build makes a complete new tree and publishes it with one atomic directory exchange
//! (`renameat2(RENAME_EXCHANGE)`), so a reader — or a kill at any moment — sees the whole old
//! site or the whole new one, never a mix. Making a whole tree each time would cost as much
//! as a full build, so the previous tree is kept beside the output as a *spare* and brought
//! up to date: a page whose key is unchanged is kept, one unchanged since the published build
//! is hard-linked from it, and only changed pages are rendered. Versus's state lives beside
//! the output, never inside it:
//!
//! ```text
//! <parent>/<name>/               the published site, with a small marker file
//! <parent>/.<name>.versus/lock   one build at a time
//! <parent>/.<name>.versus/manifest-<device>-<inode>   what each tree holds
//! <parent>/.<name>.versus/spare/ the previous tree, reused by the next build
//! ```
//!
//! Every path written, linked or deleted is checked to stay inside its tree.

mod dir;
pub(crate) mod manifest;
mod tree;

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result, anyhow, bail};

use self::dir::Dir;
use self::manifest::{Entry, Manifest, Stamp, is_confined};
use crate::fingerprint;

/// The file that marks a directory as Versus's output (a non-empty directory without it
/// is refused).
pub(crate) const MARKER: &str = ".versus-output";
const MARKER_TEXT: &str = "This directory is written by Versus and replaced on every build.\n";

/// A test hook: in debug builds, `VERSUS_CRASH_AT=<point>` aborts the process at that point
/// of publishing, as a SIGKILL would, so the integration tests can prove that a build killed
/// there leaves the output whole (tests/integration/safety.rs). Release builds compile it to
/// nothing. Points: `written` (every file is in the new tree, nothing published),
/// `carried` (top-level dot-files moved into the new tree), `swapped` (the trees exchanged,
/// the old one not yet kept as the spare).
pub(crate) fn crash_point(point: &str) {
    #[cfg(debug_assertions)]
    if std::env::var_os("VERSUS_CRASH_AT").is_some_and(|v| v == point) {
        std::process::abort();
    }
    #[cfg(not(debug_assertions))]
    let _ = point;
}

/// Why the output directory may not be used (a usage error: nothing was touched).
#[derive(Debug)]
pub(crate) struct Refused(pub String);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Refused {}

/// How much of the previous output a build may reuse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reuse {
    /// Keep what is unchanged (the default).
    Unchanged,
    /// Write every file anew (`--full`, and shards).
    Nothing,
}

/// What a build did to one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Done {
    /// Rendered and written.
    Written,
    /// Left as it was, or linked unchanged from the published output.
    Kept,
}

/// Where a build's files go, and the lock that makes it the only build there.
pub(crate) struct Writer {
    target: PathBuf,
    state: PathBuf,
    /// The tree being made: the spare, or a fresh staging directory.
    tree: Dir,
    /// The published output, when there is one to link unchanged files from.
    old: Option<Dir>,
    /// What `tree` holds now (for the spare), and what the published output holds.
    base: Manifest,
    published: Manifest,
    /// Whether `tree` started empty (a fresh staging folder): nothing to unlink in it.
    fresh: bool,
    _lock: fs::File,
    written: AtomicUsize,
    kept: AtomicUsize,
}

/// Refuses an output Versus may not replace, before any work: a file, a non-empty directory
/// that is not Versus's, a directory holding the site itself.
pub(crate) fn check_target(target: &Path, root: &Path) -> Result<(), Refused> {
    let refused = |why: String| Err(Refused(why));
    if let (Ok(t), Ok(r)) = (target.canonicalize(), root.canonicalize())
        && (r.starts_with(&t)
            || t.starts_with(r.join("content"))
            || t.starts_with(r.join("locales"))
            || t.starts_with(r.join("templates")))
    {
        return refused(format!(
            "{} holds the site's own files, or is inside them; choose an --output outside content/, locales/ and templates/ that does not contain the site",
            target.display()
        ));
    }
    match fs::symlink_metadata(target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => refused(format!("{}: {e}", target.display())),
        Ok(m) if !m.is_dir() => refused(format!(
            "{} exists and is not a directory",
            target.display()
        )),
        Ok(_) => {
            if target.join(MARKER).is_file() || is_empty(target) {
                Ok(())
            } else {
                refused(format!(
                    "{} is not empty and was not created by Versus (it has no {MARKER} file); refusing to replace it. Choose another --output or empty it first.",
                    target.display()
                ))
            }
        }
    }
}

fn is_empty(dir: &Path) -> bool {
    fs::read_dir(dir).is_ok_and(|mut d| d.next().is_none())
}

impl Writer {
    /// Takes the output at `target` for one build: checks it may be replaced, locks it,
    /// clears what a killed build left, and picks the tree to make the new output in.
    pub(crate) fn open(target: &Path, root: &Path, reuse: Reuse) -> Result<Writer> {
        check_target(target, root)?;
        let target = std::path::absolute(target).context("the output path")?;
        let parent = target
            .parent()
            .ok_or_else(|| Refused(format!("{} has no parent folder", target.display())))?;
        let name = target
            .file_name()
            .ok_or_else(|| Refused(format!("{} names no folder", target.display())))?;
        fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        let mut state_name = std::ffi::OsString::from(".");
        state_name.push(name);
        state_name.push(".versus");
        let state = parent.join(state_name);
        fs::create_dir_all(&state).with_context(|| format!("creating {}", state.display()))?;
        let lock = tree::lock(&state)?;
        // Checked again now that no other build can change it.
        check_target(&target, root)?;
        tree::recover(&target, &state)?;
        let published = match reuse {
            Reuse::Unchanged => tree::manifest_of(&state, &target).unwrap_or_default(),
            Reuse::Nothing => Manifest::default(),
        };
        let spare = state.join("spare");
        let (tree, base) = match tree::manifest_of(&state, &spare) {
            Some(m) if reuse == Reuse::Unchanged && !published.files.is_empty() => {
                // From here until the new manifest is written, the spare is neither the old
                // tree nor the new one.
                tree::forget_manifest(&state, &spare)?;
                (spare, m)
            }
            _ => {
                tree::remove(&spare)?;
                let staging = state.join(format!("staging-{}", std::process::id()));
                tree::remove(&staging)?;
                fs::create_dir(&staging)
                    .with_context(|| format!("creating {}", staging.display()))?;
                (staging, Manifest::default())
            }
        };
        let fresh = base.files.is_empty();
        let old = if published.files.is_empty() {
            None
        } else {
            Some(Dir::open(&target).with_context(|| format!("opening {}", target.display()))?)
        };
        Ok(Writer {
            tree: Dir::open(&tree).with_context(|| format!("opening {}", tree.display()))?,
            old,
            target,
            state,
            base,
            published,
            fresh,
            _lock: lock,
            written: AtomicUsize::new(0),
            kept: AtomicUsize::new(0),
        })
    }

    /// The file `path` of the new output, made from `key`: kept when the tree already holds
    /// it unchanged, linked when the published output does, else rendered by `render` into
    /// `buf` and written (or linked, when the bytes come out the same as published).
    pub(crate) fn page(
        &self,
        path: &str,
        key: u64,
        buf: &mut Vec<u8>,
        render: impl FnOnce(&mut Vec<u8>) -> Result<()>,
    ) -> Result<(Entry, Done)> {
        if !is_confined(path) {
            bail!("refusing to write {path:?}, a path outside the output");
        }
        if let Some((k, stamp)) = self.base.get(path)
            && k == key
            && stamp.admits(self.tree.stamp(path))
        {
            return Ok(self.done(
                Entry {
                    path: path.to_owned(),
                    key,
                    stamp,
                },
                Done::Kept,
            ));
        }
        let published = self.old.as_ref().and_then(|old| {
            let (k, stamp) = self.published.get(path)?;
            stamp.admits(old.stamp(path)).then_some((old, k, stamp))
        });
        if let Some((old, k, stamp)) = published
            && k == key
        {
            self.link(old, path)?;
            return Ok(self.done(
                Entry {
                    path: path.to_owned(),
                    key,
                    stamp,
                },
                Done::Kept,
            ));
        }
        render(buf)?;
        if let Some((old, _, stamp)) = published
            && stamp.len == buf.len() as u64
            && old.read(path).is_ok_and(|b| b == *buf)
        {
            // Same bytes as published: linked, so the file keeps its modification time and a
            // deploy that syncs by time or hash uploads nothing for it.
            self.link(old, path)?;
            return Ok(self.done(
                Entry {
                    path: path.to_owned(),
                    key,
                    stamp,
                },
                Done::Written,
            ));
        }
        let stamp = self.write(path, buf)?;
        Ok(self.done(
            Entry {
                path: path.to_owned(),
                key,
                stamp,
            },
            Done::Written,
        ))
    }

    /// Writes `bytes` to a new file at `path` of the tree. Its stamp gets its time when the
    /// build commits ([`Writer::end_time`]).
    fn write(&self, path: &str, bytes: &[u8]) -> Result<Stamp> {
        self.tree
            .create(path, self.fresh)
            .and_then(|mut f| f.write_all(bytes))
            .with_context(|| format!("writing {}", self.tree.join(path).display()))?;
        Ok(Stamp::written(bytes.len()))
    }

    /// The tree's file system's time now, after every file of the build was written: no
    /// file written by the build has a later time. Read from a file made for the purpose,
    /// as the file system's clock may not be this machine's.
    fn end_time(&self) -> Result<u64> {
        const CLOCK: &str = ".versus-clock";
        let go = || -> io::Result<u64> {
            let stamp = Stamp::of(&self.tree.create(CLOCK, false)?.metadata()?);
            self.tree.unlink(CLOCK)?;
            Ok(stamp.mtime)
        };
        go().with_context(|| format!("reading the time of {}", self.tree.path().display()))
    }

    /// Links `path` of the published output into the tree.
    fn link(&self, old: &Dir, path: &str) -> Result<()> {
        self.tree.link_from(old, path).with_context(|| {
            format!(
                "linking {} to {}",
                self.tree.join(path).display(),
                old.join(path).display()
            )
        })
    }

    fn done(&self, entry: Entry, done: Done) -> (Entry, Done) {
        match done {
            Done::Written => self.written.fetch_add(1, Ordering::Relaxed),
            Done::Kept => self.kept.fetch_add(1, Ordering::Relaxed),
        };
        (entry, done)
    }

    /// A file of the site's own (`robots.txt`, an asset): its key is its bytes.
    pub(crate) fn file(&self, path: &str, bytes: &[u8]) -> Result<Entry> {
        let key = fingerprint::of(bytes);
        let (entry, _) = self.page(path, key, &mut Vec::new(), |buf| {
            buf.extend_from_slice(bytes);
            Ok(())
        })?;
        Ok(entry)
    }

    /// Files written as a stream (the sitemap), all made from `key`: `stream` gets a sink
    /// to write each file's bytes to, by name, in order, and returns the names it wrote.
    pub(crate) fn stream(
        &self,
        names: &[String],
        key: u64,
        stream: impl FnOnce(&mut dyn FnMut(&str, &[u8]) -> io::Result<()>) -> io::Result<Vec<String>>,
    ) -> Result<Vec<Entry>> {
        let unchanged = |m: &Manifest, dir: Option<&Dir>| {
            dir.is_some_and(|dir| {
                names.iter().all(|n| {
                    m.get(n)
                        .is_some_and(|(k, s)| k == key && s.admits(dir.stamp(n)))
                })
            })
        };
        if !names.iter().all(|n| is_confined(n)) {
            bail!("refusing to write {names:?}, a path outside the output");
        }
        if unchanged(&self.base, Some(&self.tree)) || unchanged(&self.published, self.old.as_ref())
        {
            return names
                .iter()
                .map(|n| {
                    self.page(n, key, &mut Vec::new(), |_| {
                        Err(anyhow!("{n} changed while kept"))
                    })
                })
                .map(|r| r.map(|(e, _)| e))
                .collect();
        }
        let mut open: Option<(String, io::BufWriter<fs::File>)> = None;
        let written = stream(&mut |name: &str, bytes: &[u8]| {
            if open.as_ref().is_none_or(|(n, _)| n != name) {
                if let Some((_, mut w)) = open.take() {
                    w.flush()?;
                }
                if !names.iter().any(|n| n == name) {
                    return Err(io::Error::other(format!("unexpected file {name}")));
                }
                let file = self.tree.create(name, false)?;
                open = Some((name.to_owned(), io::BufWriter::new(file)));
            }
            open.as_mut().map_or(Ok(()), |(_, w)| w.write_all(bytes))
        })
        .context("writing the sitemap")?;
        if let Some((_, mut w)) = open.take() {
            w.flush()?;
        }
        written
            .iter()
            .map(|n| {
                let stamp = self
                    .tree
                    .stamp(n)
                    .ok_or_else(|| anyhow!("{n} was not written"))?;
                self.written.fetch_add(1, Ordering::Relaxed);
                Ok(Entry {
                    path: n.clone(),
                    key,
                    stamp,
                })
            })
            .collect()
    }

    /// Pages written and pages kept so far.
    pub(crate) fn counts(&self) -> (usize, usize) {
        (
            self.written.load(Ordering::Relaxed),
            self.kept.load(Ordering::Relaxed),
        )
    }

    /// Finishes the new tree — files of the previous one that `entries` does not list are
    /// deleted — and publishes it in place of the output in one step. The old output
    /// becomes the spare the next build starts from.
    pub(crate) fn commit(self, mut entries: Vec<Entry>, keep_manifest: bool) -> Result<()> {
        crash_point("written");
        // What the previous output had and this build did not write (nothing to look for
        // when it had nothing).
        if !self.base.files.is_empty() {
            let listed: std::collections::HashSet<&str> =
                entries.iter().map(|e| e.path.as_str()).collect();
            let stale: Vec<&String> = self
                .base
                .files
                .keys()
                .filter(|p| !listed.contains(p.as_str()))
                .collect();
            tree::delete_all(self.tree.path(), &stale)?;
        }
        // The marker, like every unchanged file, keeps its inode and time.
        let is_marker = |d: &Dir| d.read(MARKER).ok().as_deref() == Some(MARKER_TEXT.as_bytes());
        if !is_marker(&self.tree) {
            match self.old.as_ref().filter(|old| is_marker(old)) {
                Some(old) => self.link(old, MARKER)?,
                None => {
                    self.write(MARKER, MARKER_TEXT.as_bytes())?;
                }
            }
        }
        if keep_manifest {
            let end = self.end_time()?;
            for e in &mut entries {
                e.stamp = e.stamp.written_by(end);
            }
            let file = tree::manifest_path(&self.state, self.tree.path())?;
            manifest::write(&file, &mut entries)
                .with_context(|| format!("writing {}", file.display()))?;
        }
        tree::publish(self.tree.path(), &self.target, &self.state)
    }
}
