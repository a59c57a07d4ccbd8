//! Progress on stderr for the phases that take seconds or more (hidden when stderr is not a terminal).

use indicatif::{ProgressBar, ProgressStyle};

/// A spinner with `what` beside it, for a phase whose length is not known.
pub fn spinner(what: &str) -> ProgressBar {
    let spinner = ProgressBar::new_spinner();
    spinner.set_message(what.to_string());
    spinner.enable_steady_tick(std::time::Duration::from_millis(200));
    spinner
}

/// A bar of `len` `unit`s (e.g. `samples`) with `what` before it.
pub fn bar(len: u64, unit: &str, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template(&format!("{{msg}} {{bar:40}} {{pos}}/{{len}} {unit} ({{eta}})")) {
        bar.set_style(style);
    }
    bar.set_message(what.to_string());
    bar
}
