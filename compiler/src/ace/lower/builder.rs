//! What lowering accumulates while it walks the layers: the program's buffers (constants and scratch) and
//! the LEA RAM, 32-bit accumulators and alignment the steps so far need.

use super::super::program::{Buffer, BufferId, Data, Space, Step};

pub(super) struct Builder {
    pub(super) buffers: Vec<Buffer>,
    pub(super) steps: Vec<Step>,
    pub(super) lea_needed: usize,
    pub(super) acc32_needed: usize,
    pub(super) lea_align: usize,
}

impl Builder {
    /// The state a tentative lowering may change, to [`Builder::restore`] when it is abandoned.
    pub(super) fn checkpoint(&self) -> (usize, usize, usize, usize) {
        (self.buffers.len(), self.lea_needed, self.acc32_needed, self.lea_align)
    }

    pub(super) fn restore(&mut self, (buffers, lea_needed, acc32_needed, lea_align): (usize, usize, usize, usize)) {
        self.buffers.truncate(buffers);
        (self.lea_needed, self.acc32_needed, self.lea_align) = (lea_needed, acc32_needed, lea_align);
    }

    pub(super) fn constant(&mut self, layer: &str, what: &str, data: Data, doc: String) -> BufferId {
        let base = format!("{}_{}", identifier(layer), what);
        // Different node names can map to one identifier (`fc.1`, `fc_1`): number the later ones.
        let mut name = base.clone();
        let mut n = 2;
        while self.buffers.iter().any(|b| b.name == name) {
            name = format!("{base}_{n}");
            n += 1;
        }
        self.buffers.push(Buffer { name, space: Space::FramConst, data, align: 2, doc });
        BufferId(self.buffers.len() - 1)
    }

    /// A constant with these values, shared with an earlier one of the same kind (`what`) that holds
    /// exactly them: two activations of one function between the same formats read one table.
    pub(super) fn shared_constant(&mut self, layer: &str, what: &str, data: Data, doc: String) -> BufferId {
        let suffix = format!("_{what}");
        let same = |b: &Buffer| b.space == Space::FramConst && b.name.ends_with(&suffix) && b.data == data;
        match self.buffers.iter().position(same) {
            Some(index) => BufferId(index),
            None => self.constant(layer, what, data, doc),
        }
    }

    pub(super) fn scratch(&mut self, name: &str, space: Space, data: Data, doc: &str) -> BufferId {
        self.buffers.push(Buffer { name: name.into(), space, data, align: 4, doc: doc.into() });
        BufferId(self.buffers.len() - 1)
    }
}

/// `"/fc1/Gemm"` -> `"FC1_GEMM"`: a Rust-friendly name for a layer.
pub fn identifier(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_uppercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    let out = out.trim_end_matches('_').to_string();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) { format!("L_{out}") } else { out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_constant_is_stored_once_per_distinct_content() {
        let mut b = Builder { buffers: Vec::new(), steps: Vec::new(), lea_needed: 2, acc32_needed: 1, lea_align: 4 };
        let table = |v: i16| Data::I16(vec![v, 2, 3]);
        let first = b.shared_constant("tanh1", "TABLE", table(1), String::new());
        let again = b.shared_constant("tanh2", "TABLE", table(1), String::new());
        let other = b.shared_constant("tanh3", "TABLE", table(9), String::new());
        // Same values but another kind: not shared.
        let weights = b.shared_constant("fc", "WEIGHTS", table(1), String::new());
        assert_eq!(first, again);
        assert_ne!(first, other);
        assert_ne!(first, weights);
        assert_eq!(b.buffers.len(), 3);
    }
}
