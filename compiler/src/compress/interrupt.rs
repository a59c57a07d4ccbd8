//! Ctrl-C during `acec compress`: the first SIGINT asks the run to stop at its next check (every training
//! batch, every costed block combination, between phases), which ends it with
//! [`CompressError::Interrupted`] (exit code [`SIGINT_EXIT_CODE`]) before anything is written; a second one ends the
//! process at once.
//!
//! The handler is declared against the C library's `signal` rather than through a crate: one call and
//! one atomic store are all it needs (the store is async-signal-safe; so is `_exit`). Without
//! [`install`] (a library caller, or a platform without POSIX signals) nothing ever asks to stop.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::CompressError;
use crate::error::compress::SIGINT_EXIT_CODE;

static REQUESTED: AtomicBool = AtomicBool::new(false);

/// Whether Ctrl-C has asked the run to stop.
pub fn requested() -> bool {
    REQUESTED.load(Ordering::SeqCst)
}

/// `Err(Interrupted)` naming `during` once Ctrl-C has asked the run to stop.
pub fn check(during: &str) -> Result<(), CompressError> {
    if requested() { Err(CompressError::Interrupted { during: during.to_string() }) } else { Ok(()) }
}

/// Routes SIGINT to [`requested`] for the rest of the process.
#[cfg(unix)]
pub fn install() {
    use std::ffi::c_int;

    const SIGINT: c_int = 2;
    unsafe extern "C" {
        fn signal(signum: c_int, handler: extern "C" fn(c_int)) -> usize;
        fn _exit(status: c_int) -> !;
    }
    extern "C" fn on_sigint(_: c_int) {
        if REQUESTED.swap(true, Ordering::SeqCst) {
            // Safety: `_exit` is async-signal-safe; a second Ctrl-C means "now".
            unsafe { _exit(SIGINT_EXIT_CODE) }
        }
    }
    // Safety: the handler only touches an atomic and calls `_exit`, both allowed in a signal handler.
    unsafe { signal(SIGINT, on_sigint) };
}

/// Without POSIX signals Ctrl-C keeps its default effect; the outputs are still written all or nothing.
#[cfg(not(unix))]
pub fn install() {}
