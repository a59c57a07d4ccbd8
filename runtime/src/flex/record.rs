//! The progress record: two slots in FRAM, each `(epoch, task, check, seq)`. A commit overwrites the older
//! slot: its new `seq` first (which invalidates it), then the fields, then `check` last; `check` covers the
//! other three words, so a slot torn by a power failure is invalid and the other (previous) slot stands. Sequence numbers are compared wrap-aware, so the
//! 16-bit counters never wrap into a wrong state.

/// Words of the record (two slots of four `u16`).
pub const RECORD_WORDS: usize = 8;

/// Where the record lives. The device implementation writes FRAM with volatile stores and compiler fences;
/// the host simulator can fail between any two word writes.
pub trait NvWords {
    fn read(&self, index: usize) -> u16;
    /// Writes one word durably (it survives a power failure once this returns).
    fn write(&mut self, index: usize, value: u16);
}

/// A committed point of progress.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    /// Which inference (incremented by [`super::start`]); distinguishes a fresh inference from a resumed one.
    pub epoch: u16,
    /// The next task to run; `tasks` means the inference is complete, `tasks + 1` that it was acknowledged.
    pub task: u16,
}

/// One slot as stored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Slot {
    pub epoch: u16,
    pub task: u16,
    pub check: u16,
    pub seq: u16,
}

impl Slot {
    fn checksum(epoch: u16, task: u16, seq: u16) -> u16 {
        // Any function that differs for the old and new contents would do; this one also rejects an
        // all-zero slot (fresh FRAM), which must not look valid.
        (epoch ^ 0xA5C3).rotate_left(3) ^ task.rotate_left(7) ^ seq.wrapping_mul(0x9E37) ^ 0x5A5A
    }

    fn is_valid(&self) -> bool {
        self.check == Slot::checksum(self.epoch, self.task, self.seq)
    }
}

/// The record as an in-memory array of words, for statics in FRAM (`#[link_section]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(C)]
pub struct ProgressRecord {
    pub words: [u16; RECORD_WORDS],
}

impl ProgressRecord {
    /// Fresh FRAM: no valid slot, so progress reads as "no inference".
    pub const EMPTY: ProgressRecord = ProgressRecord { words: [0; RECORD_WORDS] };
}

fn slot<N: NvWords + ?Sized>(nv: &N, index: usize) -> Slot {
    let at = index * 4;
    Slot { epoch: nv.read(at), task: nv.read(at + 1), check: nv.read(at + 2), seq: nv.read(at + 3) }
}

/// The newest valid slot's index, if any.
fn newest<N: NvWords + ?Sized>(nv: &N) -> Option<usize> {
    let (a, b) = (slot(nv, 0), slot(nv, 1));
    match (a.is_valid(), b.is_valid()) {
        (true, true) => Some(if (b.seq.wrapping_sub(a.seq) as i16) > 0 { 1 } else { 0 }),
        (true, false) => Some(0),
        (false, true) => Some(1),
        (false, false) => None,
    }
}

/// The committed progress (`None` before the first commit).
pub fn current<N: NvWords + ?Sized>(nv: &N) -> Option<Progress> {
    newest(nv).map(|i| {
        let s = slot(nv, i);
        Progress { epoch: s.epoch, task: s.task }
    })
}

/// Commits `progress` atomically: the older slot is rewritten, its check word last.
pub fn commit<N: NvWords + ?Sized>(nv: &mut N, progress: Progress) {
    let (target, seq) = match newest(nv) {
        Some(i) => (1 - i, slot(nv, i).seq.wrapping_add(1)),
        None => (0, 1),
    };
    let at = target * 4;
    // Invalidate the slot before rewriting it, so a tear between the field writes cannot combine old and new
    // words into something valid: the old check covers the old seq, which differs from `seq` by 2. The
    // check, written last, makes the slot valid in one word write.
    nv.write(at + 3, seq);
    nv.write(at, progress.epoch);
    nv.write(at + 1, progress.task);
    nv.write(at + 2, Slot::checksum(progress.epoch, progress.task, seq));
}
