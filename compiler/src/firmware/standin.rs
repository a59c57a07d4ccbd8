//! The DSPLib stand-in's sources (`targets/msp430fr5994-lea/dsplib-standin/`), embedded like the harness's,
//! for `acec build --firmware --dsplib-standin` and `acec selftest`: they go to `<harness>/dsplib-standin/`,
//! a path dependency of the harness that its feature `dsplib-standin` turns on. The harness is a directory
//! of the output whose sibling `acec-runtime/` is the runtime copy.

use crate::codegen::GeneratedFile;

const MANIFEST: &str = include_str!("../../../targets/msp430fr5994-lea/dsplib-standin/Cargo.toml");

const SOURCES: &[(&str, &str)] = embed_target_files!("dsplib-standin":
    "src/lib.rs",
    "src/access.rs",
    "src/filter.rs",
    "src/lea_ram.rs",
    "src/transform.rs",
    "src/types.rs",
    "src/utility.rs",
    "src/vector.rs",
);

/// In the checkout the crate is its own workspace and reaches `runtime/`; in the output directory it is a
/// member of the harness's workspace (a path dependency inside it) and reaches the runtime copy there.
const CHECKOUT_RUNTIME: &str = "acec-runtime = { path = \"../../../runtime\" }";
const OUTPUT_RUNTIME: &str = "acec-runtime = { path = \"../../acec-runtime\" }";
const OWN_WORKSPACE: &str = "\n[workspace]\n";

/// The stand-in's manifest as the output directory needs it.
fn manifest() -> String {
    MANIFEST.replace(CHECKOUT_RUNTIME, OUTPUT_RUNTIME).replace(OWN_WORKSPACE, "\n")
}

/// The stand-in crate's files, under `{harness}/dsplib-standin/` (`harness`: a top-level directory of the
/// output, `firmware` or `selftest`).
pub fn files(harness: &str) -> Vec<GeneratedFile> {
    let dir = format!("{harness}/dsplib-standin");
    let mut files = vec![GeneratedFile::new(&format!("{dir}/Cargo.toml"), manifest())];
    files.extend(SOURCES.iter().map(|(path, text)| GeneratedFile::new(&format!("{dir}/{path}"), text.to_string())));
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_is_rewritten_for_the_output_directory() {
        assert!(MANIFEST.contains(CHECKOUT_RUNTIME) && MANIFEST.contains(OWN_WORKSPACE), "the anchors moved");
        let manifest = manifest();
        assert!(manifest.contains(OUTPUT_RUNTIME) && !manifest.contains("[workspace]"), "{manifest}");
    }

    #[test]
    fn every_source_file_of_the_crate_is_embedded() {
        crate::firmware::assert_embeds_every_source("dsplib-standin", SOURCES);
    }
}
