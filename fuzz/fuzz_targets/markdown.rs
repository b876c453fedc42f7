//! Any text as a lesson body: the Markdown renderer never panics at any
//! width and draws no control character.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| pace::fuzz::markdown(data));
