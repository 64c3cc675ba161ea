//! A progress bar for long builds: shown on a terminal only, and only once a build has run
//! for a second (short builds print nothing but their summary).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Counts rendered pages; a watcher thread draws them after the first second.
pub(crate) struct Progress {
    done: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

const DELAY: Duration = Duration::from_secs(1);

impl Progress {
    /// `enabled` is false for `--quiet` and when stderr is not a terminal.
    pub(crate) fn start(total: usize, enabled: bool) -> Progress {
        let done = Arc::new(AtomicUsize::new(0));
        let stop = Arc::new(AtomicBool::new(false));
        let thread = enabled.then(|| {
            let (done, stop) = (Arc::clone(&done), Arc::clone(&stop));
            std::thread::spawn(move || draw(total, &done, &stop))
        });
        Progress { done, stop, thread }
    }

    pub(crate) fn tick(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn finish(mut self) {
        self.stop_thread();
    }

    fn stop_thread(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.stop_thread();
    }
}

fn draw(total: usize, done: &AtomicUsize, stop: &AtomicBool) {
    let start = Instant::now();
    while start.elapsed() < DELAY {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} rendering {pos}/{len} pages {wide_bar} {eta}")
    {
        bar.set_style(style);
    }
    while !stop.load(Ordering::Relaxed) {
        bar.set_position(done.load(Ordering::Relaxed) as u64);
        std::thread::sleep(Duration::from_millis(100));
    }
    bar.finish_and_clear();
}
