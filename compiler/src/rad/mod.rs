//! RAD: resource-aware compression — block-circulant structure, ADMM training, calibration and Q15
//! quantization.

#[cfg(feature = "cli")]
pub mod admm;
pub mod calibrate;
pub mod circulant;
pub mod circulant_view;
pub mod quant;
