//! The `pace` binary: its entry point hands the arguments to the library.
#![no_main]

use std::ffi::{OsString, c_char, c_int};

/// The process's entry point, called by the C library, in place of Rust's
/// own start-up: `pace::cli::main` says why.
#[unsafe(no_mangle)]
extern "C" fn main(argc: c_int, argv: *const *const c_char) -> c_int {
    pace::cli::main(arguments(argc, argv))
}

/// The command line, as the C library passed it.
#[cfg(unix)]
fn arguments(argc: c_int, argv: *const *const c_char) -> Vec<OsString> {
    use std::os::unix::ffi::OsStrExt;
    (0..usize::try_from(argc).unwrap_or(0))
        .map(|i| {
            // SAFETY: the C library passes `argc` pointers to NUL-terminated
            // strings that live as long as the process.
            let arg = unsafe { std::ffi::CStr::from_ptr(*argv.add(i)) };
            std::ffi::OsStr::from_bytes(arg.to_bytes()).to_os_string()
        })
        .collect()
}

/// The command line, as Rust's standard library read it.
#[cfg(not(unix))]
fn arguments(_argc: c_int, _argv: *const *const c_char) -> Vec<OsString> {
    std::env::args_os().collect()
}
