//! The `covplan` binary: no arguments runs the main job on the built-in sample county;
//! a subcommand runs the command line (see `covplan --help`).

fn main() -> std::process::ExitCode {
    covplan::cli::main_with_args(std::env::args_os())
}
