//! `PROGRAM_ID`: the identity a generated crate stores in its FLEX progress record, so that a record left in
//! FRAM by another build is never resumed (acec-runtime `flex` treats it as empty).
//!
//! What it hashes: the crate's `src/lib.rs` (or the `build.rs` API's `model.rs` module) exactly as
//! written, with the id's own value written as `0`, then the runtime's record format (`flex::RECORD_FORMAT`,
//! two bytes little-endian), then every source file of the runtime copy written beside the crate
//! (`acec-runtime/`: `Cargo.toml`, then each `.rs` file's path relative to `acec-runtime/` and its contents,
//! sorted by path; each part followed by a 0 byte; a module build hashes the same embedded runtime, which
//! its crate must depend on). `lib.rs` is the canonical content of the model: every constant (weights,
//! biases, shifts), every kernel call with its shapes and formats, the task table and the buffer placement;
//! the runtime is what those calls execute, so a record an older runtime left (its partial results computed
//! by other kernels) is foreign too. All of it is deterministic (same program, same bytes; the snapshots pin
//! it), and anyone can check an id with the output directory alone.
//!
//! Why FNV-1a 32 suffices: the id only has to tell this build from the one build whose record the board
//! may hold, and nothing adversarial writes FRAM. A foreign record is resumed only if its 32-bit id equals
//! ours, about 2^-32 for unrelated texts (and its slot checksum must hold as well); files that differ in
//! one byte always get different ids, because each FNV-1a step is a bijection of the state. Wider ids
//! would cost more FRAM words in each record slot, for no case that matters.

use acec_runtime::flex::{ProgramId, RECORD_FORMAT};

/// How the id is written before it is known (what codegen emits); [`stamp`] replaces it.
pub const PLACEHOLDER: &str = "0";

/// The line of `src/lib.rs` that holds the id.
const DECLARATION: &str = "pub const PROGRAM_ID: u32 = ";

/// FNV-1a, 32 bits (offset basis 0x811C9DC5, prime 0x01000193).
pub fn fnv1a32(bytes: &[u8]) -> u32 {
    bytes.iter().fold(0x811C_9DC5, |h, &b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

/// The id of a `src/lib.rs` whose `PROGRAM_ID` is written as [`PLACEHOLDER`], built with the runtime acec
/// embeds.
pub fn program_id(text_with_placeholder: &str) -> ProgramId {
    let mut bytes = text_with_placeholder.as_bytes().to_vec();
    bytes.extend_from_slice(&RECORD_FORMAT.to_le_bytes());
    bytes.extend_from_slice(super::RUNTIME_MANIFEST.as_bytes());
    bytes.push(0);
    let mut sources: Vec<&(&str, &str)> = super::RUNTIME_SOURCES.iter().collect();
    sources.sort_by_key(|(path, _)| *path);
    for (path, contents) in sources {
        for part in [path.as_bytes(), contents.as_bytes()] {
            bytes.extend_from_slice(part);
            bytes.push(0);
        }
    }
    fnv1a32(&bytes)
}

/// Writes the id of `text` into its `PROGRAM_ID` declaration, which must hold [`PLACEHOLDER`] exactly once.
pub fn stamp(text: &str) -> Result<(ProgramId, String), String> {
    let marker = format!("{DECLARATION}{PLACEHOLDER};");
    if text.matches(&marker).count() != 1 {
        return Err(format!("the generated lib.rs must declare `{marker}` exactly once"));
    }
    let id = program_id(text);
    let written = format!("{DECLARATION}0x{:04X}_{:04X};", id >> 16, id & 0xFFFF);
    Ok((id, text.replacen(&marker, &written, 1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(body: &str) -> String {
        format!("//! a crate\n{DECLARATION}{PLACEHOLDER};\n{body}\n")
    }

    #[test]
    fn fnv1a32_matches_the_published_test_vectors() {
        // From the FNV reference (isthe.com/chongo/tech/comp/fnv): "" and "a".
        assert_eq!(fnv1a32(b""), 0x811C_9DC5);
        assert_eq!(fnv1a32(b"a"), 0xE40C_292C);
        assert_eq!(fnv1a32(b"foobar"), 0xBF9C_F968);
    }

    #[test]
    fn the_stamped_id_is_the_hash_of_the_file_with_its_value_written_as_0() {
        let text = file("static W: [i16; 2] = [1, 2];");
        let (id, stamped) = stamp(&text).unwrap();
        assert!(stamped.contains(&format!("PROGRAM_ID: u32 = 0x{:04X}_{:04X};", id >> 16, id & 0xFFFF)), "{stamped}");
        let zeroed =
            stamped.replace(&format!("= 0x{:04X}_{:04X};", id >> 16, id & 0xFFFF), &format!("= {PLACEHOLDER};"));
        assert_eq!(zeroed, text);
        assert_eq!(program_id(&zeroed), id);
        assert_eq!(stamp(&text).unwrap(), (id, stamped), "deterministic");
    }

    #[test]
    fn any_change_to_the_file_changes_the_id() {
        let base = program_id(&file("static W: [i16; 2] = [1, 2];"));
        for changed in
            ["static W: [i16; 2] = [1, 3];", "static W: [i16; 2] = [2, 1];", "static W: [i16; 3] = [1, 2, 0];"]
        {
            assert_ne!(program_id(&file(changed)), base, "{changed}");
        }
    }

    #[test]
    fn a_file_without_exactly_one_placeholder_is_refused() {
        assert!(stamp("pub const X: u32 = 0;").is_err());
        let twice = format!("{}{}", file(""), file(""));
        assert!(stamp(&twice).is_err());
    }
}
