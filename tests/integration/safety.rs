//! Reliability and security of the output and the dev server (docs/security.md): one build
//! at a time, a build killed at any moment leaves the old site or the new one whole, special
//! files never hang a build, the site may not live inside its output, and `serve` answers
//! through a flood.

use std::collections::BTreeMap;
use std::fs;
use std::io::Write;
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::common::*;

/// Runs `cmd`, killing it after `limit`; `None` when it had to be killed.
fn run_within(cmd: &mut Command, limit: Duration) -> Option<Output> {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn versus");
    let start = Instant::now();
    while start.elapsed() < limit {
        if child.try_wait().expect("wait").is_some() {
            return Some(child.wait_with_output().expect("output"));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    None
}

/// The site's files of an output (Versus's marker and the owner's `.git` left out).
fn site_files(out: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    tree(out)
        .into_iter()
        .filter(|(p, _)| !p.starts_with(".git") && !p.starts_with(".versus-output"))
        .collect()
}

/// What a killed build may have left in the state folder and the next build must remove.
fn leftovers(out: &Path) -> Vec<String> {
    fs::read_dir(state_of(out))
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("staging-") || n.starts_with("old-") || n == "publishing")
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_second_build_of_the_same_output_fails_at_once_and_says_why() {
    let site = mini_site();
    let out = site.path().join("output");
    build(site.path(), &out);
    // Hold the lock as a running build would.
    let lock = fs::OpenOptions::new()
        .write(true)
        .open(state_of(&out).join("lock"))
        .unwrap();
    lock.try_lock().unwrap();
    let before = site_files(&out);
    let o = run_within(
        versus()
            .args(["build", "--full", "--root"])
            .arg(site.path()),
        Duration::from_secs(20),
    )
    .expect("the second build does not wait");
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("another `versus build` is writing this output"),
        "{}",
        stderr(&o)
    );
    assert_eq!(site_files(&out), before, "the output is untouched");
    drop(lock);
    build(site.path(), &out);
}

/// A build killed at each point of publishing, incremental and full, leaves the old site
/// or the new one whole — never a mix — and the next build finishes the job: the new site,
/// the owner's `.git` in place, no staging left behind.
#[test]
fn a_build_killed_while_publishing_leaves_one_whole_site() {
    for point in ["written", "carried", "swapped"] {
        for full in [false, true] {
            let site = mini_site();
            let out = site.path().join("output");
            build(site.path(), &out);
            write(&out, ".git/HEAD", "ref: refs/heads/gh-pages\n");
            let old = site_files(&out);
            write(
                site.path(),
                "content/demo/10.yaml",
                "name: Ten, renamed\ndescription: The Ten code. More text.\nwhen: Seen at Ten.\nfix: Do Ten.\nfacts:\n  retry: \"No\"\n",
            );
            let mut cmd = versus();
            cmd.args(["build", "--quiet", "--root"])
                .arg(site.path())
                .env("VERSUS_CRASH_AT", point);
            if full {
                cmd.arg("--full");
            }
            let o = cmd.output().unwrap();
            assert!(!o.status.success(), "{point}: the build was not stopped");
            let now = site_files(&out);
            let changed = now != old;
            if point == "swapped" {
                assert!(changed, "{point}, full {full}: the new site is published");
            } else {
                assert_eq!(now, old, "{point}, full {full}: the old site, whole");
            }
            // The next build completes: the new site, `.git` back, nothing left over.
            build(site.path(), &out);
            let fresh = tempfile::tempdir().unwrap();
            build(site.path(), &fresh.path().join("output"));
            assert_eq!(
                site_files(&out),
                site_files(&fresh.path().join("output")),
                "{point}, full {full}: the next build publishes the new site"
            );
            if changed {
                assert_eq!(
                    now,
                    site_files(&out),
                    "{point}: what was published was whole"
                );
            }
            assert_eq!(
                fs::read_to_string(out.join(".git/HEAD")).ok().as_deref(),
                Some("ref: refs/heads/gh-pages\n"),
                "{point}, full {full}: .git kept"
            );
            assert!(leftovers(&out).is_empty(), "{point}: {:?}", leftovers(&out));
        }
    }
}

/// SIGKILL at moments spread over a build of 3,300 pages: after each, the output is the old
/// site or the new one, whole.
#[test]
fn a_build_killed_at_any_moment_leaves_one_whole_site() {
    let site = shipped_site(&["ftp"]);
    let out = site.path().join("output");
    let file = site.path().join("content/ftp/200.yaml");
    let original = fs::read_to_string(&file).unwrap();
    let versions = [
        original.clone(),
        original.replace("Command Okay", "Command OK"),
    ];
    assert_ne!(versions[0], versions[1]);
    let mut known = Vec::new();
    for v in &versions {
        fs::write(&file, v).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        build(site.path(), &tmp.path().join("output"));
        known.push(site_files(&tmp.path().join("output")));
    }
    fs::write(&file, &versions[0]).unwrap();
    build(site.path(), &out);
    write(&out, ".git/HEAD", "ref: refs/heads/gh-pages\n");
    let start = Instant::now();
    build(site.path(), &out); // an incremental build, for its duration
    let span = start.elapsed();
    for i in 0..8u32 {
        fs::write(&file, &versions[(i as usize + 1) % 2]).unwrap();
        let mut child = versus()
            .args(["build", "--quiet", "--root"])
            .arg(site.path())
            .args(if i % 3 == 0 { &["--full"][..] } else { &[] })
            .spawn()
            .unwrap();
        std::thread::sleep(span * i / 7);
        let _ = child.kill();
        let _ = child.wait();
        let now = site_files(&out);
        assert!(
            known.contains(&now),
            "kill {i}: the output is neither the old site nor the new one"
        );
    }
    build(site.path(), &out);
    assert!(known.contains(&site_files(&out)));
    assert!(out.join(".git/HEAD").is_file(), ".git kept");
    assert!(leftovers(&out).is_empty(), "{:?}", leftovers(&out));
}

#[test]
fn a_fifo_or_a_device_in_the_content_never_hangs_a_build() {
    let site = mini_site();
    let r = site.path();
    let fifo = r.join("content/demo/30.yaml");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    std::os::unix::fs::symlink("/dev/zero", r.join("content/demo/40.yaml")).unwrap();
    std::os::unix::fs::symlink(&fifo, r.join("content/demo/50.yaml")).unwrap();
    for cmd in ["build", "check"] {
        let o = run_within(
            versus().args([cmd, "--root"]).arg(r),
            Duration::from_secs(30),
        )
        .unwrap_or_else(|| panic!("`versus {cmd}` hung on a FIFO or /dev/zero"));
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let err = stderr(&o);
        for name in ["30.yaml", "40.yaml", "50.yaml"] {
            assert!(
                err.contains(&format!("content/demo/{name}")),
                "{cmd}: {name}: {err}"
            );
        }
        assert!(err.contains("not a regular file"), "{err}");
        assert!(err.contains("leads out of the site"), "{err}");
    }
}

#[test]
fn an_output_that_holds_the_site_is_refused_even_when_it_is_versus_s() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let site = mini_site();
    // A Versus output with the site copied inside it.
    build(site.path(), &out);
    copy_dir(site.path(), &out.join("site"));
    fs::remove_dir_all(out.join("site/output")).ok();
    let before = tree(&out);
    for full in [false, true] {
        let mut cmd = versus();
        cmd.args(["build", "--root"])
            .arg(out.join("site"))
            .arg("--output")
            .arg(&out);
        if full {
            cmd.arg("--full");
        }
        let o = cmd.output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("holds the site's own files"),
            "{}",
            stderr(&o)
        );
        assert_eq!(tree(&out), before, "nothing touched");
    }
}

/// 500 idle connections and 1,000 concurrent requests against `serve` on loopback: every
/// request is answered, and the server still answers afterwards.
#[test]
fn serve_answers_through_a_flood() {
    raise_open_files(4096);
    let site = mini_site();
    let (_server, port) = serve(site.path());
    let idle: Vec<TcpStream> = (0..500)
        .map(|_| TcpStream::connect(("127.0.0.1", port)).expect("connect"))
        .collect();
    // Each request may wait (the machine is busy with other tests), but must be answered.
    let answers: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..1000)
            .map(|i| {
                s.spawn(move || {
                    let path = if i % 2 == 0 {
                        "/demo/10/"
                    } else {
                        "/demo/10-vs-20/"
                    };
                    request(port, path, Duration::from_secs(60))
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|_| "panicked".into()))
            .collect()
    });
    let failed: Vec<&String> = answers
        .iter()
        .filter(|a| !a.starts_with("HTTP/1.1 200"))
        .collect();
    assert!(
        failed.is_empty(),
        "{} of 1,000 requests unanswered: {:?}",
        failed.len(),
        &failed[..failed.len().min(5)]
    );
    drop(idle);
    assert_eq!(get(port, "/").map(|(s, _)| s), Some(200), "still serving");
    // A half-sent request is dropped after the timeout rather than held forever.
    let mut slow = TcpStream::connect(("127.0.0.1", port)).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n").unwrap();
    slow.set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    let mut buf = [0u8; 64];
    let started = Instant::now();
    let n = std::io::Read::read(&mut slow, &mut buf).unwrap_or(0);
    assert!(
        n == 0 || String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 408"),
        "a half-sent request gets no page"
    );
    assert!(
        started.elapsed() < Duration::from_secs(14),
        "closed by the server"
    );
    assert_eq!(get(port, "/").map(|(s, _)| s), Some(200), "still serving");
}

/// A GET of `path`: the start of the reply's status line, or what went wrong.
fn request(port: u16, path: &str, wait: Duration) -> String {
    let attempt = || -> std::io::Result<String> {
        let mut s = TcpStream::connect(("127.0.0.1", port))?;
        s.set_read_timeout(Some(wait))?;
        write!(
            s,
            "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
        )?;
        let mut raw = Vec::new();
        std::io::Read::read_to_end(&mut s, &mut raw)?;
        Ok(String::from_utf8_lossy(&raw[..raw.len().min(15)]).into_owned())
    };
    attempt().unwrap_or_else(|e| format!("error: {e}"))
}

/// Lifts this process's soft limit on open files (1,500 sockets at once) toward `want`.
fn raise_open_files(want: u64) {
    use rustix::process::{Resource, getrlimit, setrlimit};
    let mut limit = getrlimit(Resource::Nofile);
    let hard = limit.maximum.unwrap_or(want);
    limit.current = Some(want.min(hard));
    let _ = setrlimit(Resource::Nofile, limit);
}

#[test]
fn serve_answers_only_get_and_head() {
    let site = mini_site();
    let (_server, port) = serve(site.path());
    for method in ["POST", "PUT", "DELETE"] {
        let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
        write!(
            s,
            "{method} / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut raw = String::new();
        let _ = std::io::Read::read_to_string(&mut s, &mut raw);
        assert!(raw.starts_with("HTTP/1.1 405"), "{method}: {raw}");
    }
}

/// `serve` builds into a private folder; SIGTERM, like Ctrl-C, stops it and removes the
/// folder.
#[test]
fn serve_removes_its_folder_on_sigterm() {
    let site = mini_site();
    let (server, port) = serve(site.path());
    let pid = server.id();
    let folder = [PathBuf::from("/dev/shm"), std::env::temp_dir()]
        .into_iter()
        .map(|d| d.join(format!("versus-serve-{pid}-{port}")))
        .find(|d| d.is_dir())
        .expect("serve's private folder");
    let killed = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let start = Instant::now();
    while folder.exists() && start.elapsed() < Duration::from_secs(10) {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(!folder.exists(), "{} left behind", folder.display());
}
