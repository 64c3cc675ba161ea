//! Stage 5: the output directory. A build writes into a fresh directory beside the target
//! and swaps it in only when everything succeeded, so a failed build leaves the previous
//! output untouched and a successful one leaves no stale file. Versus only ever replaces a
//! directory that carries its marker file, and carries dot-files at the top of the old
//! output (e.g. the `.git` of a deploy branch) over to the new one.

use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The file that marks a directory as Versus's own output.
pub const MARKER: &str = ".versus-output";
const MARKER_TEXT: &str = "This directory is written by Versus and replaced on every build.\n";

/// Why the output directory cannot be used.
#[derive(Debug)]
pub enum OutputError {
    /// Not empty and not made by Versus: refused, nothing touched.
    Foreign(PathBuf),
    NotADirectory(PathBuf),
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for OutputError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutputError::Foreign(p) => write!(
                f,
                "{} is not empty and was not created by Versus (it has no {MARKER} file); refusing to replace it. Choose another --output or empty it first.",
                p.display()
            ),
            OutputError::NotADirectory(p) => {
                write!(f, "{} exists and is not a directory", p.display())
            }
            OutputError::Io(p, e) => write!(f, "{}: {e}", p.display()),
        }
    }
}

impl std::error::Error for OutputError {}

fn io_err(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |e| OutputError::Io(path.to_path_buf(), e)
}

/// A fresh directory being filled; dropped without `commit`, it is removed.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    committed: bool,
}

/// `parent/.name.versus-<what>-<pid>`: beside the target, so renames stay on one file system.
fn sibling(target: &Path, what: &str) -> PathBuf {
    let name = target
        .file_name()
        .map_or_else(|| OsString::from("output"), OsString::from);
    let mut s = OsString::from(".");
    s.push(name);
    s.push(format!(".versus-{what}-{}", std::process::id()));
    target.with_file_name(s)
}

/// Is `dir` ours to replace: missing, empty, or carrying the marker?
pub fn check_target(target: &Path) -> Result<(), OutputError> {
    match fs::symlink_metadata(target) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(OutputError::Io(target.to_path_buf(), e)),
        Ok(m) if !m.is_dir() => Err(OutputError::NotADirectory(target.to_path_buf())),
        Ok(_) => {
            if target.join(MARKER).is_file() {
                return Ok(());
            }
            let mut entries = fs::read_dir(target).map_err(io_err(target))?;
            if entries.next().is_none() {
                Ok(())
            } else {
                Err(OutputError::Foreign(target.to_path_buf()))
            }
        }
    }
}

impl Staging {
    /// Checks the target and creates the fresh directory beside it.
    pub fn new(target: &Path) -> Result<Staging, OutputError> {
        check_target(target)?;
        let target = if target.is_absolute() {
            target.to_path_buf()
        } else {
            std::env::current_dir()
                .map_err(io_err(target))?
                .join(target)
        };
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        let dir = sibling(&target, "new");
        if dir.exists() {
            fs::remove_dir_all(&dir).map_err(io_err(&dir))?;
        }
        fs::create_dir(&dir).map_err(io_err(&dir))?;
        Ok(Staging {
            target,
            dir,
            committed: false,
        })
    }

    /// Where to write the new output.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Swaps the new output in: the old one moves aside, the new one takes its name, the
    /// old one's top-level dot-files move over, and the old one is deleted.
    pub fn commit(mut self) -> Result<(), OutputError> {
        fs::write(self.dir.join(MARKER), MARKER_TEXT).map_err(io_err(&self.dir))?;
        // Checked again: the directory may have changed while the site was rendering.
        check_target(&self.target)?;
        if self.target.exists() {
            let old = sibling(&self.target, "old");
            if old.exists() {
                fs::remove_dir_all(&old).map_err(io_err(&old))?;
            }
            fs::rename(&self.target, &old).map_err(io_err(&self.target))?;
            if let Err(e) = fs::rename(&self.dir, &self.target) {
                // Put the previous output back before reporting.
                let _ = fs::rename(&old, &self.target);
                return Err(OutputError::Io(self.target.clone(), e));
            }
            self.committed = true;
            for entry in fs::read_dir(&old).map_err(io_err(&old))?.flatten() {
                let name = entry.file_name();
                // Dot-files of the site's owner move over; Versus's own state files do not.
                if name.to_string_lossy().starts_with('.')
                    && !name.to_string_lossy().starts_with(".versus-")
                {
                    fs::rename(entry.path(), self.target.join(&name))
                        .map_err(io_err(&entry.path()))?;
                }
            }
            fs::remove_dir_all(&old).map_err(io_err(&old))?;
        } else {
            fs::rename(&self.dir, &self.target).map_err(io_err(&self.target))?;
            self.committed = true;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_foreign_non_empty_directory() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("precious.txt"), "keep").unwrap();
        assert!(matches!(Staging::new(&out), Err(OutputError::Foreign(_))));
        assert_eq!(
            fs::read_to_string(out.join("precious.txt")).unwrap(),
            "keep"
        );
    }

    #[test]
    fn swaps_in_new_output_keeping_dot_files_and_dropping_stale_ones() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let s = Staging::new(&out).unwrap();
        fs::write(s.dir().join("stale.html"), "old").unwrap();
        s.commit().unwrap();
        fs::create_dir(out.join(".git")).unwrap();
        fs::write(out.join(".git/HEAD"), "ref").unwrap();

        let s = Staging::new(&out).unwrap();
        fs::write(s.dir().join("index.html"), "new").unwrap();
        s.commit().unwrap();
        assert!(!out.join("stale.html").exists());
        assert_eq!(fs::read_to_string(out.join("index.html")).unwrap(), "new");
        assert_eq!(fs::read_to_string(out.join(".git/HEAD")).unwrap(), "ref");
        assert!(out.join(MARKER).is_file());
        let leftovers: Vec<_> = fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, vec![OsString::from("out")]);
    }

    #[test]
    fn an_abandoned_build_leaves_nothing_behind() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let s = Staging::new(&out).unwrap();
        fs::write(s.dir().join("x"), "x").unwrap();
        drop(s);
        assert_eq!(fs::read_dir(tmp.path()).unwrap().count(), 0);
    }
}
