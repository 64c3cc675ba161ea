//! The file operations of the writer: the lock, recovery from a killed build, manifests by
//! tree identity, writing and linking files, deleting stale ones without following a
//! symlink out of the tree, and publishing a tree with one atomic exchange.

use std::collections::HashSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use super::manifest::Manifest;
use super::{MARKER, Refused, crash_point};

/// Takes the lock of an output's state folder, held until the returned file is dropped
/// (also when the process dies). A second build fails at once rather than waiting: two
/// builds into one output is a mistake to report, not to queue.
pub(super) fn lock(state: &Path) -> Result<fs::File> {
    let path = state.join("lock");
    let mut file = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .with_context(|| format!("opening {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(fs::TryLockError::WouldBlock) => {
            let holder = fs::read_to_string(&path).unwrap_or_default();
            let holder = holder.trim();
            return Err(Refused(format!(
                "another `versus build` is writing this output{} (lock {}); wait for it to finish, or stop it, and build again",
                if holder.is_empty() { String::new() } else { format!(", process {holder}") },
                path.display()
            ))
            .into());
        }
        Err(fs::TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("locking {}", path.display()));
        }
    }
    file.set_len(0)?;
    write!(file, "{}", std::process::id())?;
    Ok(file)
}

/// Undoes what a killed build may have left: the site owner's dot-files (a deploy branch's
/// `.git`) moved into a tree that was never published go back, and staging trees are
/// removed. Runs under the lock, so nothing else is using them.
pub(super) fn recover(target: &Path, state: &Path) -> Result<()> {
    let journal = state.join("publishing");
    if let Ok(from) = fs::read_to_string(&journal) {
        let from = PathBuf::from(from.trim());
        if !target.exists() && from.starts_with(state) && from.is_dir() {
            fs::rename(&from, target)
                .with_context(|| format!("finishing the publication of {}", target.display()))?;
        }
        fs::remove_file(&journal)?;
    }
    let Ok(entries) = fs::read_dir(state) else {
        return Ok(());
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name == "spare" || name.starts_with("staging-") || name.starts_with("old-")) {
            continue;
        }
        let dir = entry.path();
        if target.is_dir() {
            for dot in dot_files(&dir) {
                let home = target.join(dot.file_name().unwrap_or_default());
                if !home.exists() {
                    fs::rename(&dot, &home)
                        .with_context(|| format!("moving {} back", dot.display()))?;
                }
            }
        }
        if name != "spare" {
            remove(&dir)?;
        }
    }
    Ok(())
}

/// The site owner's files at the top of a tree: hidden ones other than Versus's own.
fn dot_files(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .filter(|e| {
                    let n = e.file_name();
                    let n = n.to_string_lossy();
                    n.starts_with('.') && n != MARKER && !n.starts_with(".versus-")
                })
                .map(|e| e.path())
                .collect()
        })
        .unwrap_or_default()
}

/// The identity of a directory (device and inode): a manifest describes one tree whatever
/// it is called, so swapping two trees swaps their manifests with them.
#[cfg(unix)]
fn identity(dir: &Path) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let m = fs::symlink_metadata(dir)
        .ok()
        .filter(fs::Metadata::is_dir)?;
    Some(format!("{}-{}", m.dev(), m.ino()))
}

/// Without inode numbers no tree is recognised, and every build starts from nothing.
#[cfg(not(unix))]
fn identity(_dir: &Path) -> Option<String> {
    None
}

pub(super) fn manifest_path(state: &Path, dir: &Path) -> Result<PathBuf> {
    let id = identity(dir).with_context(|| format!("identifying {}", dir.display()))?;
    Ok(state.join(format!("manifest-{id}")))
}

/// The manifest of the tree at `dir`, if it has a sound one. A manifest that names a path
/// outside its tree is reported and ignored: the build then writes every file anew.
pub(super) fn manifest_of(state: &Path, dir: &Path) -> Option<Manifest> {
    let file = state.join(format!("manifest-{}", identity(dir)?));
    if !file.is_file() {
        return None;
    }
    match Manifest::read(&file) {
        Ok(m) => Some(m),
        Err(why) => {
            eprintln!(
                "warning: ignoring {} ({why}); building every page anew",
                file.display()
            );
            None
        }
    }
}

pub(super) fn forget_manifest(state: &Path, dir: &Path) -> Result<()> {
    if let Some(id) = identity(dir) {
        unlink(&state.join(format!("manifest-{id}")))?;
    }
    Ok(())
}

/// Removes a directory of Versus's own (a staging tree or the spare), if it exists.
pub(super) fn remove(dir: &Path) -> Result<()> {
    match fs::remove_dir_all(dir) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => {
            Err(e).with_context(|| format!("removing {}", dir.display()))
        }
        _ => Ok(()),
    }
}

pub(super) fn unlink(path: &Path) -> io::Result<()> {
    match fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Deletes `paths` (confined, relative to `tree`) and the folders they leave empty, never
/// through a symlink: a path whose folders are not all real folders of the tree is left.
pub(super) fn delete_all(tree: &Path, paths: &[&String]) -> Result<()> {
    let mut real: HashSet<PathBuf> = HashSet::new();
    let mut emptied: Vec<PathBuf> = Vec::new();
    for rel in paths {
        let file = tree.join(rel.as_str());
        let mut ok = true;
        let mut dir = file.parent();
        while let Some(d) = dir.filter(|d| *d != tree) {
            if !real.contains(d) {
                if !fs::symlink_metadata(d).is_ok_and(|m| m.is_dir()) {
                    ok = false;
                    break;
                }
                real.insert(d.to_path_buf());
            }
            dir = d.parent();
        }
        if ok && fs::symlink_metadata(&file).is_ok_and(|m| !m.is_dir()) {
            fs::remove_file(&file).with_context(|| format!("removing {}", file.display()))?;
            emptied.extend(file.parent().map(Path::to_path_buf));
        }
    }
    emptied.sort_by_key(|d| std::cmp::Reverse(d.components().count()));
    for d in emptied {
        let mut dir = Some(d.as_path());
        while let Some(x) = dir.filter(|x| *x != tree && x.starts_with(tree)) {
            if fs::remove_dir(x).is_err() {
                break;
            }
            dir = x.parent();
        }
    }
    Ok(())
}

/// Publishes `tree` as `target`: the owner's dot-files move over first (never after, so a
/// kill cannot strand them), then the two directories are exchanged in one step, and the
/// old output is kept as the spare the next build starts from.
pub(super) fn publish(tree: &Path, target: &Path, state: &Path) -> Result<()> {
    let spare = state.join("spare");
    if !target.exists() {
        fs::rename(tree, target)
            .with_context(|| format!("moving the new output to {}", target.display()))?;
        // The output was deleted or moved: its manifest (and the spare's) are of no use.
        forget_others(state, &[target, &spare]);
        return Ok(());
    }
    for dot in dot_files(target) {
        let to = tree.join(dot.file_name().unwrap_or_default());
        remove_any(&to)?;
        fs::rename(&dot, &to)
            .with_context(|| format!("moving {} into the new output", dot.display()))?;
    }
    crash_point("carried");
    if exchange(tree, target)? {
        crash_point("swapped");
        if tree != spare {
            remove(&spare)?;
            fs::rename(tree, &spare)
                .with_context(|| format!("keeping the old output as {}", spare.display()))?;
        }
    } else {
        // No atomic exchange here: two renames, with a journal so that a build killed
        // between them is finished by the next one.
        let old = state.join(format!("old-{}", std::process::id()));
        fs::write(state.join("publishing"), tree.to_string_lossy().as_bytes())?;
        fs::rename(target, &old).with_context(|| format!("moving {} aside", target.display()))?;
        fs::rename(tree, target)
            .with_context(|| format!("moving the new output to {}", target.display()))?;
        fs::remove_file(state.join("publishing"))?;
        remove(&spare)?;
        fs::rename(&old, &spare)?;
    }
    forget_others(state, &[target, &spare]);
    Ok(())
}

fn remove_any(path: &Path) -> Result<()> {
    match fs::symlink_metadata(path) {
        Ok(m) if m.is_dir() => remove(path),
        Ok(_) => Ok(unlink(path)?),
        Err(_) => Ok(()),
    }
}

/// Exchanges two directories atomically; `false` where the system cannot.
#[cfg(any(target_os = "linux", target_os = "android", target_vendor = "apple"))]
fn exchange(a: &Path, b: &Path) -> Result<bool> {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    match renameat_with(CWD, a, CWD, b, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(true),
        Err(e)
            if [
                rustix::io::Errno::INVAL,
                rustix::io::Errno::NOSYS,
                rustix::io::Errno::NOTSUP,
            ]
            .contains(&e) =>
        {
            Ok(false)
        }
        Err(e) => Err(io::Error::from(e))
            .with_context(|| format!("exchanging {} and {}", a.display(), b.display())),
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_vendor = "apple")))]
fn exchange(_a: &Path, _b: &Path) -> Result<bool> {
    Ok(false)
}

/// Removes the manifests of trees that no longer exist.
fn forget_others(state: &Path, trees: &[&Path]) {
    let keep: Vec<String> = trees
        .iter()
        .filter_map(|t| identity(t).map(|id| format!("manifest-{id}")))
        .collect();
    if let Ok(entries) = fs::read_dir(state) {
        for e in entries.flatten() {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with("manifest-") && !keep.contains(&name) {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}
