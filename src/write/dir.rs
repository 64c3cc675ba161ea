//! A tree the writer works in, and its files by path relative to it.
//!
//! A build touches every file of the output once or twice (make its folder, create it, read
//! its stamp, link it from the published tree). On Unix the tree is held open and every
//! call is relative to it (`mkdirat`, `openat`, `fstatat`, `linkat`, `unlinkat`), so the
//! kernel resolves only the file's own path inside the tree, not the tree's path from `/`
//! again for each of tens of thousands of files. Elsewhere the same calls take full paths.
//!
//! Callers pass only confined paths ([`super::manifest::is_confined`]): relative, no `..`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::manifest::Stamp;

/// An open directory of the writer's: the tree being made, or the published output.
pub(super) struct Dir {
    path: PathBuf,
    #[cfg(unix)]
    fd: std::os::fd::OwnedFd,
}

impl Dir {
    /// Opens the directory at `path` (which must exist).
    pub(super) fn open(path: &Path) -> io::Result<Dir> {
        #[cfg(unix)]
        let fd = {
            use rustix::fs::{CWD, Mode, OFlags, openat};
            openat(
                CWD,
                path,
                OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
                Mode::empty(),
            )?
        };
        #[cfg(not(unix))]
        if !fs::metadata(path)?.is_dir() {
            return Err(io::Error::other(format!(
                "{} is not a directory",
                path.display()
            )));
        }
        Ok(Dir {
            path: path.to_path_buf(),
            #[cfg(unix)]
            fd,
        })
    }

    /// Where it is, for what takes paths (deleting stale files, publishing).
    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    /// The full path of `rel`, for messages and for what takes paths.
    pub(super) fn join(&self, rel: &str) -> PathBuf {
        self.path.join(rel)
    }

    /// The stamp of the regular file at `rel`, if it is one (not following a symlink).
    pub(super) fn stamp(&self, rel: &str) -> Option<Stamp> {
        #[cfg(unix)]
        {
            use rustix::fs::{AtFlags, FileType, statat};
            let st = statat(&self.fd, rel, AtFlags::SYMLINK_NOFOLLOW).ok()?;
            if FileType::from_raw_mode(st.st_mode as _) != FileType::RegularFile {
                return None;
            }
            // As `Stamp::of` reads `fs::Metadata`: nanoseconds since the epoch, 0 before it.
            let nanos = i128::from(st.st_mtime) * 1_000_000_000 + i128::from(st.st_mtime_nsec);
            Some(Stamp {
                len: u64::try_from(st.st_size).ok()?,
                mtime: u64::try_from(nanos.max(0)).unwrap_or(u64::MAX),
            })
        }
        #[cfg(not(unix))]
        fs::symlink_metadata(self.join(rel))
            .ok()
            .filter(fs::Metadata::is_file)
            .map(|m| Stamp::of(&m))
    }

    /// The bytes of the file at `rel`.
    pub(super) fn read(&self, rel: &str) -> io::Result<Vec<u8>> {
        #[cfg(unix)]
        {
            use io::Read;
            use rustix::fs::{Mode, OFlags, openat};
            let fd = openat(
                &self.fd,
                rel,
                OFlags::RDONLY | OFlags::CLOEXEC,
                Mode::empty(),
            )?;
            let mut bytes = Vec::new();
            fs::File::from(fd).read_to_end(&mut bytes)?;
            Ok(bytes)
        }
        #[cfg(not(unix))]
        fs::read(self.join(rel))
    }

    /// Removes the file at `rel`; one that is not there is no error.
    pub(super) fn unlink(&self, rel: &str) -> io::Result<()> {
        #[cfg(unix)]
        let r = rustix::fs::unlinkat(&self.fd, rel, rustix::fs::AtFlags::empty())
            .map_err(io::Error::from);
        #[cfg(not(unix))]
        let r = fs::remove_file(self.join(rel));
        match r {
            Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Creates the folder of the file at `rel` if it is missing (one `mkdir` in the common
    /// case: the folders above it exist).
    fn ensure_parent(&self, rel: &str) -> io::Result<()> {
        match rel.rsplit_once('/') {
            Some((parent, _)) => self.mkdir_all(parent),
            None => Ok(()),
        }
    }

    fn mkdir_all(&self, rel: &str) -> io::Result<()> {
        #[cfg(unix)]
        let r = rustix::fs::mkdirat(&self.fd, rel, rustix::fs::Mode::from_raw_mode(0o777))
            .map_err(io::Error::from);
        #[cfg(not(unix))]
        let r = fs::create_dir(self.join(rel));
        match r {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                self.ensure_parent(rel)?;
                self.mkdir_all(rel)
            }
            Err(e) if e.kind() != io::ErrorKind::AlreadyExists => Err(e),
            _ => Ok(()),
        }
    }

    /// Creates the file at `rel` (and its folder), empty. An old file (`fresh` says there
    /// is none) is unlinked first, never written through: it may be a hard link shared with
    /// the published output.
    pub(super) fn create(&self, rel: &str, fresh: bool) -> io::Result<fs::File> {
        self.ensure_parent(rel)?;
        if !fresh {
            self.unlink(rel)?;
        }
        #[cfg(unix)]
        {
            use rustix::fs::{Mode, OFlags, openat};
            // Never through a symlink, should one have been put in the tree.
            let flags = OFlags::WRONLY
                | OFlags::CREATE
                | OFlags::TRUNC
                | OFlags::CLOEXEC
                | OFlags::NOFOLLOW;
            let fd = openat(&self.fd, rel, flags, Mode::from_raw_mode(0o666))?;
            Ok(fs::File::from(fd))
        }
        #[cfg(not(unix))]
        fs::File::create(self.join(rel))
    }

    /// Makes `rel` here the same file as `rel` in `from` (a hard link, so its bytes and
    /// modification time are shared; a copy that keeps the modification time where links
    /// are not possible).
    pub(super) fn link_from(&self, from: &Dir, rel: &str) -> io::Result<()> {
        self.ensure_parent(rel)?;
        self.unlink(rel)?;
        #[cfg(unix)]
        let linked =
            rustix::fs::linkat(&from.fd, rel, &self.fd, rel, rustix::fs::AtFlags::empty()).is_ok();
        #[cfg(not(unix))]
        let linked = fs::hard_link(from.join(rel), self.join(rel)).is_ok();
        if !linked {
            let (src, dest) = (from.join(rel), self.join(rel));
            fs::copy(&src, &dest)?;
            let modified = fs::metadata(&src)?.modified()?;
            fs::File::options()
                .write(true)
                .open(&dest)?
                .set_modified(modified)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    #[test]
    fn a_file_created_here_reads_back_with_the_stamp_it_was_written_with() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = Dir::open(tmp.path()).unwrap();
        let mut f = dir.create("a/b/index.html", true).unwrap();
        f.write_all(b"<p>hi</p>").unwrap();
        let written = Stamp::of(&f.metadata().unwrap());
        drop(f);
        // The build records the first, the next build compares the second with it.
        assert_eq!(dir.stamp("a/b/index.html"), Some(written));
        assert_eq!(written.len, 9);
        assert_eq!(dir.read("a/b/index.html").unwrap(), b"<p>hi</p>");
        assert_eq!(dir.stamp("a/b"), None, "a folder has no stamp");
        assert_eq!(dir.stamp("a/missing"), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_has_no_stamp_and_is_replaced_not_written_through() {
        let tmp = tempfile::tempdir().unwrap();
        let outside = tmp.path().join("outside.txt");
        fs::write(&outside, "keep").unwrap();
        fs::create_dir(tmp.path().join("tree")).unwrap();
        std::os::unix::fs::symlink(&outside, tmp.path().join("tree/x.html")).unwrap();
        let dir = Dir::open(&tmp.path().join("tree")).unwrap();
        assert_eq!(dir.stamp("x.html"), None);
        dir.create("x.html", false)
            .unwrap()
            .write_all(b"new")
            .unwrap();
        assert_eq!(fs::read_to_string(&outside).unwrap(), "keep");
        assert_eq!(dir.read("x.html").unwrap(), b"new");
    }

    #[test]
    fn a_linked_file_is_the_published_one_with_its_time() {
        let tmp = tempfile::tempdir().unwrap();
        for d in ["old", "new"] {
            fs::create_dir(tmp.path().join(d)).unwrap();
        }
        let (old, new) = (
            Dir::open(&tmp.path().join("old")).unwrap(),
            Dir::open(&tmp.path().join("new")).unwrap(),
        );
        old.create("p/index.html", true)
            .unwrap()
            .write_all(b"page")
            .unwrap();
        new.link_from(&old, "p/index.html").unwrap();
        assert_eq!(new.stamp("p/index.html"), old.stamp("p/index.html"));
        assert_eq!(new.read("p/index.html").unwrap(), b"page");
        new.unlink("p/index.html").unwrap();
        new.unlink("p/index.html").unwrap();
        assert_eq!(new.stamp("p/index.html"), None);
        assert_eq!(old.read("p/index.html").unwrap(), b"page");
    }
}
