//! The `covplan` binary: no arguments runs the main job on the built-in sample county;
//! a subcommand runs the command line (see `covplan --help`).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (the C enum's value; the Rust binding names no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() -> std::process::ExitCode {
    // Freed memory goes back to the system after 10 s instead of 1 s: an analysis frees and
    // allocates hundreds of megabytes (read tables, results of the analysis before), and memory
    // handed back is zeroed by the kernel again when taken back, a quarter of the time of a
    // million-village analysis on a virtual machine. MIMALLOC_PURGE_DELAY still overrides.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one allocator option (a plain store) before any other thread runs.
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 10_000) };
    }
    // Piped into `head` and the like, stop quietly when the reader goes away, as command-line
    // tools do, instead of panicking on the failed write (Rust ignores SIGPIPE by default).
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of one signal before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    covplan::cli::main_with_args(std::env::args_os())
}
