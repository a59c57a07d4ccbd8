//! `acec-runtime`: the kernels generated crates call and the compiler's host simulation executes.
#![no_std]
