//! `versus serve`: build into a private folder, serve it on 127.0.0.1, rebuild on every
//! change to content/, locales/ or templates/ and reload open pages through Server-Sent
//! Events.
//!
//! What is served is exactly what `build` writes plus a small reload script in HTML
//! responses. A failed rebuild keeps serving the last good build, with the errors laid over
//! every page until the next good one. The server is hyper on a one-thread tokio runtime,
//! so a flood of connections costs memory, not threads: connections are capped, a request
//! that does not arrive in full in a few seconds is dropped, live-reload streams are capped,
//! and running out of file descriptors only slows accepting down.

mod http;

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use anyhow::{Context, Result};
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};

use crate::diagnostic::Diagnostics;
use crate::pipeline::{self, BuildOptions, Failure};

/// Options of `versus serve`.
#[derive(Debug, Clone)]
pub(crate) struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
}

/// What the request handlers share with the rebuilds.
struct Shared {
    /// The built site.
    dir: PathBuf,
    /// The last failed build's errors, shown over every page; `None` after a good build.
    errors: RwLock<Option<String>>,
    /// One sender per open event stream.
    listeners: Mutex<Vec<tokio::sync::mpsc::UnboundedSender<()>>>,
}

impl Shared {
    fn notify_all(&self) {
        if let Ok(mut l) = self.listeners.lock() {
            l.retain(|tx| tx.send(()).is_ok());
        }
    }
}

/// How long the files must stay quiet before a rebuild starts.
const DEBOUNCE: Duration = Duration::from_millis(150);

/// Builds, then serves and watches until interrupted (Ctrl-C or SIGTERM), then removes its
/// private folder.
pub(crate) fn serve(opts: &ServeOptions) -> Result<()> {
    let addr: SocketAddr = format!("{}:{}", opts.bind, opts.port)
        .parse()
        .with_context(|| format!("--bind {} --port {}", opts.bind, opts.port))?;
    let listener = TcpListener::bind(addr).with_context(|| format!("listening on {addr}"))?;
    let port = listener.local_addr()?.port();
    let host = if addr.ip().is_unspecified() {
        "127.0.0.1".to_owned()
    } else {
        addr.ip().to_string()
    };
    let base_url = format!("http://{host}:{port}");
    let private = scratch().join(format!("versus-serve-{}-{port}", std::process::id()));
    let shared = Arc::new(Shared {
        dir: private.join("site"),
        errors: RwLock::new(None),
        listeners: Mutex::new(Vec::new()),
    });
    let build = BuildOptions {
        root: opts.root.clone(),
        output: shared.dir.clone(),
        base_url: Some(base_url.clone()),
        progress: false,
        full: false,
        shard: None,
    };
    rebuild(&build, &shared);
    let _watcher = watch(&opts.root, build, Arc::clone(&shared))?;
    println!(
        "serving {} on {base_url}/ (Ctrl-C to stop)",
        opts.root.display()
    );
    let served = http::run(listener, Arc::clone(&shared));
    // The build's state (`.site.versus`) sits beside the site, inside the private folder.
    let _ = std::fs::remove_dir_all(&private);
    served
}

/// Where the preview is built: memory-backed `/dev/shm` where there is one (each rebuild
/// makes a tree of hard links, far cheaper in memory than on disk), else the temp folder.
fn scratch() -> PathBuf {
    let shm = Path::new("/dev/shm");
    if shm.is_dir() && tempfile_probe(shm) {
        shm.to_path_buf()
    } else {
        std::env::temp_dir()
    }
}

/// Whether a folder can be written to.
fn tempfile_probe(dir: &Path) -> bool {
    let probe = dir.join(format!(".versus-probe-{}", std::process::id()));
    let ok = std::fs::write(&probe, b"").is_ok();
    let _ = std::fs::remove_file(&probe);
    ok
}

/// Watches the site's folders and rebuilds after each burst of changes. Reading a file (as
/// a build does) is not a change.
fn watch(
    root: &Path,
    build: BuildOptions,
    shared: Arc<Shared>,
) -> Result<
    notify_debouncer_full::Debouncer<
        impl notify_debouncer_full::notify::Watcher,
        impl notify_debouncer_full::FileIdCache,
    >,
> {
    let mut debouncer = new_debouncer(DEBOUNCE, None, move |events: DebounceEventResult| {
        let changed = events.is_ok_and(|events| {
            events.iter().any(|e| {
                matches!(
                    e.event.kind,
                    EventKind::Create(_)
                        | EventKind::Modify(_)
                        | EventKind::Remove(_)
                        | EventKind::Any
                )
            })
        });
        if changed {
            rebuild(&build, &shared);
        }
    })
    .context("watching the site's files")?;
    for sub in ["content", "locales", "templates"] {
        let path = root.join(sub);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .with_context(|| format!("watching {}", path.display()))?;
        }
    }
    Ok(debouncer)
}

/// Rebuilds into the serve folder, records the outcome and tells every open page.
fn rebuild(opts: &BuildOptions, shared: &Shared) {
    let mut diags = Diagnostics::default();
    let errors = match pipeline::build(opts, &mut diags) {
        Ok(summary) => {
            print!("{}", summary.render("built"));
            None
        }
        Err(Failure::Content(d)) => Some(d.render(&opts.root, false)),
        Err(Failure::System(e)) => Some(format!("{e:#}\n")),
    };
    if let Some(e) = &errors {
        eprintln!("{e}rebuild failed; still serving the last good build");
    }
    if let Ok(mut slot) = shared.errors.write() {
        *slot = errors;
    }
    shared.notify_all();
}
