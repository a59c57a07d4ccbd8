//! Memory planning: every buffer gets an address range in a region of the target's memory map, with its
//! alignment; a program that does not fit is refused with what does not fit, by how much, and what helps.

use serde::Serialize;

use super::error::LowerError;
use super::program::{BufferId, Program, Space};
use crate::target::Target;

/// SRAM kept free for the firmware's stack and its own variables (a firmware policy, not a device fact).
pub const SRAM_RESERVED_BYTES: u64 = 1024;

#[derive(Clone, Debug, Serialize)]
pub struct Placement {
    pub buffer: String,
    pub space: Space,
    pub region: String,
    pub address: u64,
    pub bytes: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct RegionUsage {
    pub region: String,
    pub used: u64,
    pub capacity: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct MemoryPlan {
    pub placements: Vec<Placement>,
    pub regions: Vec<RegionUsage>,
    /// Bytes per memory space.
    pub bytes_per_space: Vec<(Space, u64)>,
}

/// The region each space maps to on the target, and how much of it is usable.
fn region_for(target: &Target, space: Space) -> Option<(String, u64, u64)> {
    let name = match space {
        Space::FramConst | Space::FramData => "fram_lower",
        Space::Sram => "sram",
        Space::LeaRam if target.has_lea => "lea_ram",
        // Without an accelerator the staging scratch is ordinary memory; FRAM has room for it, SRAM may not.
        Space::LeaRam => "fram_lower",
    };
    let region = target.region(name)?;
    // Data goes after the reserved part: code at the start of FRAM, the stack in SRAM.
    let reserve = match name {
        "sram" => SRAM_RESERVED_BYTES,
        "fram_lower" => target.code_reserve_bytes.as_ref().map_or(0, |r| r.value),
        _ => 0,
    };
    let start = if name == "fram_lower" { region.start + reserve } else { region.start };
    Some((name.to_string(), start, region.size.saturating_sub(reserve)))
}

pub fn plan(program: &Program, target: &Target) -> Result<MemoryPlan, LowerError> {
    let mut cursors: Vec<(String, u64, u64, u64)> = Vec::new(); // (region, start, capacity, used)
    let mut placements = Vec::new();
    // By space, then the most strictly aligned first, so alignment padding stays small; ties by index.
    let mut order: Vec<usize> = (0..program.buffers.len()).collect();
    order.sort_by_key(|&i| (program.buffers[i].space, std::cmp::Reverse(program.buffers[i].align), i));
    for i in order {
        let buffer = program.buffer(BufferId(i));
        let bytes = buffer.bytes() as u64;
        let Some((region, start, capacity)) = region_for(target, buffer.space) else {
            // A target without a memory map (the host) places nothing.
            placements.push(Placement {
                buffer: buffer.name.clone(),
                space: buffer.space,
                region: "host".into(),
                address: 0,
                bytes,
            });
            continue;
        };
        let cursor = match cursors.iter_mut().find(|c| c.0 == region) {
            Some(c) => c,
            None => {
                cursors.push((region.clone(), start, capacity, 0));
                cursors.last_mut().expect("just pushed")
            }
        };
        let align = buffer.align.max(2) as u64;
        let address = (cursor.1 + cursor.3).div_ceil(align) * align;
        cursor.3 = address - cursor.1 + bytes;
        placements.push(Placement {
            buffer: buffer.name.clone(),
            space: buffer.space,
            region: region.clone(),
            address,
            bytes,
        });
    }
    for (region, _, capacity, used) in &cursors {
        if used > capacity {
            return Err(does_not_fit(program, target, region, *used, *capacity));
        }
    }
    let bytes_per_space = program.bytes_per_space();
    let regions =
        cursors.into_iter().map(|(region, _, capacity, used)| RegionUsage { region, used, capacity }).collect();
    Ok(MemoryPlan { placements, regions, bytes_per_space })
}

fn does_not_fit(program: &Program, target: &Target, region: &str, used: u64, capacity: u64) -> LowerError {
    let constants: u64 = program.buffers.iter().filter(|b| b.is_constant()).map(|b| b.bytes() as u64).sum();
    let dense_layers: Vec<&str> =
        program.steps.iter().filter(|s| s.kind == "dense-mac").map(|s| s.layer.as_str()).collect();
    let help = if region == "fram_lower" && !dense_layers.is_empty() {
        format!(
            "; {constants} bytes are constants: compress the dense layers ({}) with --block 64 (or 32, 16), or train \
             them block-circulant with `acec compress`. (Placing constants in upper FRAM through DMA is not \
             implemented yet.)",
            dense_layers.join(", ")
        )
    } else if region == "fram_lower" {
        format!("; {constants} bytes are constants (placing them in upper FRAM through DMA is not implemented yet)")
    } else {
        String::new()
    };
    LowerError::DoesNotFit {
        target: target.name.clone(),
        detail: format!(
            "{region} needs {used} bytes but has {capacity}{} ({} over){help}",
            if region == "fram_lower" { " after the code reserve" } else { "" },
            used - capacity
        ),
    }
}
