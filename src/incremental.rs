//! Incremental rebuilds: a manifest of every page's input fingerprint, so a build re-renders
//! only the pages whose inputs changed and carries the others over from the previous output
//! as hard links (same bytes, same mtime: a deploy that syncs by mtime or hash uploads only
//! what changed).
//!
//! What a page depends on:
//! - every page: Versus itself, the templates and assets, site.yaml, every locale file, every
//!   `_protocol.yaml` (names appear in the navigation) — the "global" fingerprint;
//! - a pair page: its two code files, and the list of code ids (its related links);
//! - a code page: its code file, and the id, name, class and status of every code of the
//!   protocol (it links every comparison); a protocol index: those and each description
//!   (it shows each code's summary);
//! - the home page: the number of codes of each protocol.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::fingerprint::{self, Fingerprint};
use crate::model::{Code, Site, Tr};
use crate::plan::{self, Kind, Page, Plan};
use crate::write::MARKER;

/// The manifest's name in the output directory.
pub const MANIFEST: &str = ".versus-manifest";

struct ProtocolInputs {
    /// What a code page shows of every code (id, name, class, status), with the protocol.
    listed: u64,
    /// What the protocol index shows of every code (the above and the description's summary).
    indexed: u64,
    /// The code ids, in order.
    ids: u64,
    codes: Vec<u64>,
}

/// The input fingerprints of a site's pages.
pub struct Inputs {
    global: u64,
    /// The site's URLs: base URL, languages, protocols and codes (the sitemap's inputs).
    urls: u64,
    home: u64,
    protocols: Vec<ProtocolInputs>,
}

impl Inputs {
    /// `templates` fingerprints the templates and assets in use.
    pub fn new(site: &Site, templates: u64) -> Inputs {
        let mut global = Fingerprint::new()
            .u64(crate::defaults::BUILD_ID)
            .u64(templates)
            .u64(site.hash);
        for p in &site.protocols {
            global = global.str(&p.id).u64(p.hash);
        }
        let global = global.finish();
        let home = site
            .protocols
            .iter()
            .fold(Fingerprint::new().u64(global), |f, p| {
                f.u64(p.codes.len() as u64)
            })
            .finish();
        let protocols = site
            .protocols
            .iter()
            .map(|p| ProtocolInputs {
                listed: p
                    .codes
                    .iter()
                    .fold(Fingerprint::new().u64(p.hash), listed)
                    .finish(),
                indexed: p
                    .codes
                    .iter()
                    .fold(Fingerprint::new().u64(p.hash), |f, c| {
                        tr(listed(f, c), &c.description)
                    })
                    .finish(),
                ids: p
                    .codes
                    .iter()
                    .fold(Fingerprint::new(), |f, c| f.str(&c.id))
                    .finish(),
                codes: p.codes.iter().map(|c| c.hash).collect(),
            })
            .collect();
        let urls = site
            .protocols
            .iter()
            .fold(Fingerprint::new().u64(site.hash), |f, p| {
                p.codes.iter().fold(f.str(&p.id), |f, c| f.str(&c.id))
            })
            .finish();
        Inputs {
            global,
            urls,
            home,
            protocols,
        }
    }

    /// The fingerprint of the site's URLs.
    pub fn urls(&self) -> u64 {
        self.urls
    }

    /// The fingerprint of everything `page` is made from.
    pub fn of(&self, page: Page) -> u64 {
        let f = Fingerprint::new().u64(page.locale as u64);
        match page.kind {
            Kind::Home => f.u64(self.home),
            Kind::Protocol { p } => f.u64(self.global).u64(self.protocols[p as usize].indexed),
            Kind::Code { p, c } => {
                let pi = &self.protocols[p as usize];
                f.u64(self.global).u64(pi.listed).u64(pi.codes[c as usize])
            }
            Kind::Pair { p, a, b } => {
                let pi = &self.protocols[p as usize];
                f.u64(self.global)
                    .u64(pi.ids)
                    .u64(pi.codes[a as usize])
                    .u64(pi.codes[b as usize])
            }
        }
        .finish()
    }
}

/// Adds what lists of codes show of a code: its id, name, class and status.
fn listed(f: Fingerprint, c: &Code) -> Fingerprint {
    tr(f.str(&c.id), &c.name)
        .u64(c.class.map_or(u64::MAX, |i| i as u64))
        .str(c.status.as_str())
}

/// Adds a translatable text, language by language.
fn tr(f: Fingerprint, t: &Tr) -> Fingerprint {
    t.texts.iter().fold(f, |f, text| match text {
        Some(s) => f.u64(1).str(s),
        None => f.u64(0),
    })
}

/// What the previous build left: its directory and its files' fingerprints (a page's
/// inputs, a shared file's bytes).
pub struct Previous {
    pub dir: PathBuf,
    /// Fingerprint of a file's path → fingerprint of its inputs or bytes.
    files: HashMap<u64, u64>,
}

impl Previous {
    /// Reads the manifest of a previous Versus build in `dir`, if there is one.
    pub fn load(dir: &Path) -> Option<Previous> {
        if !dir.join(MARKER).is_file() {
            return None;
        }
        let text = fs::read_to_string(dir.join(MANIFEST)).ok()?;
        let mut files = HashMap::with_capacity(text.len() / 40);
        for line in text.lines() {
            let (hash, path) = line.split_once(' ')?;
            files.insert(
                fingerprint::of(path.as_bytes()),
                u64::from_str_radix(hash, 16).ok()?,
            );
        }
        Some(Previous {
            dir: dir.to_path_buf(),
            files,
        })
    }

    /// Did the file at `rel` (a path relative to the output, `/`-separated) have exactly this
    /// fingerprint last time?
    pub fn unchanged(&self, rel: &str, hash: u64) -> bool {
        self.files.get(&fingerprint::of(rel.as_bytes())) == Some(&hash)
    }

    /// Whether the previous build's `rel` has exactly these bytes (a page whose inputs
    /// changed may still come out the same).
    pub fn same_bytes(&self, rel: &Path, bytes: &[u8]) -> bool {
        let path = self.dir.join(rel);
        fs::metadata(&path).is_ok_and(|m| m.len() == bytes.len() as u64)
            && fs::read(&path).is_ok_and(|old| old == bytes)
    }

    /// Moves the changed files of `update` (a directory holding only them, laid out like the
    /// output, with the new manifest) into the previous output, and deletes the files the
    /// new manifest no longer lists. The manifest goes last: if anything stops half-way, the
    /// next build sees which pages do not match it and renders them again.
    pub fn apply(&self, update: &Path, current: &HashSet<u64>) -> io::Result<()> {
        let mut moved = Vec::new();
        for entry in walkdir::WalkDir::new(update).min_depth(1).into_iter() {
            let entry = entry.map_err(io::Error::other)?;
            if !entry.file_type().is_file() || entry.file_name() == MANIFEST {
                continue;
            }
            let rel = entry
                .path()
                .strip_prefix(update)
                .map_err(io::Error::other)?
                .to_path_buf();
            moved.push(rel);
        }
        for rel in &moved {
            let to = self.dir.join(rel);
            if let Some(parent) = to.parent() {
                fs::create_dir_all(parent)?;
            }
            fs::rename(update.join(rel), &to)?;
        }
        let old = fs::read_to_string(self.dir.join(MANIFEST))?;
        for line in old.lines() {
            let Some((_, path)) = line.split_once(' ') else {
                continue;
            };
            if current.contains(&fingerprint::of(path.as_bytes())) {
                continue;
            }
            let file = self.dir.join(path);
            match fs::remove_file(&file) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(e),
            }
            // Folders left empty go too (a page's own folder, then its parents).
            let mut dir = file.parent();
            while let Some(d) = dir.filter(|d| *d != self.dir) {
                if fs::remove_dir(d).is_err() {
                    break;
                }
                dir = d.parent();
            }
        }
        fs::rename(update.join(MANIFEST), self.dir.join(MANIFEST))
    }
}

/// Appends `v` as 16 lowercase hex digits.
fn push_hex(v: u64, out: &mut String) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    for shift in (0..16).rev() {
        out.push(char::from(DIGITS[((v >> (shift * 4)) & 0xf) as usize]));
    }
}

/// Writes a manifest: one line per output file, `<fingerprint> <path>`, pages in plan order
/// then the shared files. With `list`, returns the set of path fingerprints it lists (what
/// an incremental build keeps; a full build does not need it, and it grows with the pages).
pub fn write_manifest(
    dir: &Path,
    site: &Site,
    plan: &Plan,
    inputs: &Inputs,
    shared: &[(PathBuf, u64)],
    list: bool,
) -> io::Result<Option<HashSet<u64>>> {
    let mut listed = list.then(|| HashSet::with_capacity(plan.len() + shared.len()));
    let mut out = BufWriter::with_capacity(64 * 1024, fs::File::create(dir.join(MANIFEST))?);
    let mut line = String::with_capacity(80);
    for page in plan.pages() {
        line.clear();
        push_hex(inputs.of(page), &mut line);
        line.push(' ');
        let start = line.len();
        line.push_str(&plan::file_path(site, page));
        if let Some(l) = listed.as_mut() {
            l.insert(fingerprint::of(&line.as_bytes()[start..]));
        }
        line.push('\n');
        out.write_all(line.as_bytes())?;
    }
    for (rel, hash) in shared {
        let path = rel.to_string_lossy();
        if let Some(l) = listed.as_mut() {
            l.insert(fingerprint::of(path.as_bytes()));
        }
        writeln!(out, "{hash:016x} {path}")?;
    }
    out.flush()?;
    Ok(listed)
}
