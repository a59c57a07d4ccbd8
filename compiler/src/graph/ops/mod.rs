//! The semantics of a layer kind, one file each: what it computes in float, and what lowering needs to
//! know about it without knowing the kind.

pub mod activation;
pub mod mul;
pub mod pad;
pub mod prelu;
