//! Reading the site's files safely: only regular files inside the site, each under a size
//! cap checked before reading, so a FIFO cannot hang a build, a symlink to `/dev/zero`
//! cannot exhaust memory, and a symlink cannot pull in a file from outside the site.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diagnostic::{Diagnostic, Pos};

/// The most a YAML file (content or locale) may hold.
pub(crate) const YAML_CAP: u64 = 1 << 20;
/// The most a template may hold.
pub(crate) const TEMPLATE_CAP: u64 = 1 << 20;
/// The most a static asset may hold.
pub(crate) const ASSET_CAP: u64 = 16 << 20;

/// A directory entry of the site: its path relative to the root, and whether it is a
/// directory (after following a symlink that stays inside the site).
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub rel: PathBuf,
    pub name: String,
    pub is_dir: bool,
}

/// The site root, canonical, so symlinks can be checked against it.
#[derive(Debug, Clone)]
pub(crate) struct Root {
    pub dir: PathBuf,
    canonical: Option<PathBuf>,
}

impl Root {
    pub(crate) fn new(dir: &Path) -> Root {
        Root {
            dir: dir.to_path_buf(),
            canonical: dir.canonicalize().ok(),
        }
    }

    /// Whether `path` (under the root) resolves to a place inside the site.
    fn inside(&self, path: &Path) -> bool {
        match (&self.canonical, path.canonicalize()) {
            (Some(root), Ok(real)) => real.starts_with(root),
            _ => false,
        }
    }

    /// The entries of directory `rel`, sorted by name (so output and messages do not depend
    /// on the file system's order); none when it does not exist. Hidden entries are skipped;
    /// a symlink leading out of the site, or to something that is neither a file nor a
    /// directory, is reported and skipped.
    pub(crate) fn children(&self, rel: &Path, problems: &mut Vec<Diagnostic>) -> Vec<Entry> {
        let Ok(read) = fs::read_dir(self.dir.join(rel)) else {
            return Vec::new();
        };
        let mut out: Vec<Entry> = Vec::new();
        for entry in read.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let rel = rel.join(&name);
            let Ok(kind) = entry.file_type() else {
                continue;
            };
            let is_dir = if kind.is_symlink() {
                let full = self.dir.join(&rel);
                if !self.inside(&full) {
                    problems.push(
                        Diagnostic::error(
                            &rel,
                            Pos::FILE,
                            "a symbolic link that leads out of the site",
                        )
                        .with_help("copy the file into the site instead of linking to it"),
                    );
                    continue;
                }
                fs::metadata(&full).is_ok_and(|m| m.is_dir())
            } else {
                kind.is_dir()
            };
            out.push(Entry { rel, name, is_dir });
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        out
    }

    /// Every file under directory `rel`, recursively, sorted; hidden entries skipped.
    pub(crate) fn files_under(&self, rel: &Path, problems: &mut Vec<Diagnostic>) -> Vec<PathBuf> {
        let mut out = Vec::new();
        let mut stack = vec![rel.to_path_buf()];
        while let Some(dir) = stack.pop() {
            for e in self.children(&dir, problems) {
                if e.is_dir {
                    stack.push(e.rel);
                } else {
                    out.push(e.rel);
                }
            }
        }
        out.sort();
        out
    }

    /// Whether `rel` names a regular file (or a symlink to one inside the site).
    pub(crate) fn is_file(&self, rel: &Path) -> bool {
        let full = self.dir.join(rel);
        fs::metadata(&full).is_ok_and(|m| m.is_file())
            && (fs::symlink_metadata(&full).is_ok_and(|m| !m.file_type().is_symlink())
                || self.inside(&full))
    }

    /// Reads the file `rel` if it is a regular file inside the site of at most `cap` bytes.
    pub(crate) fn read(&self, rel: &Path, cap: u64) -> Result<Vec<u8>, Diagnostic> {
        let full = self.dir.join(rel);
        let fail = |msg: String| Diagnostic::error(rel, Pos::FILE, msg);
        let link =
            fs::symlink_metadata(&full).map_err(|e| fail(format!("cannot read the file: {e}")))?;
        if link.file_type().is_symlink() && !self.inside(&full) {
            return Err(fail("a symbolic link that leads out of the site".into())
                .with_help("copy the file into the site instead of linking to it"));
        }
        let meta = fs::metadata(&full).map_err(|e| fail(format!("cannot read the file: {e}")))?;
        if !meta.is_file() {
            return Err(fail(
                "not a regular file (a pipe, a device, a socket or a directory); Versus reads only regular files".into(),
            ));
        }
        if meta.len() > cap {
            return Err(too_big(rel, cap));
        }
        // Checked again while reading: the file may be swapped or grow between the two.
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        match open_regular(&full) {
            Ok(Some(f)) => f.take(cap + 1).read_to_end(&mut bytes),
            Ok(None) => return Err(fail("not a regular file".into())),
            Err(e) => Err(e),
        }
        .map_err(|e| fail(format!("cannot read the file: {e}")))?;
        if bytes.len() as u64 > cap {
            return Err(too_big(rel, cap));
        }
        Ok(bytes)
    }
}

/// Opens `path` for reading if it is a regular file: opened without blocking (a FIFO would
/// otherwise wait for a writer forever), then checked on the open handle, so a file swapped
/// for a FIFO or a device after a check is caught too. `None` for anything else.
pub(crate) fn open_regular(path: &Path) -> std::io::Result<Option<fs::File>> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path)?;
    Ok(file.metadata()?.is_file().then_some(file))
}

/// The bytes of the regular file at `path`, at most `cap` of them; `None` for anything else
/// or on any error. For showing a line of a file in a message, never for content.
pub(crate) fn peek(path: &Path, cap: u64) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    open_regular(path)
        .ok()
        .flatten()?
        .take(cap)
        .read_to_end(&mut bytes)
        .ok()?;
    Some(bytes)
}

fn too_big(rel: &Path, cap: u64) -> Diagnostic {
    Diagnostic::error(
        rel,
        Pos::FILE,
        format!(
            "the file is larger than {} MiB, the most Versus reads for a file of its kind",
            cap >> 20
        ),
    )
    .with_help("split it up, or shorten it; see docs/security.md for the limits")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_regular_files_under_the_cap_only() {
        let tmp = tempfile::tempdir().unwrap();
        let root = Root::new(tmp.path());
        fs::write(tmp.path().join("a.yaml"), "x: 1\n").unwrap();
        fs::write(tmp.path().join("big.yaml"), vec![b'x'; 100]).unwrap();
        assert_eq!(root.read(Path::new("a.yaml"), 10).unwrap(), b"x: 1\n");
        let err = root.read(Path::new("big.yaml"), 10).unwrap_err();
        assert!(err.message.contains("larger than"), "{}", err.message);
        let err = root.read(Path::new("."), 10).unwrap_err();
        assert!(
            err.message.contains("not a regular file"),
            "{}",
            err.message
        );
    }

    #[cfg(unix)]
    #[test]
    fn refuses_links_out_of_the_site_and_special_files() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        fs::create_dir(&site).unwrap();
        fs::write(tmp.path().join("secret"), "s").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret"), site.join("out.yaml")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", site.join("zero.yaml")).unwrap();
        let root = Root::new(&site);
        let err = root.read(Path::new("out.yaml"), 10).unwrap_err();
        assert!(
            err.message.contains("leads out of the site"),
            "{}",
            err.message
        );
        let err = root.read(Path::new("zero.yaml"), 10).unwrap_err();
        assert!(
            err.message.contains("leads out of the site"),
            "{}",
            err.message
        );
        let mut problems = Vec::new();
        assert!(root.children(Path::new(""), &mut problems).is_empty());
        assert_eq!(problems.len(), 2, "both links are reported");
    }
}
