//! Where a case's operands go in the firmware's LEA RAM arena, by DSPLib's placement rules for the LEA
//! (`MSP_LEA_VALID_ADDRESS` and `DSPLib_transform.h`): every operand (sources, destination, FIR taps, the
//! 32-bit accumulator) inside the arena, 4-byte aligned; a real FFT of N samples 2N-byte aligned, a complex
//! FFT of N points 4N-byte aligned. The arena itself is 1 KB aligned (the harness's `Arena`), so offsets
//! that are multiples of an alignment up to 1 KB keep it.

use acec_runtime::Kernel;

use super::plan::{Lands, Spec};

/// The arena's size in 16-bit words (2 KB: a 1 KB-aligned type's size is a multiple of 1 KB, and 2 KB fits
/// LEA RAM's 3784 usable bytes wherever the link puts it after another small `.leaRAM` object).
pub const ARENA_WORDS: usize = 1024;

/// The arena's alignment in bytes (`#[repr(C, align(1024))]` in the harness).
pub const ARENA_ALIGN: usize = 1024;

/// `(at, len)` in words of each input slot, then of the output (`None` for returned values).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placement {
    pub inputs: Vec<(usize, usize)>,
    pub output: Option<(usize, usize)>,
}

/// The byte alignment DSPLib requires of `kernel`'s operand of `words` words.
pub fn alignment(kernel: Kernel, words: usize) -> usize {
    match kernel {
        // msp_cmplx_fft_fixed_q15 on words/2 points: 4 * points bytes (the real transforms call it on
        // their N samples as N/2 points, which is the 2N bytes of MSP_ALIGN_FFT_Q15).
        Kernel::Rfft | Kernel::Irfft | Kernel::Cfft | Kernel::Cifft => (2 * words).max(4),
        _ => 4,
    }
}

/// Inputs one after another from word 0, each at the next offset its alignment allows; an output apart
/// from them after the last; an output in place at its input's offset.
pub fn place(spec: &Spec) -> Placement {
    let align_words = |at: usize, words: usize| at.next_multiple_of(alignment(spec.kernel, words) / 2);
    let mut end = 0;
    let inputs: Vec<(usize, usize)> = spec
        .inputs
        .iter()
        .map(|&(_, len)| {
            let at = align_words(end, len);
            end = at + len;
            (at, len)
        })
        .collect();
    let output = match spec.lands {
        Lands::Over(k) => inputs.get(k).copied(),
        Lands::Apart(len) => Some((align_words(end, len), len)),
        Lands::Returned(_) => None,
    };
    Placement { inputs, output }
}

/// Why a placement breaks DSPLib's rules, if it does: outside the arena, misaligned, or overlapping.
pub fn violation(spec: &Spec, placement: &Placement) -> Option<String> {
    let mut spans: Vec<(usize, usize)> = placement.inputs.clone();
    if matches!(spec.lands, Lands::Apart(_)) {
        spans.extend(placement.output);
    }
    for &(at, len) in &spans {
        let align = alignment(spec.kernel, len);
        if at + len > ARENA_WORDS {
            return Some(format!("words {at}..{} pass the arena's {ARENA_WORDS}", at + len));
        }
        if !(2 * at).is_multiple_of(align) || !ARENA_ALIGN.is_multiple_of(align) {
            return Some(format!("word {at} is not {align}-byte aligned"));
        }
    }
    spans.sort_unstable();
    spans.windows(2).find(|w| w[0].0 + w[0].1 > w[1].0).map(|w| format!("{:?} overlaps {:?}", w[0], w[1]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::firmware::selftest::plan::{Pattern, specs};

    #[test]
    fn every_case_fits_the_arena_at_dsplibs_alignments() {
        for spec in specs() {
            let placement = place(&spec);
            assert_eq!(violation(&spec, &placement), None, "{}", spec.describe());
        }
    }

    #[test]
    fn the_largest_transforms_sit_at_the_arenas_1_kb_alignment() {
        let spec = specs().into_iter().find(|s| s.kernel == Kernel::Cfft && s.inputs[0].1 == 512).unwrap();
        assert_eq!(alignment(spec.kernel, 512), 1024);
        assert_eq!(place(&spec).inputs, [(0, 512)]);
    }

    #[test]
    fn breaking_a_rule_is_reported() {
        let spec = Spec {
            kernel: Kernel::Fir,
            args: vec![],
            inputs: vec![(Pattern::Zeros, 39), (Pattern::Zeros, 8)],
            lands: Lands::Apart(32),
        };
        let placement = place(&spec);
        assert_eq!(placement.inputs, [(0, 39), (40, 8)], "the taps move to the next 4-byte boundary");
        let misaligned = Placement { inputs: vec![(0, 39), (39, 8)], output: Some((48, 32)) };
        assert!(violation(&spec, &misaligned).unwrap().contains("aligned"));
        let overlapping = Placement { inputs: vec![(0, 39), (38, 8)], output: Some((48, 32)) };
        assert!(violation(&spec, &overlapping).unwrap().contains("overlaps"));
        let outside = Placement { inputs: vec![(0, 39), (40, 8)], output: Some((1000, 32)) };
        assert!(violation(&spec, &outside).unwrap().contains("arena"));
    }
}
