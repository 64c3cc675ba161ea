//! The `versus` command: everything is in the library's [`versus::cli`].

#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    versus::cli::main()
}
