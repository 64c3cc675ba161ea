//! Replays the fuzz targets' seeds and every input a fuzzing run found troublesome
//! (`fuzz/seeds/<target>/`, `fuzz/regressions/<target>/`) on stable, in `cargo test`: a
//! crash once found stays fixed. docs/security.md says how to fuzz and how to keep a crasher.

use std::fs;

use crate::common::repo;

fn replay(target: &str, run: fn(&[u8])) -> usize {
    let mut n = 0;
    for dir in ["seeds", "regressions"] {
        let Ok(entries) = fs::read_dir(repo().join("fuzz").join(dir).join(target)) else {
            continue;
        };
        for e in entries.flatten().filter(|e| e.path().is_file()) {
            let data = fs::read(e.path()).unwrap();
            let path = e.path();
            let ok = std::panic::catch_unwind(|| run(&data));
            assert!(ok.is_ok(), "{} panics", path.display());
            n += 1;
        }
    }
    n
}

#[test]
fn code_file_inputs_found_by_fuzzing_stay_fixed() {
    assert!(replay("code_file", versus::fuzzing::code_file) >= 3);
}

#[test]
fn markdown_inputs_found_by_fuzzing_stay_fixed() {
    assert!(replay("markdown", versus::fuzzing::markdown) >= 3);
}
