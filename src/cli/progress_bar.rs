//! Progress on long work (export now; doctor, sync and pull as they join):
//! a bar with a rate and the time left on standard error, shown only when
//! standard error is a terminal, the work has taken more than a second and
//! `--quiet` was not given. Nothing is written to a pipe or a file.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long work runs before its bar appears. `PACE_PROGRESS_DELAY_MS`
/// changes it, so a test sees the bar without a second of work.
fn delay() -> Duration {
    std::env::var("PACE_PROGRESS_DELAY_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(Duration::from_secs(1), Duration::from_millis)
}

/// Items done between two looks at the clock.
const STRIDE: u64 = 512;

pub struct Progress {
    bar: Option<ProgressBar>,
    started: Instant,
    after: Duration,
    shown: bool,
    done: u64,
}

impl Progress {
    /// A bar for `what` (a few words: "exporting events") over the number
    /// of items `total` counts; `total` runs only when a bar may be shown.
    pub fn new(what: &'static str, quiet: bool, total: impl FnOnce() -> Option<u64>) -> Progress {
        let started = Instant::now();
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(total(), ProgressDrawTarget::hidden());
            let style = ProgressStyle::with_template("{msg} {wide_bar} {human_pos}/{human_len} {per_sec} {eta} left")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style);
            bar.set_message(what);
            bar
        });
        Progress { bar, started, after: delay(), shown: false, done: 0 }
    }

    /// One more item done.
    pub fn tick(&mut self) {
        self.done += 1;
        let Some(bar) = &self.bar else { return };
        if self.done != 1 && !self.done.is_multiple_of(STRIDE) {
            return;
        }
        if !self.shown && self.started.elapsed() >= self.after {
            bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
        bar.set_position(self.done);
    }
}

/// However the work ends, the bar leaves the terminal as it found it.
impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
