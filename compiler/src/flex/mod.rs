//! FLEX at compile time: cut the accelerator program into tasks that each fit one charge of the energy
//! buffer, and prove them idempotent (no write-after-read on non-volatile memory) before anything runs.

pub mod budget;
pub mod hazard;
pub mod partition;
pub mod report;
pub mod sim;

pub use budget::EnergyBuffer;
pub use hazard::check_hazards;
pub use partition::{Task, TaskPlan, partition};

/// Why a program cannot run intermittently as asked.
#[derive(Debug, thiserror::Error)]
pub enum FlexError {
    #[error(
        "layer '{layer}' ({kind}): one unit of its work needs {needed_uj:.2} uJ but one charge of the energy \
         buffer gives {budget_uj:.2} uJ; use a larger capacitor (--capacitor) or a smaller layer"
    )]
    TooBigForOneCharge { layer: String, kind: String, needed_uj: f64, budget_uj: f64 },

    #[error(
        "task {task} (layer '{layer}') reads {buffer} after it may have written it (write-after-read on \
             non-volatile memory): re-executing it after a power failure would read its own output"
    )]
    Hazard { task: usize, layer: String, buffer: String },

    #[error("the inference needs {tasks} tasks, more than the progress record counts (65534); use a larger capacitor")]
    TooManyTasks { tasks: usize },

    #[error("{0}")]
    BadArgument(String),

    /// A kernel refused a call of a lowered program while it was costed: a compiler bug.
    #[error("internal error (please report): {0}")]
    Internal(String),
}
