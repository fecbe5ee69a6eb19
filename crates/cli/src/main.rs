//! The `covplan` binary: no arguments runs the main job on the built-in sample county;
//! a subcommand runs the command line (see `covplan --help`).

mod cli;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (the C enum's value; the Rust binding names no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
// The option after it is named by the binding: if mimalloc renumbers its options, this fails to build.
const _: () = assert!(MI_OPTION_PURGE_DELAY + 1 == libmimalloc_sys::mi_option_use_numa_nodes);

/// How the process takes memory from the system, set before any other thread runs. Both
/// settings are about the price of fresh memory, which the kernel zeroes on first touch: on a
/// virtual machine whose host takes back freed guest memory, ~1-2.5 ms per MB, up to half
/// the time of a million-village analysis in a new process (docs/PERFORMANCE.md).
fn tune_memory() {
    // Freed memory goes back to the system after 10 s instead of 1 s: an analysis frees and
    // allocates hundreds of megabytes (read tables, the results of the analysis before), and
    // memory handed back is zeroed again when taken back. MIMALLOC_PURGE_DELAY still overrides.
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: sets one allocator option (a plain store).
        unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 10_000) };
    }
    // No transparent huge pages: each first touch of a 2 MB page zeroes all of it at once, and
    // on a virtual machine the host must find 2 MB of its own memory for it. Measured on 1M
    // villages in a new process: 0.5-1.6 s of system time instead of 1.2-2.2 s, the same
    // time once the memory is in use. MIMALLOC_ALLOW_THP (any value) leaves it to mimalloc.
    #[cfg(target_os = "linux")]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none() {
        // SAFETY: a process flag, no memory is passed; a kernel without it returns an error,
        // which leaves things as they were.
        unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
    }
}

fn main() -> std::process::ExitCode {
    tune_memory();
    // Piped into `head` and the like, stop quietly when the reader goes away, as command-line
    // tools do, instead of panicking on the failed write (Rust ignores SIGPIPE by default).
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of one signal before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    cli::main_with_args(std::env::args_os())
}
