//! The `versus` command line (SPEC §4). Exit status: 0 success, 1 content or template
//! errors, 2 usage errors (including an output directory Versus may not replace).

#![forbid(unsafe_code)]

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, CommandFactory, Parser, Subcommand};

use versus::diagnostic::Diagnostics;
use versus::pipeline::{self, BuildError, BuildOptions, Shard};
use versus::scaffold::{self, ScaffoldError};
use versus::serve::{self, ServeOptions};
use versus::write::OutputError;

#[derive(Parser)]
#[command(
    name = "versus",
    version,
    about = "Build code-comparison sites: every pair of codes, in every language."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the whole site into the output directory.
    Build(BuildArgs),
    /// Load, validate and render every page without writing; check links and hreflang.
    Check {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Fail on translation fallbacks and warnings too.
        #[arg(long)]
        strict: bool,
        /// Print nothing but problems.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Build, serve on 127.0.0.1, rebuild and reload the browser on every change.
    Serve {
        #[arg(long, default_value = ".")]
        root: PathBuf,
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
    },
    /// Write content/<PROTOCOL>/<CODE>.yaml with every field and language, ready to fill in.
    New {
        protocol: String,
        code: String,
        #[arg(long, default_value = ".")]
        root: PathBuf,
    },
    /// Create a new site that builds at once.
    Init {
        /// Where to create it (empty or new).
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Print shell completions.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff).
    Man,
}

fn color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

fn print_diagnostics(root: &Path, diags: &Diagnostics) {
    if diags.is_empty() {
        return;
    }
    eprint!("{}", diags.render(root, color()));
    let (e, w) = (diags.error_count(), diags.warning_count());
    let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    match (e, w) {
        (0, w) => eprintln!("{}", plural(w, "warning")),
        (e, 0) => eprintln!("{}", plural(e, "error")),
        (e, w) => eprintln!("{}, {}", plural(e, "error"), plural(w, "warning")),
    }
}

fn require_dir(root: &Path) -> Result<(), ExitCode> {
    if root.is_dir() {
        Ok(())
    } else {
        eprintln!("error: the site root {} is not a directory", root.display());
        Err(ExitCode::from(2))
    }
}

/// Options of `versus build`.
#[derive(Args)]
struct BuildArgs {
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
    /// Re-render every page, ignoring the previous build's manifest.
    #[arg(long)]
    full: bool,
    /// Build only slice K of N of the pages (1/3, 2/3, 3/3 on three machines); the union
    /// of all slices is the site.
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
}

fn build(args: BuildArgs) -> ExitCode {
    let BuildArgs {
        root,
        output,
        base_url,
        quiet,
        full,
        shard,
    } = args;
    if let Err(code) = require_dir(&root) {
        return code;
    }
    let opts = BuildOptions {
        output: output.unwrap_or_else(|| root.join("output")),
        root,
        base_url,
        progress: !quiet && std::io::stderr().is_terminal(),
        full,
        shard,
    };
    let mut diags = Diagnostics::default();
    match pipeline::build(&opts, &mut diags) {
        Ok(summary) => {
            print_diagnostics(&opts.root, &diags);
            if !quiet {
                print!("{}", summary.render("built"));
            }
            ExitCode::SUCCESS
        }
        Err(BuildError::Content(diags)) => {
            print_diagnostics(&opts.root, &diags);
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

fn check(root: PathBuf, strict: bool, quiet: bool) -> ExitCode {
    if let Err(code) = require_dir(&root) {
        return code;
    }
    let mut diags = Diagnostics::default();
    let summary = pipeline::check(&root, !quiet && std::io::stderr().is_terminal(), &mut diags);
    if strict {
        diags.make_strict();
    }
    print_diagnostics(&root, &diags);
    let Some(summary) = summary else {
        return ExitCode::from(1);
    };
    let fallbacks: usize = summary.coverage.iter().map(|c| c.fallbacks()).sum();
    if !quiet {
        print!("{}", summary.render("checked"));
        print!("{}", summary.translation_report());
    }
    if diags.has_errors() || (strict && fallbacks > 0) {
        if strict && fallbacks > 0 {
            eprintln!("--strict: {fallbacks} translation fallbacks (see the report above)");
        }
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

fn scaffold_error(e: ScaffoldError, root: &Path) -> ExitCode {
    match e {
        ScaffoldError::Usage(m) => {
            eprintln!("error: {m}");
            ExitCode::from(2)
        }
        ScaffoldError::Content(d) => {
            print_diagnostics(root, &d);
            ExitCode::from(1)
        }
        ScaffoldError::Io(p, e) => {
            eprintln!("error: {}: {e}", p.display());
            ExitCode::from(1)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => build(args),
        Command::Check {
            root,
            strict,
            quiet,
        } => check(root, strict, quiet),
        Command::Serve { root, port, bind } => {
            if let Err(code) = require_dir(&root) {
                return code;
            }
            match serve::serve(&ServeOptions { root, bind, port }) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(2)
                }
            }
        }
        Command::New {
            protocol,
            code,
            root,
        } => match scaffold::new_code(&root, &protocol, &code) {
            Ok(path) => {
                println!(
                    "wrote {}; fill it in, then run `versus check`",
                    path.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => scaffold_error(e, &root),
        },
        Command::Init { dir } => match scaffold::init(&dir) {
            Ok(files) => {
                println!(
                    "created a site with {} files in {}\nnext: versus build --root {}",
                    files.len(),
                    dir.display(),
                    dir.display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => scaffold_error(e, &dir),
        },
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "versus", &mut std::io::stdout());
            ExitCode::SUCCESS
        }
        Command::Man => {
            match clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout()) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::from(1)
                }
            }
        }
    }
}
