//! acec: compiles ONNX models into `#![no_std]` Rust crates for energy-harvesting MCUs.
//!
//! Stages run left to right (see ARCHITECTURE.md): [`onnx`] imports into the [`graph`]; [`rad`] analyses and
//! compresses weights; [`report`] renders what a person reads. A firmware crate's `build.rs` compiles its model
//! with [`Build`].

pub mod ace;
pub mod build_job;
mod builder;
#[cfg(feature = "cli")]
pub mod cli;
pub mod codegen;
#[cfg(feature = "cli")]
pub mod commands;
#[cfg(feature = "cli")]
pub mod compress;
pub mod dataset;
pub mod error;
#[cfg(feature = "cli")]
pub mod firmware;
pub mod flex;
pub mod graph;
pub mod onnx;
pub mod package;
pub mod pipeline;
#[cfg(feature = "cli")]
pub mod progress;
pub mod rad;
#[cfg(feature = "cli")]
pub mod reference;
pub mod report;
pub mod target;
pub mod task;
pub mod verify;
pub mod xorshift;

pub use builder::{Build, Generated};
