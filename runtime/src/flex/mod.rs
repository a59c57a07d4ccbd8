//! FLEX: intermittent-safe execution. The compiler cuts an inference into tasks that each fit one charge of
//! the energy buffer; after every task a progress record in non-volatile memory (FRAM) is committed, so a
//! power failure resumes at the first uncommitted task and neither loses nor repeats work.
//!
//! Safety rests on three facts: tasks are idempotent (the compiler checks that no task reads a
//! non-volatile buffer after it may have overwritten it), all volatile state (LEA RAM, SRAM scratch,
//! peripherals) is rebuilt inside each task, and the record below commits atomically and counts only for
//! the build whose program id it carries.

mod record;
mod resume;

pub use record::{
    CHECK_WORD, INVALID, NvWords, ProgramId, Progress, ProgressRecord, RECORD_FORMAT, RECORD_WORDS, SLOT_WORDS, commit,
    current, erase_foreign,
};
pub use resume::{Status, Task, TaskRunner, acknowledge, resume, start};
