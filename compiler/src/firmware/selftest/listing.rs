//! `selftest.json`: what the self-test firmware tests, case by case (kernel, scalars, input vectors and
//! lengths, where each operand sits in the arena), so a person can see what was tested and the reader can
//! name a kernel's worst case.

use serde::{Deserialize, Serialize};

use super::expect::Planned;
use super::plan::Lands;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Listing {
    pub target: String,
    /// The kernel of each result row, in row order (`acec_runtime::Kernel::ALL`).
    pub rows: Vec<String>,
    /// Words of the LEA RAM arena and of the case data in FRAM.
    pub arena_words: usize,
    pub data_words: usize,
    pub cases: Vec<Listed>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Listed {
    pub index: usize,
    pub kernel: String,
    /// The call in words, e.g. `shift shift=-15 64 words random (seed 1)`.
    pub what: String,
    pub args: Vec<(String, i16)>,
    /// Per input: (what it is, words, arena word offset).
    pub inputs: Vec<(String, usize, usize)>,
    /// Output words, and their arena word offset (`None`: returned values, two words each).
    pub output_words: usize,
    pub output_at: Option<usize>,
}

impl Listing {
    pub fn new(planned: &[Planned], arena_words: usize, data_words: usize) -> Self {
        let cases = planned
            .iter()
            .enumerate()
            .map(|(index, p)| Listed {
                index,
                kernel: p.spec.kernel.name().into(),
                what: p.spec.describe(),
                args: p.spec.args.iter().map(|(n, v)| ((*n).to_string(), *v)).collect(),
                inputs: p
                    .spec
                    .inputs
                    .iter()
                    .zip(&p.case.inputs)
                    .map(|((pattern, len), slot)| (pattern.describe(), *len, usize::from(slot.at)))
                    .collect(),
                output_words: p.expected.len(),
                output_at: (!matches!(p.spec.lands, Lands::Returned(_))).then_some(usize::from(p.case.expected.at)),
            })
            .collect();
        Listing {
            target: "msp430-lea".into(),
            rows: acec_runtime::Kernel::ALL.iter().map(|k| k.name().to_string()).collect(),
            arena_words,
            data_words,
            cases,
        }
    }

    /// Cases listed for `kernel`.
    pub fn count(&self, kernel: &str) -> usize {
        self.cases.iter().filter(|c| c.kernel == kernel).count()
    }
}
