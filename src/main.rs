//! The `covplan` binary: no arguments runs the main job on the built-in sample county;
//! a subcommand runs the command line (see `covplan --help`).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    // Piped into `head` and the like, stop quietly when the reader goes away, as command-line
    // tools do, instead of panicking on the failed write (Rust ignores SIGPIPE by default).
    #[cfg(unix)]
    // SAFETY: restoring the default disposition of one signal before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    covplan::cli::main_with_args(std::env::args_os())
}
