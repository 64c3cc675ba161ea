//! Embeds `defaults/` into the binary: the built-in templates, stylesheet and locales (a
//! site overrides only the files it wants, as with Zola's themes) and the skeleton of
//! `versus init`, so a new site can be written without any file of this repository at hand.
//! It reads nothing of the shipped site (`content/`, `locales/`, `templates/`): editing the
//! site never recompiles Versus.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::{env, fs};

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
    println!("cargo:rerun-if-changed=defaults");
    collect(&root.join("defaults"), &mut files);
    let mut src = String::from(
        "/// Built-in files: (path relative to defaults/, contents).\npub(crate) static FILES: &[(&str, &str)] = &[\n",
    );
    for path in &files {
        let rel = path
            .strip_prefix(root.join("defaults"))
            .expect("collected under defaults/");
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
    writeln!(src, "/// Fingerprint of Versus's own sources, templates and locales.\npub(crate) const BUILD_ID: u64 = {id:#x};")
        .expect("write to String");
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("defaults.rs");
    fs::write(out, src).expect("write defaults.rs");
}
