//! Any bytes as a module file, a curriculum and an organisation profile:
//! the loader and validator never panic, problems print no control
//! character, and every module that loads renders cleanly.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pace::fuzz::module_file(data));
