//! The weights the memory plan put in upper FRAM, as the generated crate stores and reaches them.
//!
//! On the MSP430 a Rust object may not exceed 32 KB (`isize` is 16 bits) and nothing above 0xFFFF can be
//! referenced, so the arrays are concatenated (program order, as the memory plan lays them out) and cut into
//! chunk statics `FRAM_UPPER_00`, `FRAM_UPPER_01`, ... in sections `.acec.fram_upper.00`, ... that the
//! firmware's linker script keeps and places in name order from `FRAM_UPPER_ADDRESS`. Nothing references
//! them (`#[used]` keeps them); layers reach them by address through `far(ARRAY)`, a DMA source, where each
//! array keeps its name and doc comment as a constant `(offset, len)` into the concatenation. On other
//! targets the same values form one `repr(C)` struct of the chunks, read as a slice. The values are written
//! once, in one macro per chunk, used by both.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ace::{BufferId, Data, Program, Space};

/// Values per chunk: 16 KB, well under the 32 KB object limit of a 16-bit target.
const CHUNK: usize = 8192;

/// Where each upper-FRAM array starts in the concatenation, in elements, and what it is.
pub struct UpperFram {
    offsets: BTreeMap<usize, usize>,
    /// Per array, in program order: its name, doc and `(offset, len)`.
    arrays: Vec<(String, String, usize, usize)>,
    values: Vec<i16>,
}

impl UpperFram {
    pub fn new(program: &Program) -> UpperFram {
        let mut offsets = BTreeMap::new();
        let (mut arrays, mut values) = (Vec::new(), Vec::new());
        for (index, buffer) in program.buffers.iter().enumerate() {
            if let (Space::FramUpper, Data::I16(data)) = (buffer.space, &buffer.data) {
                offsets.insert(index, values.len());
                arrays.push((buffer.name.clone(), buffer.doc.clone(), values.len(), data.len()));
                values.extend_from_slice(data);
            }
        }
        UpperFram { offsets, arrays, values }
    }

    /// `&far(NAME)` for an array in upper FRAM, `None` for any other buffer.
    pub fn reference(&self, program: &Program, id: BufferId) -> Option<TokenStream> {
        self.offsets.get(&id.0)?;
        let name = proc_macro2::Ident::new(&program.buffer(id).name, proc_macro2::Span::call_site());
        Some(quote! { &far(#name) })
    }

    /// The chunk statics, the host view and `far`, as source text (values printed sixteen a line); empty
    /// when nothing is in upper FRAM.
    pub fn items(&self, address: u64) -> String {
        if self.values.is_empty() {
            return String::new();
        }
        let chunks: Vec<&[i16]> = self.values.chunks(CHUNK).collect();
        let mut out = format!(
            "/// Byte address of upper FRAM, where the firmware's linker script must place the sections \
             `.acec.fram_upper.*` in name order (`KEEP(*(SORT_BY_NAME(.acec.fram_upper.*)))`).\n\
             pub const FRAM_UPPER_ADDRESS: u32 = {address:#x};\n\n\
             /// Values in upper FRAM, in all.\nconst FRAM_UPPER_LEN: u32 = {};\n\n",
            self.values.len()
        );
        // Upper FRAM is 208 KB: offsets and lengths fit `u32` by far.
        for (name, doc, offset, len) in &self.arrays {
            out.push_str(&format!(
                "/// {doc} (upper FRAM: `(offset, len)` in values of the concatenation, read by DMA).\n\
                 const {name}: (u32, u32) = ({offset}, {len});\n\n"
            ));
        }
        for (k, chunk) in chunks.iter().enumerate() {
            let lines: Vec<String> = chunk
                .chunks(16)
                .map(|line| format!("            {},", line.iter().map(i16::to_string).collect::<Vec<_>>().join(", ")))
                .collect();
            out.push_str(&format!(
                "/// Upper FRAM values {start}..{end}.\nmacro_rules! fram_upper_{k:02} {{\n    () => {{\n        [\n{}\n        \
                 ]\n    }};\n}}\n\n\
                 #[cfg(target_arch = \"msp430\")]\n#[used]\n#[unsafe(link_section = \".acec.fram_upper.{k:02}\")]\n\
                 static FRAM_UPPER_{k:02}: [i16; {len}] = fram_upper_{k:02}!();\n\n",
                lines.join("\n"),
                start = k * CHUNK,
                end = k * CHUNK + chunk.len(),
                len = chunk.len(),
            ));
        }
        let types: Vec<String> = chunks.iter().map(|c| format!("[i16; {}]", c.len())).collect();
        let inits: Vec<String> = (0..chunks.len()).map(|k| format!("fram_upper_{k:02}!()")).collect();
        out.push_str(&format!(
            "/// Off the MSP430 every address is reachable: the chunks side by side (arrays of `i16`, so no \
             padding).\n#[cfg(not(target_arch = \"msp430\"))]\n#[repr(C)]\nstruct FramUpper({});\n\n\
             #[cfg(not(target_arch = \"msp430\"))]\nstatic FRAM_UPPER: FramUpper = FramUpper({});\n\n",
            types.join(", "),
            inits.join(", ")
        ));
        let far = quote! {
            /// The upper-FRAM array `(offset, len)` (values `offset..offset + len`; `u32`: there can be more than a
            /// 16-bit `usize` counts), for a layer to stage by DMA.
            fn far((offset, len): (u32, u32)) -> acec_runtime::Far<'static> {
                debug_assert!(offset + len <= FRAM_UPPER_LEN);
                #[cfg(target_arch = "msp430")]
                // SAFETY: the linker script places the chunks contiguously from FRAM_UPPER_ADDRESS (its
                // contract above), and `offset + len <= FRAM_UPPER_LEN` for every call the layers make.
                return unsafe { acec_runtime::Far::at_address(FRAM_UPPER_ADDRESS + 2 * offset, len) };
                #[cfg(not(target_arch = "msp430"))]
                {
                    // SAFETY: `FramUpper` is `repr(C)` arrays of `i16`: FRAM_UPPER_LEN contiguous values.
                    let all = unsafe {
                        core::slice::from_raw_parts(core::ptr::addr_of!(FRAM_UPPER).cast::<i16>(), FRAM_UPPER_LEN as usize)
                    };
                    acec_runtime::Far::from_slice(&all[offset as usize..(offset + len) as usize])
                }
            }
        };
        let file: syn::File = syn::parse2(far).expect("fixed tokens parse");
        out.push_str(&prettyplease::unparse(&file));
        out
    }
}
