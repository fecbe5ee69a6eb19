//! Long work (loading, analysis, recomputation) on a background thread, with progress for the
//! status bar and a cancel that discards the result, so the interface never waits on it.

use eframe::egui;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::sync::{Arc, Mutex};

/// What a running job reports.
#[derive(Debug, Clone, Default)]
pub struct Status {
    /// 0 … 1.
    pub fraction: f32,
    /// The step under way ("reading layers", "coverage" …).
    pub step: String,
}

/// The handle the work itself gets: report progress, see whether it was cancelled.
#[derive(Clone)]
pub struct Progress {
    status: Arc<Mutex<Status>>,
    cancelled: Arc<AtomicBool>,
    ctx: Option<egui::Context>,
}

impl Progress {
    /// A progress handle nobody watches (benchmarks, tests).
    pub fn detached() -> Progress {
        Progress { status: Arc::default(), cancelled: Arc::default(), ctx: None }
    }

    /// Reports the step under way.
    pub fn set(&self, fraction: f32, step: &str) {
        if let Ok(mut s) = self.status.lock() {
            *s = Status { fraction, step: step.to_string() };
        }
        if let Some(c) = &self.ctx {
            c.request_repaint();
        }
    }

    /// Whether the user cancelled (the work may stop early; its result is dropped anyway).
    pub fn cancelled(&self) -> bool {
        self.cancelled.load(Ordering::Relaxed)
    }
}

/// A job running on its own thread.
pub struct Job<T> {
    /// What it does, for the status bar.
    pub label: &'static str,
    rx: Receiver<T>,
    progress: Progress,
    started: std::time::Instant,
}

impl<T: Send + 'static> Job<T> {
    /// Starts `work` on a new thread; `ctx` (when given) is woken when it reports or ends.
    pub fn spawn(label: &'static str, ctx: Option<egui::Context>, work: impl FnOnce(&Progress) -> T + Send + 'static) -> Job<T> {
        let (tx, rx): (Sender<T>, Receiver<T>) = channel();
        let progress = Progress { status: Arc::default(), cancelled: Arc::default(), ctx };
        let p = progress.clone();
        std::thread::spawn(move || {
            let out = work(&p);
            if !p.cancelled() {
                let _ = tx.send(out);
            }
            if let Some(c) = &p.ctx {
                c.request_repaint();
            }
        });
        Job { label, rx, progress, started: std::time::Instant::now() }
    }

    /// The result, once the work is done.
    pub fn poll(&self) -> Option<Result<T, ()>> {
        match self.rx.try_recv() {
            Ok(v) => Some(Ok(v)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(Err(())),
        }
    }

    /// Asks the work to stop; its result will be dropped.
    pub fn cancel(&self) {
        self.progress.cancelled.store(true, Ordering::Relaxed);
    }

    /// The last reported status.
    pub fn status(&self) -> Status {
        self.progress.status.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Seconds since it started.
    pub fn elapsed(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_arrive_and_cancelled_ones_do_not() {
        let job = Job::spawn("t", None, |p| {
            p.set(0.5, "half");
            21 * 2
        });
        let out = loop {
            if let Some(r) = job.poll() {
                break r;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        };
        assert_eq!(out, Ok(42));
        assert_eq!(job.status().step, "half");
        let (go_tx, go_rx) = channel::<()>();
        let job = Job::spawn("t", None, move |_| {
            let _ = go_rx.recv();
            1
        });
        job.cancel();
        go_tx.send(()).unwrap();
        let out = loop {
            if let Some(r) = job.poll() {
                break r;
            }
            std::thread::sleep(std::time::Duration::from_millis(1));
        };
        assert_eq!(out, Err(()), "a cancelled job's result is dropped");
    }
}
