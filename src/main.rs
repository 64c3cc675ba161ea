//! The `versus` command line (SPEC §4). Exit status: 0 success, 1 content or template
//! errors, 2 usage errors (including an output directory Versus may not replace).

#![forbid(unsafe_code)]

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use versus::diagnostic::Diagnostics;
use versus::pipeline::{self, BuildError, BuildOptions};
use versus::write::OutputError;

#[derive(Parser)]
#[command(
    name = "versus",
    version,
    about = "Build code-comparison sites: every pair of codes, every language."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the whole site into the output directory.
    Build {
        /// The site's root (holding content/, locales/, templates/).
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site [default: <root>/output].
        #[arg(long)]
        output: Option<PathBuf>,
        /// Override site.yaml's base_url (e.g. for a preview deploy).
        #[arg(long)]
        base_url: Option<String>,
        /// Print nothing but errors.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Load, validate and render everything without writing.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Treat warnings and translation fallbacks as errors.
        #[arg(long)]
        strict: bool,
    },
}

fn print_diagnostics(root: &std::path::Path, diags: &Diagnostics) {
    if diags.is_empty() {
        return;
    }
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    eprint!("{}", diags.render(root, color));
    let (e, w) = (diags.error_count(), diags.warning_count());
    if e > 0 {
        eprintln!(
            "{e} error{}{}",
            if e == 1 { "" } else { "s" },
            if w > 0 {
                format!(", {w} warning{}", if w == 1 { "" } else { "s" })
            } else {
                String::new()
            }
        );
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let root = match &cli.command {
        Command::Build { root, .. } | Command::Check { root, .. } => root,
    };
    if !root.is_dir() {
        eprintln!("error: the site root {} is not a directory", root.display());
        return ExitCode::from(2);
    }
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
            quiet,
        } => {
            let output = output.unwrap_or_else(|| root.join("output"));
            let opts = BuildOptions {
                root: root.clone(),
                output,
                base_url,
            };
            let mut diags = Diagnostics::default();
            match pipeline::build(&opts, &mut diags) {
                Ok(summary) => {
                    print_diagnostics(&root, &diags);
                    if !quiet {
                        print!("{}", summary.render("built"));
                    }
                    ExitCode::SUCCESS
                }
                Err(BuildError::Content(diags)) => {
                    print_diagnostics(&root, &diags);
                    eprintln!("build failed; the previous output is untouched");
                    ExitCode::from(1)
                }
                Err(BuildError::Output(e)) => {
                    eprintln!("error: {e}");
                    ExitCode::from(match e {
                        OutputError::Foreign(_) | OutputError::NotADirectory(_) => 2,
                        OutputError::Io(..) => 1,
                    })
                }
            }
        }
        Command::Check { root, strict } => {
            let mut diags = Diagnostics::default();
            let summary = pipeline::check(&root, &mut diags);
            let fallbacks: usize = summary
                .as_ref()
                .map_or(0, |s| s.coverage.iter().map(|c| c.fallbacks()).sum());
            if strict {
                diags.make_strict();
            }
            print_diagnostics(&root, &diags);
            let failed = diags.has_errors() || (strict && fallbacks > 0);
            match summary {
                Some(s) if !failed => {
                    print!("{}", s.render("checked"));
                    ExitCode::SUCCESS
                }
                Some(s) => {
                    eprint!("{}", s.render("checked"));
                    if strict && fallbacks > 0 {
                        eprintln!("--strict: {fallbacks} translation fallbacks");
                    }
                    ExitCode::from(1)
                }
                None => ExitCode::from(1),
            }
        }
    }
}
