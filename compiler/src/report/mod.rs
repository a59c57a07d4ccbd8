//! What a person (or a script) reads: layer tables, in text and JSON.

pub mod bound;
pub mod build;
pub mod compare;
pub mod energy;
pub mod inspect;
pub mod sensitivity;
pub mod svg;
pub mod table;
