//! The `versus` command line (SPEC §4). One exit policy, in [`main`]: 0 success, 1 content
//! or template errors and system errors, 2 usage errors (a bad argument, an output Versus
//! may not replace, another build holding the output). A closed standard output (`versus
//! check | head`) ends the command quietly with 0, as ripgrep does.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, CommandFactory, Parser, Subcommand};

use crate::diagnostic::Diagnostics;
use crate::pipeline::{self, BuildOptions, Failure};
use crate::scaffold::{self, ScaffoldError};
use crate::serve::{self, ServeOptions};
use crate::shard::Shard;
use crate::write::Refused;

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
    /// Load, validate and render every page without writing; check links, hreflang and
    /// the comparison rules.
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
    /// Render every page anew, reusing nothing of the previous build.
    #[arg(long)]
    full: bool,
    /// Build only slice K of N of the pages (1/3, 2/3, 3/3 on three machines); the union
    /// of all slices is the site.
    #[arg(long, value_name = "K/N")]
    shard: Option<Shard>,
}

/// Runs the command line and turns its outcome into an exit status.
pub fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) if e.downcast_ref::<Refused>().is_some() => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<io::Error>())
        .any(|io| io.kind() == io::ErrorKind::BrokenPipe)
}

/// Writes to standard output; a closed pipe comes back as an error ending the command.
fn print(text: &str) -> Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Build(args) => build(args),
        Command::Check {
            root,
            strict,
            quiet,
        } => check(&root, strict, quiet),
        Command::Serve { root, port, bind } => {
            require_dir(&root)?;
            serve::serve(&ServeOptions { root, bind, port })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::New {
            protocol,
            code,
            root,
        } => {
            let path = scaffold::new_code(&root, &protocol, &code)
                .map_err(|e| scaffold_error(e, &root))?;
            print(&format!(
                "wrote {}; fill it in, then run `versus check`\n",
                path.display()
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir } => {
            let files = scaffold::init(&dir).map_err(|e| scaffold_error(e, &dir))?;
            print(&format!(
                "created a site with {} files in {}\nnext: versus build --root {}\n",
                files.len(),
                dir.display(),
                dir.display()
            ))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Completions { shell } => {
            let mut buf = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "versus", &mut buf);
            print(&String::from_utf8_lossy(&buf))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Man => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(Cli::command()).render(&mut buf)?;
            print(&String::from_utf8_lossy(&buf))?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn color() -> bool {
    io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Prints the problems of a run (to standard error) with their count.
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

fn require_dir(root: &Path) -> Result<()> {
    if root.is_dir() {
        Ok(())
    } else {
        Err(Refused(format!(
            "the site root {} is not a directory",
            root.display()
        ))
        .into())
    }
}

fn build(args: BuildArgs) -> Result<ExitCode> {
    let BuildArgs {
        root,
        output,
        base_url,
        quiet,
        full,
        shard,
    } = args;
    require_dir(&root)?;
    let opts = BuildOptions {
        output: output.unwrap_or_else(|| root.join("output")),
        root,
        base_url,
        progress: !quiet && io::stderr().is_terminal(),
        full,
        shard,
    };
    let mut diags = Diagnostics::default();
    match pipeline::build(&opts, &mut diags) {
        Ok(summary) => {
            print_diagnostics(&opts.root, &diags);
            if !quiet {
                print(&summary.render("built"))?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(Failure::Content(diags)) => {
            print_diagnostics(&opts.root, &diags);
            eprintln!("build failed; the previous output is untouched");
            Ok(ExitCode::from(1))
        }
        Err(Failure::System(e)) if e.downcast_ref::<Refused>().is_some() => Err(e),
        Err(Failure::System(e)) => Err(e.context("build failed; the previous output is untouched")),
    }
}

fn check(root: &Path, strict: bool, quiet: bool) -> Result<ExitCode> {
    require_dir(root)?;
    let mut diags = Diagnostics::default();
    let summary = pipeline::check(root, !quiet && io::stderr().is_terminal(), &mut diags);
    if strict {
        diags.make_strict();
    }
    print_diagnostics(root, &diags);
    let Some(summary) = summary else {
        return Ok(ExitCode::from(1));
    };
    let fallbacks: usize = summary.coverage.iter().map(|c| c.fallbacks()).sum();
    if !quiet {
        print(&summary.render("checked"))?;
        print(&summary.translation_report())?;
    }
    if diags.has_errors() || (strict && fallbacks > 0) {
        if strict && fallbacks > 0 {
            eprintln!("--strict: {fallbacks} translation fallbacks (see the report above)");
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// A scaffold command's failure as the error the exit policy reads.
fn scaffold_error(e: ScaffoldError, root: &Path) -> anyhow::Error {
    match e {
        ScaffoldError::Usage(m) => Refused(m).into(),
        ScaffoldError::Content(d) => {
            print_diagnostics(root, &d);
            anyhow::anyhow!("the site's files have errors")
        }
        ScaffoldError::Io(p, e) => anyhow::Error::new(e).context(p.display().to_string()),
    }
}
