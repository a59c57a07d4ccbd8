//! RAD: resource-aware compression — block-circulant structure, calibration and Q15 quantization.

pub mod calibrate;
pub mod circulant;
pub mod quant;
