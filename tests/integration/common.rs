//! Helpers shared by the integration tests: real sites written into temporary directories
//! and the real `versus` binary run on them.

use std::collections::BTreeMap;
use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub(crate) fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub(crate) fn versus() -> Command {
    Command::new(env!("CARGO_BIN_EXE_versus"))
}

/// Runs `versus` with `args` and returns its output.
pub(crate) fn run(args: &[&str]) -> Output {
    versus().args(args).output().expect("run versus")
}

/// Runs `versus <command> --root <root>` and returns its output.
pub(crate) fn on_site(command: &str, root: &Path) -> Output {
    versus()
        .args([command, "--root"])
        .arg(root)
        .output()
        .expect("run versus")
}

pub(crate) fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub(crate) fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().expect("a parent")).expect("mkdir");
    fs::write(path, text).expect("write");
}

pub(crate) fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from)
        .into_iter()
        .filter_map(Result::ok)
    {
        let rel = entry.path().strip_prefix(from).expect("under from");
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            fs::create_dir_all(&dest).expect("mkdir");
        } else {
            fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

/// A site made of the shipped site.yaml, locales and the given protocols' content.
pub(crate) fn shipped_site(protocols: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = repo();
    fs::create_dir_all(dir.path().join("content")).expect("mkdir");
    fs::copy(
        root.join("content/site.yaml"),
        dir.path().join("content/site.yaml"),
    )
    .expect("copy");
    copy_dir(&root.join("locales"), &dir.path().join("locales"));
    for p in protocols {
        copy_dir(
            &root.join("content").join(p),
            &dir.path().join("content").join(p),
        );
    }
    dir
}

/// A small synthetic site: one protocol `demo` with codes 10, 11 and 20, in en and fr
/// (fr with only its name, so every word falls back).
pub(crate) fn mini_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let r = dir.path();
    write(
        r,
        "content/site.yaml",
        "title: Demo\nbase_url: https://demo.example\ndefault_locale: en\n",
    );
    write(
        r,
        "content/demo/_protocol.yaml",
        "name: DEMO\ntitle: Demo Protocol\nclasses:\n  \"1\": {en: Good, fr: Bon}\n  \"2\": Bad\nfacts:\n  retry: Retry\n",
    );
    for (code, name) in [("10", "Ten"), ("11", "Eleven"), ("20", "Twenty")] {
        write(
            r,
            &format!("content/demo/{code}.yaml"),
            &format!(
                "name: {{en: {name}, fr: {name}-fr}}\ndescription: The {name} code. More text.\nwhen: Seen at {name}.\nfix: Do {name}.\nfacts:\n  retry: \"{}\"\n",
                if code.starts_with('1') { "No" } else { "Yes" }
            ),
        );
    }
    write(r, "locales/en.yaml", "name: English\n");
    write(r, "locales/fr.yaml", "name: Français\n");
    dir
}

/// The build state beside an output: `<parent>/.<name>.versus/`.
pub(crate) fn state_of(out: &Path) -> PathBuf {
    let name = out.file_name().expect("a folder name").to_string_lossy();
    out.with_file_name(format!(".{name}.versus"))
}

/// Every file under `dir` with its bytes (dot-files at the top included).
pub(crate) fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).expect("under dir").to_path_buf();
            (rel, fs::read(e.path()).expect("read"))
        })
        .collect()
}

/// Runs a command that must succeed; returns its standard output.
pub(crate) fn succeed(cmd: &mut Command) -> String {
    let o = cmd.output().expect("run versus");
    assert!(o.status.success(), "{:?} failed: {}", cmd, stderr(&o));
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Builds `root` into `out`, asserting success.
pub(crate) fn build(root: &Path, out: &Path) -> Output {
    let o = versus()
        .args(["build", "--quiet", "--root"])
        .arg(root)
        .arg("--output")
        .arg(out)
        .output()
        .expect("run versus");
    assert!(o.status.success(), "build failed: {}", stderr(&o));
    o
}

/// An `<a>` of a page: its `href` and whether it says it switches language (`hreflang` or
/// `lang` on the link).
pub(crate) struct Anchor {
    pub(crate) href: String,
    pub(crate) switches_language: bool,
}

/// Every `<a href>` of an HTML page, read with a real tokenizer.
pub(crate) fn anchors(html: &str) -> Vec<Anchor> {
    let mut out = Vec::new();
    for token in html5gum::Tokenizer::new(html).flatten() {
        let html5gum::Token::StartTag(tag) = token else {
            continue;
        };
        if tag.name != b"a" {
            continue;
        }
        let attr = |name: &[u8]| {
            tag.attributes
                .get(name)
                .map(|v| String::from_utf8_lossy(&v.value).into_owned())
        };
        if let Some(href) = attr(b"href") {
            out.push(Anchor {
                href,
                switches_language: attr(b"hreflang").is_some() || attr(b"lang").is_some(),
            });
        }
    }
    out
}

/// The site path an `href` found on the page at `url` leads to (`None` when it leaves the
/// site or is only a fragment), without query or fragment.
pub(crate) fn follow(url: &str, href: &str) -> Option<String> {
    if href.contains("://") || href.starts_with("mailto:") || href.starts_with('#') {
        return None;
    }
    let path = href.split(['#', '?']).next().unwrap_or("");
    let mut segments: Vec<&str> = if path.starts_with('/') {
        Vec::new()
    } else {
        url.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                assert!(
                    segments.pop().is_some(),
                    "{href} on {url} climbs above the site root"
                );
            }
            s => segments.push(s),
        }
    }
    let mut out = format!("/{}", segments.join("/"));
    if (path.ends_with('/') || path.is_empty()) && out.len() > 1 {
        out.push('/');
    }
    Some(out)
}

/// Every HTML page under `out` with its URL path (`/zh/ftp/`), 404.html excepted.
pub(crate) fn pages(out: &Path) -> Vec<(String, String)> {
    walkdir::WalkDir::new(out)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "index.html")
        .map(|e| {
            let rel = e.path().strip_prefix(out).expect("under out");
            let dir = rel
                .parent()
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            let url = if dir.is_empty() {
                "/".to_owned()
            } else {
                format!("/{dir}/")
            };
            (url, fs::read_to_string(e.path()).expect("read"))
        })
        .collect()
}

/// A running `versus serve`, stopped (Ctrl-C, then kill) when dropped.
pub(crate) struct Served(Child);

impl Served {
    pub(crate) fn id(&self) -> u32 {
        self.0.id()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = std::process::Command::new("kill")
            .args(["-INT", &self.0.id().to_string()])
            .status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(3) {
            if let Ok(Some(_)) = self.0.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// A plain HTTP/1.1 GET: status code and body.
pub(crate) fn get(port: u16, path: &str) -> Option<(u16, String)> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).ok()?;
    let text = String::from_utf8_lossy(&raw).into_owned();
    let status = text.split(' ').nth(1)?.parse().ok()?;
    let body = text
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default();
    Some((status, body))
}

/// Starts `versus serve` on a port the system picks (`--port 0`, so no two tests race for
/// one) and reads the port back from what it prints.
pub(crate) fn serve(site: &std::path::Path) -> (Served, u16) {
    let mut child = versus()
        .args(["serve", "--port", "0", "--root"])
        .arg(site)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    // Reads the port from "serving … on http://127.0.0.1:PORT/", then keeps the pipe drained.
    std::thread::spawn(move || {
        for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)).map_while(Result::ok) {
            if let Some(rest) = line.split("http://127.0.0.1:").nth(1) {
                let port: String = rest.chars().take_while(char::is_ascii_digit).collect();
                let _ = tx.send(port.parse::<u16>().unwrap_or(0));
            }
        }
    });
    let server = Served(child);
    let port = rx
        .recv_timeout(Duration::from_secs(30))
        .expect("serve prints its address");
    assert!(
        get(port, "/").is_some(),
        "serve answers once it prints its address"
    );
    (server, port)
}

/// The text of an HTML fragment, tags dropped.
pub(crate) fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}
