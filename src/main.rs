use std::process::ExitCode;

fn main() -> ExitCode {
    pace::cli::main()
}
