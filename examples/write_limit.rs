//! The write-limit baseline of the benchmark (`scripts/bench`): writes exactly the files of a
//! built site (same paths, same bytes) with no rendering, so the benchmark can say how close
//! `versus build` comes to the cost of merely writing its output.
//!
//! `write_limit pack <site-dir> <pack-file>` stores a built tree in one file;
//! `write_limit write <pack-file> <out-dir>` reads it and writes every file, in parallel like
//! Versus does, creating directories as it goes.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

fn pack(site: &Path, pack: &Path) -> io::Result<()> {
    let mut out = io::BufWriter::new(fs::File::create(pack)?);
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| e.path().to_path_buf())
        .collect();
    files.sort();
    for f in files {
        let rel = f
            .strip_prefix(site)
            .map_err(io::Error::other)?
            .to_string_lossy()
            .into_owned();
        let data = fs::read(&f)?;
        out.write_all(&(rel.len() as u32).to_le_bytes())?;
        out.write_all(rel.as_bytes())?;
        out.write_all(&(data.len() as u64).to_le_bytes())?;
        out.write_all(&data)?;
    }
    out.flush()
}

fn write(pack: &Path, out: &Path) -> io::Result<()> {
    let mut blob = Vec::new();
    fs::File::open(pack)?.read_to_end(&mut blob)?;
    let mut entries: Vec<(&str, &[u8])> = Vec::new();
    let mut i = 0;
    let take = |i: &mut usize, n: usize| -> io::Result<&[u8]> {
        let s = blob
            .get(*i..*i + n)
            .ok_or_else(|| io::Error::other("truncated pack"))?;
        *i += n;
        Ok(s)
    };
    while i < blob.len() {
        let n = u32::from_le_bytes(take(&mut i, 4)?.try_into().map_err(io::Error::other)?) as usize;
        let path = std::str::from_utf8(take(&mut i, n)?).map_err(io::Error::other)?;
        let len =
            u64::from_le_bytes(take(&mut i, 8)?.try_into().map_err(io::Error::other)?) as usize;
        entries.push((path, take(&mut i, len)?));
    }
    fs::create_dir_all(out)?;
    entries.par_iter().try_for_each(|(path, data)| {
        let file = out.join(path);
        match fs::write(&file, data) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                if let Some(parent) = file.parent() {
                    fs::create_dir_all(parent)?;
                }
                fs::write(&file, data)
            }
            Err(e) => Err(e),
        }
    })
}

fn main() -> io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1..) {
        Some([cmd, from, to]) if cmd == "pack" => pack(Path::new(from), Path::new(to)),
        Some([cmd, from, to]) if cmd == "write" => write(Path::new(from), Path::new(to)),
        _ => {
            eprintln!(
                "usage: write_limit pack <site-dir> <pack-file> | write <pack-file> <out-dir>"
            );
            std::process::exit(2);
        }
    }
}
