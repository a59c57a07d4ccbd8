//! RAD: resource-aware compression. For now: block-circulant projection and structure detection.

pub mod circulant;
