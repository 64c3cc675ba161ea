//! The preview server itself: GET and HEAD of the built files, the live-reload event
//! stream, nothing else, with every resource bounded.

use std::convert::Infallible;
use std::path::{Component, Path, PathBuf};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context as TaskContext, Poll};
use std::time::Duration;

use anyhow::{Context, Result};
use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Frame, Incoming};
use hyper::header::{ALLOW, CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::sync::Semaphore;
use tokio::sync::mpsc::{self, UnboundedReceiver};

use super::Shared;
use crate::locale::escape;

/// The path the reload script listens on.
pub(super) const EVENTS_PATH: &str = "/__versus/events";

const RELOAD_SCRIPT: &str = "<script>(function(){var s=new EventSource(\"/__versus/events\");s.onmessage=function(){location.reload()};})();</script>";

/// Connections served at once; more wait to be accepted.
const MAX_CONNECTIONS: usize = 2048;
/// Open live-reload streams at once; more are refused with 503.
const MAX_SUBSCRIBERS: usize = 64;
/// How long a client may take to send a request's head (also an idle connection's limit).
const HEAD_TIMEOUT: Duration = Duration::from_secs(5);
/// A comment on open event streams, so a closed tab is noticed.
const PING: Duration = Duration::from_secs(15);

type Reply = Response<BoxBody<Bytes, Infallible>>;

/// Serves until Ctrl-C or SIGTERM.
pub(super) fn run(listener: std::net::TcpListener, shared: Arc<Shared>) -> Result<()> {
    raise_file_limit();
    deepen_backlog(&listener);
    listener.set_nonblocking(true)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("starting the server")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
        let subscribers = Arc::new(AtomicUsize::new(0));
        let stop = stopped();
        tokio::pin!(stop);
        loop {
            let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
                break;
            };
            let accepted = tokio::select! {
                a = listener.accept() => a,
                () = &mut stop => break,
            };
            let stream = match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before it was accepted:
                    // wait a moment and go on serving.
                    eprintln!("serve: accepting a connection failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let (shared, subscribers) = (Arc::clone(&shared), Arc::clone(&subscribers));
            tokio::spawn(async move {
                let service = service_fn(move |req| {
                    let reply = handle(&req, &shared, &subscribers);
                    async move { Ok::<_, Infallible>(reply) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .timer(TokioTimer::new())
                    .header_read_timeout(HEAD_TIMEOUT)
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
                drop(slot);
            });
        }
        Ok(())
    })
}

/// Resolves when the process is asked to stop (Ctrl-C, or SIGTERM on Unix).
async fn stopped() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Lets connections queue while the server is busy: the standard library listens with a
/// backlog of 128, and a burst of connections past it is reset by the kernel. Listening
/// again on a listening socket sets a new backlog (the system caps it at `somaxconn`).
fn deepen_backlog(listener: &std::net::TcpListener) {
    #[cfg(unix)]
    {
        let _ = rustix::net::listen(listener, 4096);
    }
    #[cfg(not(unix))]
    let _ = listener;
}

/// Lets the server hold as many connections as the system allows (the soft limit is often
/// 1024, the hard one far higher).
fn raise_file_limit() {
    #[cfg(unix)]
    {
        use rustix::process::{Resource, getrlimit, setrlimit};
        let mut limit = getrlimit(Resource::Nofile);
        if limit.current < limit.maximum {
            limit.current = limit.maximum.map(|m| m.min(65_536));
            let _ = setrlimit(Resource::Nofile, limit);
        }
    }
}

fn full(status: StatusCode, body: impl Into<Bytes>) -> Reply {
    let mut r = Response::new(Full::new(body.into()).boxed());
    *r.status_mut() = status;
    r
}

fn handle(req: &Request<Incoming>, shared: &Shared, subscribers: &Arc<AtomicUsize>) -> Reply {
    let head = req.method() == Method::HEAD;
    if !(head || req.method() == Method::GET) {
        let mut r = full(StatusCode::METHOD_NOT_ALLOWED, "405 method not allowed\n");
        r.headers_mut()
            .insert(ALLOW, "GET, HEAD".parse().expect("a valid header value"));
        return r;
    }
    let path = req.uri().path();
    if path == EVENTS_PATH {
        return events(shared, subscribers);
    }
    let mut reply = match resolve(&shared.dir, path) {
        Resolved::File(file) => file_reply(&file, StatusCode::OK, shared),
        Resolved::Redirect(to) => {
            let mut r = full(StatusCode::MOVED_PERMANENTLY, "");
            if let Ok(v) = to.parse() {
                r.headers_mut().insert(LOCATION, v);
            }
            r
        }
        Resolved::Forbidden => full(StatusCode::FORBIDDEN, "403 forbidden\n"),
        Resolved::NotFound => {
            file_reply(&shared.dir.join("404.html"), StatusCode::NOT_FOUND, shared)
        }
    };
    if head {
        *reply.body_mut() = Full::new(Bytes::new()).boxed();
    }
    reply
}

fn file_reply(file: &Path, status: StatusCode, shared: &Shared) -> Reply {
    let Ok(mut bytes) = std::fs::read(file) else {
        return full(StatusCode::NOT_FOUND, "404 not found\n");
    };
    let mime = mime_guess::from_path(file).first_or_octet_stream();
    let is_html = mime.essence_str() == "text/html";
    if is_html {
        let errors = shared.errors.read().ok().and_then(|e| e.clone());
        bytes = inject(&bytes, errors.as_deref());
    }
    let content_type =
        if mime.type_() == mime_guess::mime::TEXT || mime.essence_str() == "application/xml" {
            format!("{}; charset=utf-8", mime.essence_str())
        } else {
            mime.essence_str().to_owned()
        };
    let mut r = full(status, bytes);
    if let Ok(v) = content_type.parse() {
        r.headers_mut().insert(CONTENT_TYPE, v);
    }
    r.headers_mut().insert(
        CACHE_CONTROL,
        "no-store".parse().expect("a valid header value"),
    );
    r
}

/// An open live-reload stream: `data: reload` after each rebuild, a comment now and then
/// to notice a closed tab.
fn events(shared: &Shared, subscribers: &Arc<AtomicUsize>) -> Reply {
    if subscribers.fetch_add(1, Ordering::SeqCst) >= MAX_SUBSCRIBERS {
        subscribers.fetch_sub(1, Ordering::SeqCst);
        return full(StatusCode::SERVICE_UNAVAILABLE, "503 too many open pages\n");
    }
    let (tx, rx) = mpsc::unbounded_channel();
    if let Ok(mut l) = shared.listeners.lock() {
        l.push(tx);
    }
    let body = Events {
        rx,
        ping: tokio::time::interval(PING),
        hello: true,
        subscribers: Arc::clone(subscribers),
    };
    let mut r = Response::new(body.boxed());
    r.headers_mut().insert(
        CONTENT_TYPE,
        "text/event-stream".parse().expect("a valid header value"),
    );
    r.headers_mut().insert(
        CACHE_CONTROL,
        "no-cache".parse().expect("a valid header value"),
    );
    r
}

/// The body of an event stream.
struct Events {
    rx: UnboundedReceiver<()>,
    ping: tokio::time::Interval,
    hello: bool,
    subscribers: Arc<AtomicUsize>,
}

impl Drop for Events {
    fn drop(&mut self) {
        self.subscribers.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Body for Events {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut TaskContext<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let frame =
            |s: &'static str| Poll::Ready(Some(Ok(Frame::data(Bytes::from_static(s.as_bytes())))));
        if std::mem::take(&mut self.hello) {
            return frame(": connected\n\n");
        }
        match self.rx.poll_recv(cx) {
            Poll::Ready(Some(())) => return frame("data: reload\n\n"),
            Poll::Ready(None) => return Poll::Ready(None),
            Poll::Pending => {}
        }
        match self.ping.poll_tick(cx) {
            Poll::Ready(_) => frame(": ping\n\n"),
            Poll::Pending => Poll::Pending,
        }
    }
}

/// Adds the reload script (and the error overlay, if the last build failed) before
/// `</body>`.
pub(super) fn inject(html: &[u8], errors: Option<&str>) -> Vec<u8> {
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
pub(super) enum Resolved {
    File(PathBuf),
    /// A directory asked for without its trailing slash.
    Redirect(String),
    Forbidden,
    NotFound,
}

/// Maps a URL path to a file under `dir`, refusing anything that could leave it: `..`,
/// backslashes, NUL, encoded separators, and symlinks that point outside.
pub(super) fn resolve(dir: &Path, url_path: &str) -> Resolved {
    let lower = url_path.to_ascii_lowercase();
    if ["%2f", "%5c", "%00"].iter().any(|e| lower.contains(e)) {
        return Resolved::Forbidden;
    }
    let Ok(decoded) = percent_encoding::percent_decode_str(url_path).decode_utf8() else {
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
