//! Why a graph cannot be compiled for a target: data naming the layer and what would help.

#[derive(Clone, Debug, thiserror::Error)]
pub enum LowerError {
    #[error("layer '{layer}' ({op}): {detail}")]
    Unsupported { layer: String, op: String, detail: String },

    #[error("--block: {detail}")]
    BadBlock { detail: String },

    /// `region`: the memory region that overflows (`fram_lower`, `sram`, `lea_ram`, ...), and by how many
    /// bytes (`over_bytes`), for the advice the commands add.
    #[error("the model does not fit {target}: {detail}")]
    DoesNotFit { target: String, region: String, over_bytes: u64, detail: String },

    /// The LEA scratch, rounded up to its FFT alignment, overflows the budget: `lower` retries with the
    /// budget rounded down to whole alignment units (never reaches the user).
    #[error("the LEA scratch needs a budget in whole units of {align_elements} elements")]
    ScratchAlignment { align_elements: usize },
}
