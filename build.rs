//! Embeds the default templates, stylesheet and locales into the binary, so a site may
//! override only the files it wants (Zola-style), and gathers the skeleton of `versus init`
//! (one small protocol taken from the shipped FTP content), so a new site can be written
//! without any file from this repository at hand.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

const SKELETON: &[&str] = &[
    "content/ftp/_protocol.yaml",
    "content/ftp/200.yaml",
    "content/ftp/220.yaml",
    "content/ftp/221.yaml",
    "content/ftp/421.yaml",
    "content/ftp/530.yaml",
    "content/ftp/550.yaml",
];

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, out);
        } else if !path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        {
            out.push(path);
        }
    }
}

fn main() {
    let root =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ["templates", "locales"] {
        println!("cargo:rerun-if-changed={dir}");
        collect(&root.join(dir), &mut files);
    }
    // The skeleton's protocol: FTP with a handful of codes that show every kind of contrast
    // (same class, different classes, facts that differ).
    for file in SKELETON {
        let path = root.join(file);
        println!("cargo:rerun-if-changed={file}");
        if path.is_file() {
            files.push(path);
        }
    }
    let mut src = String::from(
        "/// Default site files: (path relative to a site root, contents).\npub static FILES: &[(&str, &str)] = &[\n",
    );
    for path in &files {
        let rel = path.strip_prefix(&root).expect("collected under the root");
        let rel = rel.to_string_lossy().replace('\\', "/");
        writeln!(
            src,
            "    ({rel:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .expect("write to String");
    }
    src.push_str("];\n");
    // Changes to the generator itself invalidate incremental builds' manifests.
    println!("cargo:rerun-if-changed=src");
    let mut code = Vec::new();
    collect(&root.join("src"), &mut code);
    let mut id: u64 = 0xcbf2_9ce4_8422_2325;
    for path in code.iter().chain(&files) {
        for b in fs::read(path).expect("read a source file") {
            id ^= u64::from(b);
            id = id.wrapping_mul(0x0100_0000_01b3);
        }
    }
    writeln!(src, "/// Fingerprint of Versus's own sources, templates and locales.\npub const BUILD_ID: u64 = {id:#x};")
        .expect("write to String");
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("defaults.rs");
    fs::write(out, src).expect("write defaults.rs");
}
