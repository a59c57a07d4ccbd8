//! acec: compiles ONNX models into `#![no_std]` Rust crates for energy-harvesting MCUs.
//!
//! Stages run left to right (see ARCHITECTURE.md): [`onnx`] imports into the [`graph`]; [`rad`] analyses and
//! compresses weights; [`report`] renders what a person reads.

pub mod ace;
pub mod cli;
pub mod codegen;
pub mod commands;
pub mod compress;
pub mod dataset;
pub mod error;
pub mod firmware;
pub mod flex;
pub mod graph;
pub mod onnx;
pub mod pipeline;
pub mod rad;
pub mod reference;
pub mod report;
pub mod target;
pub mod verify;
pub mod xorshift;
