//! `versus serve`: build, serve on 127.0.0.1, rebuild on every change to content/, locales/
//! or templates/ and reload open pages through Server-Sent Events.
//!
//! What is served is exactly what `build` writes (into a private directory) plus a small
//! reload script injected into HTML responses. A failed rebuild keeps serving the last good
//! build, with the errors laid over every page until the next good one.

use std::io::{self, Write};
use std::net::SocketAddr;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use notify::{Event, EventKind, RecursiveMode, Watcher};
use tiny_http::{Header, Request, Response, Server};

use crate::diagnostic::Diagnostics;
use crate::locale::escape;
use crate::pipeline::{self, BuildOptions, Failure};

/// The path the reload script listens on.
pub const EVENTS_PATH: &str = "/__versus/events";

const RELOAD_SCRIPT: &str = "<script>(function(){var s=new EventSource(\"/__versus/events\");s.onmessage=function(){location.reload()};})();</script>";

/// Options of `versus serve`.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub root: PathBuf,
    pub bind: String,
    pub port: u16,
}

/// What every request thread needs to know.
struct Shared {
    dir: PathBuf,
    /// The last failed build's errors, shown over every page; `None` after a good build.
    errors: Mutex<Option<String>>,
    /// One sender per open event stream.
    listeners: Mutex<Vec<Sender<()>>>,
}

impl Shared {
    fn notify_all(&self) {
        if let Ok(mut l) = self.listeners.lock() {
            l.retain(|tx| tx.send(()).is_ok());
        }
    }
}

/// Builds, then serves and watches until the process is stopped.
pub fn serve(opts: &ServeOptions) -> io::Result<()> {
    let addr: SocketAddr = format!("{}:{}", opts.bind, opts.port)
        .parse()
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, format!("--bind/--port: {e}")))?;
    let server =
        Server::http(addr).map_err(|e| io::Error::new(io::ErrorKind::AddrInUse, e.to_string()))?;
    let port = server.server_addr().to_ip().map_or(opts.port, |a| a.port());
    let host = if addr.ip().is_unspecified() {
        "127.0.0.1".to_owned()
    } else {
        addr.ip().to_string()
    };
    let base_url = format!("http://{host}:{port}");
    let dir = std::env::temp_dir().join(format!("versus-serve-{}-{port}", std::process::id()));
    // The preview lives in a private temporary folder, removed when serving stops.
    {
        let dir = dir.clone();
        let _ = ctrlc::set_handler(move || {
            let _ = std::fs::remove_dir_all(&dir);
            std::process::exit(0);
        });
    }
    let shared = Arc::new(Shared {
        dir: dir.join("site"),
        errors: Mutex::new(None),
        listeners: Mutex::new(Vec::new()),
    });
    let build_opts = BuildOptions {
        root: opts.root.clone(),
        output: shared.dir.clone(),
        base_url: Some(base_url.clone()),
        progress: false,
        full: false,
        shard: None,
    };
    rebuild(&build_opts, &shared);
    println!(
        "serving {} on {base_url}/ (Ctrl-C to stop)",
        opts.root.display()
    );

    let (tx, rx) = mpsc::channel::<notify::Result<Event>>();
    let mut watcher =
        notify::recommended_watcher(tx).map_err(|e| io::Error::other(e.to_string()))?;
    for sub in ["content", "locales", "templates"] {
        let path = opts.root.join(sub);
        if path.is_dir() {
            watcher
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| io::Error::other(e.to_string()))?;
        }
    }
    {
        let shared = Arc::clone(&shared);
        std::thread::spawn(move || {
            for request in server.incoming_requests() {
                let shared = Arc::clone(&shared);
                std::thread::spawn(move || handle(request, &shared));
            }
        });
    }
    while let Ok(event) = rx.recv() {
        if !is_change(&event) {
            continue;
        }
        // Debounce: an editor's save is several events; wait for a quiet moment.
        while let Ok(more) = rx.recv_timeout(DEBOUNCE) {
            let _ = more;
        }
        rebuild(&build_opts, &shared);
    }
    Ok(())
}

/// How long the files must stay quiet before a rebuild starts.
const DEBOUNCE: Duration = Duration::from_millis(120);

/// A change worth a rebuild: files created, modified or removed (reading them, as a build
/// does, is not).
fn is_change(event: &notify::Result<Event>) -> bool {
    matches!(
        event,
        Ok(Event {
            kind: EventKind::Create(_)
                | EventKind::Modify(_)
                | EventKind::Remove(_)
                | EventKind::Any,
            ..
        })
    )
}

/// Rebuilds into the serve directory, records the outcome and tells every open page.
fn rebuild(opts: &BuildOptions, shared: &Shared) {
    let mut diags = Diagnostics::default();
    let outcome = pipeline::build(opts, &mut diags);
    let errors = match outcome {
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
    if let Ok(mut slot) = shared.errors.lock() {
        *slot = errors;
    }
    shared.notify_all();
}

/// Holds an event stream open on the raw connection: `data: reload` after each rebuild, a
/// comment every 15 s to keep it alive (and to notice a closed tab). Written by hand because
/// a chunked response body would be buffered, and events must arrive at once.
fn event_stream(request: Request, shared: &Shared) {
    let (tx, rx) = mpsc::channel();
    if let Ok(mut l) = shared.listeners.lock() {
        l.push(tx);
    }
    let mut out = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: close\r\n\r\n: connected\n\n";
    if out
        .write_all(head.as_bytes())
        .and_then(|()| out.flush())
        .is_err()
    {
        return;
    }
    loop {
        let event: &[u8] = match rx.recv_timeout(Duration::from_secs(15)) {
            Ok(()) => b"data: reload\n\n",
            Err(mpsc::RecvTimeoutError::Timeout) => b": ping\n\n",
            Err(mpsc::RecvTimeoutError::Disconnected) => return,
        };
        if out.write_all(event).and_then(|()| out.flush()).is_err() {
            return;
        }
    }
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

fn handle(request: Request, shared: &Shared) {
    let url = request.url().to_owned();
    let path = url.split(['?', '#']).next().unwrap_or("/").to_owned();
    if path == EVENTS_PATH {
        event_stream(request, shared);
        return;
    }
    let response = match resolve(&shared.dir, &path) {
        Resolved::File(file) => serve_file(&file, 200, shared),
        Resolved::Redirect(to) => {
            let mut r = Response::from_string("").with_status_code(301);
            if let Some(h) = header("Location", &to) {
                r = r.with_header(h);
            }
            r
        }
        Resolved::Forbidden => Response::from_string("403 forbidden\n").with_status_code(403),
        Resolved::NotFound => serve_file(&shared.dir.join("404.html"), 404, shared),
    };
    let _ = request.respond(response);
}

fn serve_file(file: &Path, status: u16, shared: &Shared) -> Response<io::Cursor<Vec<u8>>> {
    let Ok(mut bytes) = std::fs::read(file) else {
        return Response::from_string("404 not found\n").with_status_code(404);
    };
    let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("");
    let mime = match ext {
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        _ => "application/octet-stream",
    };
    if ext == "html" {
        let errors = shared.errors.lock().ok().and_then(|e| e.clone());
        bytes = inject(&bytes, errors.as_deref());
    }
    let mut r = Response::from_data(bytes).with_status_code(status);
    for h in [
        header("Content-Type", mime),
        header("Cache-Control", "no-store"),
    ]
    .into_iter()
    .flatten()
    {
        r = r.with_header(h);
    }
    r
}

/// Adds the reload script (and the error overlay, if the last build failed) before
/// `</body>`.
pub fn inject(html: &[u8], errors: Option<&str>) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let mut extra = String::from(RELOAD_SCRIPT);
    if let Some(e) = errors {
        extra.push_str(
            "<div id=\"versus-errors\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;background:#1b0b0b;color:#ffd7d7;font:14px/1.5 ui-monospace,monospace;white-space:pre-wrap\"><strong>versus: the last rebuild failed; showing the last good build underneath.</strong>\n\n",
        );
        extra.push_str(&escape(e));
        extra.push_str("</div>");
    }
    let out = match text.rfind("</body>") {
        Some(i) => format!("{}{extra}{}", &text[..i], &text[i..]),
        None => format!("{text}{extra}"),
    };
    out.into_bytes()
}

/// What a request path maps to.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(PathBuf),
    /// A directory asked for without its trailing slash.
    Redirect(String),
    Forbidden,
    NotFound,
}

/// Maps a URL path to a file under `dir`, refusing anything that could leave it: `..`,
/// backslashes, NUL, encoded separators, and symlinks that point outside.
pub fn resolve(dir: &Path, url_path: &str) -> Resolved {
    let Some(decoded) = percent_decode(url_path) else {
        return Resolved::Forbidden;
    };
    if !decoded.starts_with('/') || decoded.contains(['\\', '\0']) {
        return Resolved::Forbidden;
    }
    let rel = Path::new(decoded.trim_start_matches('/'));
    if rel.components().any(|c| !matches!(c, Component::Normal(_))) {
        return Resolved::Forbidden;
    }
    let mut file = dir.join(rel);
    if file.is_dir() {
        if !decoded.ends_with('/') {
            return Resolved::Redirect(format!("{decoded}/"));
        }
        file = file.join("index.html");
    }
    match (file.canonicalize(), dir.canonicalize()) {
        (Ok(real), Ok(root)) if real.starts_with(&root) && real.is_file() => Resolved::File(real),
        (Ok(_), Ok(_)) => Resolved::Forbidden,
        _ => Resolved::NotFound,
    }
}

/// Decodes `%XX` escapes; `None` for a malformed escape or one that decodes to `/`, `\` or
/// invalid UTF-8.
fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = s.get(i + 1..i + 3)?;
            let b = u8::from_str_radix(hex, 16).ok()?;
            if b == b'/' || b == b'\\' {
                return None;
            }
            out.push(b);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_paths_that_leave_the_site() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        std::fs::create_dir_all(site.join("ftp")).unwrap();
        std::fs::write(site.join("ftp/index.html"), "x").unwrap();
        std::fs::write(tmp.path().join("secret"), "s").unwrap();
        assert_eq!(resolve(&site, "/../secret"), Resolved::Forbidden);
        assert_eq!(
            resolve(&site, "/ftp/%2e%2e/%2e%2e/secret"),
            Resolved::Forbidden
        );
        assert_eq!(resolve(&site, "/ftp%2f..%2fsecret"), Resolved::Forbidden);
        assert_eq!(resolve(&site, "/..\\secret"), Resolved::Forbidden);
        assert_eq!(resolve(&site, "/ftp"), Resolved::Redirect("/ftp/".into()));
        assert!(matches!(resolve(&site, "/ftp/"), Resolved::File(_)));
        assert_eq!(resolve(&site, "/nope/"), Resolved::NotFound);
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(tmp.path().join("secret"), site.join("link")).unwrap();
            assert_eq!(resolve(&site, "/link"), Resolved::Forbidden);
        }
    }

    #[test]
    fn injects_the_script_and_the_overlay() {
        let out = String::from_utf8(inject(
            b"<html><body><p>x</p></body></html>",
            Some("bad <thing>"),
        ))
        .unwrap();
        assert!(out.contains("EventSource(\"/__versus/events\")"));
        assert!(out.contains("bad &lt;thing&gt;"));
        assert!(out.ends_with("</body></html>"));
    }
}
