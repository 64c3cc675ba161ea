//! Any bytes as a code file: parsing and the error message must never panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| versus::fuzzing::code_file(data));
