//! The progress record: two slots in FRAM, each `(epoch, task, program id (two words), seq, check)`.
//!
//! A slot counts only for the program whose id it carries: a record left in FRAM by another build (a board
//! reflashed mid-inference with a tool that keeps this section) is not progress of this program, so it reads
//! as "no inference" and is never resumed. The id is stored (and compared in full, 32 bits), and also covered
//! by `check`, so a slot whose id words were torn is invalid rather than foreign-but-plausible.
//!
//! A commit overwrites the older slot: first its `check` word with [`INVALID`], a value no content checksums
//! to, then every field that differs, then `check` last. Until that last write the slot is invalid whatever
//! mix of old and new words a power failure leaves in it, and the other (previous) slot stands; the last
//! write makes the new content valid in one word write. Sequence numbers are compared wrap-aware, so the
//! 16-bit counters never wrap into a wrong state. No flag says "initialised": validity is computed from the
//! contents on every read, and fresh FRAM (all zeros) holds no valid slot because its check words are
//! [`INVALID`].

/// A program's identity as the record stores it: the `PROGRAM_ID` the compiler puts in the generated crate.
pub type ProgramId = u32;

/// Words of one slot.
pub const SLOT_WORDS: usize = 6;

/// Words of the record (two slots).
pub const RECORD_WORDS: usize = 2 * SLOT_WORDS;

/// Version of this layout. The compiler folds it into every `PROGRAM_ID`, so a record written under another
/// layout (read here with the words in other places) carries a foreign id as well as a wrong check.
pub const RECORD_FORMAT: u16 = 2;

/// Word offsets inside a slot.
const EPOCH: usize = 0;
const TASK: usize = 1;
const ID_LO: usize = 2;
const ID_HI: usize = 3;
const SEQ: usize = 4;

/// Offset of a slot's check word: the write of a valid check is the instant a commit takes effect (a
/// simulator counts commits by it).
pub const CHECK_WORD: usize = 5;

/// The check word of a slot that is being rewritten or was erased: [`checksum`] never returns it.
pub const INVALID: u16 = 0;

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

/// A slot's words as stored, in the order of the offsets above.
type Slot = [u16; SLOT_WORDS];

/// Tells a written slot from other bytes (another layout, garbage): the checksum of the words before the
/// check word. Each step is a bijection of `h` for a fixed word and of the word for a fixed `h` (xor, byte
/// swap, add: three MSP430 instructions, where a rotation by other than 8 bits takes a dozen), so uniformly
/// random words pass with probability 2^-16, and contents that differ in one word get different checksums
/// (bar the one pair folded together to avoid [`INVALID`]). Torn writes do not rest on it: [`commit`] keeps
/// a slot at [`INVALID`] while it is being rewritten.
fn checksum(fields: &[u16]) -> u16 {
    let h = fields.iter().fold(0x5A5A_u16, |h, &word| (h ^ word).swap_bytes().wrapping_add(0x9E37));
    if h == INVALID { !INVALID } else { h }
}

/// The id words of `program`, low word first.
fn id_words(program: ProgramId) -> [u16; 2] {
    [program as u16, (program >> 16) as u16]
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
    let mut words = [0; SLOT_WORDS];
    for (offset, word) in words.iter_mut().enumerate() {
        *word = nv.read(index * SLOT_WORDS + offset);
    }
    words
}

/// The newer of the slots that are completely written by `program` (by any program if `None`), if any;
/// sequence numbers compared wrap-aware. Not inlined, like the other functions here that the firmware
/// calls from several places: one copy of each keeps the code small (lower FRAM is tight).
#[inline(never)]
fn newest<N: NvWords + ?Sized>(nv: &N, program: Option<ProgramId>) -> Option<usize> {
    let slots = [slot(nv, 0), slot(nv, 1)];
    let counts = |s: &Slot| {
        s[CHECK_WORD] == checksum(&s[..CHECK_WORD]) && program.is_none_or(|p| s[ID_LO..=ID_HI] == id_words(p))
    };
    match (counts(&slots[0]), counts(&slots[1])) {
        (true, true) => Some(usize::from((slots[1][SEQ].wrapping_sub(slots[0][SEQ]) as i16) > 0)),
        (true, false) => Some(0),
        (false, true) => Some(1),
        (false, false) => None,
    }
}

/// The progress `program` committed (`None` before its first commit, and whatever another build left).
pub fn current<N: NvWords + ?Sized>(nv: &N, program: ProgramId) -> Option<Progress> {
    newest(nv, Some(program)).map(|i| {
        let s = slot(nv, i);
        Progress { epoch: s[EPOCH], task: s[TASK] }
    })
}

/// Writes `value` unless the word already holds it: a commit then costs four word writes (check, seq,
/// task, check) when the epoch and the id stay, as they do for every commit inside one inference.
fn set<N: NvWords + ?Sized>(nv: &mut N, index: usize, value: u16) {
    if nv.read(index) != value {
        nv.write(index, value);
    }
}

/// Commits `progress` of `program` atomically: the older slot is invalidated, rewritten, and validated by
/// its check word, written last.
#[inline(never)]
pub fn commit<N: NvWords + ?Sized>(nv: &mut N, program: ProgramId, progress: Progress) {
    let (target, seq) = match newest(nv, Some(program)) {
        Some(i) => (1 - i, nv.read(i * SLOT_WORDS + SEQ).wrapping_add(1)),
        None => (0, 1),
    };
    let [id_lo, id_hi] = id_words(program);
    let mut fields = [0; CHECK_WORD];
    (fields[EPOCH], fields[TASK], fields[ID_LO], fields[ID_HI], fields[SEQ]) =
        (progress.epoch, progress.task, id_lo, id_hi, seq);
    let at = target * SLOT_WORDS;
    set(nv, at + CHECK_WORD, INVALID);
    for (offset, &word) in fields.iter().enumerate() {
        set(nv, at + offset, word);
    }
    nv.write(at + CHECK_WORD, checksum(&fields));
}

/// Erases a record that holds no progress of `program` (another build's, or torn, or fresh): every check
/// word becomes [`INVALID`], so the record reads as fresh FRAM for every build, and a build flashed back
/// later cannot resume progress whose data this one is about to overwrite. One word write per slot, each
/// idempotent and none able to make a slot valid, so a failure anywhere leaves a record that is still
/// empty for `program` and the next boot erases the rest. The older slot goes first: a failure between the
/// two writes leaves the other build its newest progress, never only its older one, which would roll it
/// back past a task whose outputs may already have overwritten that task's inputs (ping-pong buffers).
/// Does nothing if `program` has progress.
#[inline(never)]
pub fn erase_foreign<N: NvWords + ?Sized>(nv: &mut N, program: ProgramId) {
    if newest(nv, Some(program)).is_some() {
        return;
    }
    let last = newest(nv, None).unwrap_or(1);
    for index in [1 - last, last] {
        set(nv, index * SLOT_WORDS + CHECK_WORD, INVALID);
    }
}
