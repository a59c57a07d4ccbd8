//! ACE: the accelerator program — lowering from the layer graph, the host interpreter, memory planning.

pub mod cost;
pub mod error;
pub mod exec;
pub mod lower;
pub mod memory;
pub mod program;
pub mod spectrum;

pub use cost::CostModel;
pub use error::LowerError;
pub use lower::{BlockRequest, CirculantMethod, ConvMethod, LowerOptions, block_fits, conv_block_fits, lower};
pub use program::{Act, Buffer, BufferId, Call, Data, Descriptor, Operand, Program, Space, Step};
