//! Any text as a markdown field: rendering must never panic nor emit markup that runs or
//! fetches something.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| versus::fuzzing::markdown(data));
