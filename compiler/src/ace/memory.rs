//! Memory planning: every buffer gets an address range in a region of the target's memory map, with its
//! alignment; a program that does not fit is refused with what does not fit and by how much (the commands add
//! how to make it fit: `cli::advice`).

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
        Space::FramUpper => "fram_upper",
        Space::Sram => "sram",
        Space::LeaRam if target.has_lea => "lea_ram",
        // Without an accelerator the staging scratch is ordinary memory; FRAM has room for it, SRAM may not.
        Space::LeaRam => "fram_lower",
    };
    let region = target.region(name)?;
    // Data goes after the reserved part: code at the start of FRAM, the stack in SRAM; the backend's own
    // word at the end of LEA RAM.
    let reserve = match name {
        "sram" => SRAM_RESERVED_BYTES,
        "fram_lower" => target.code_reserve_bytes.as_ref().map_or(0, |r| r.value),
        "lea_ram" => acec_runtime::backend::LEA_RAM_RESERVED_BYTES as u64,
        _ => 0,
    };
    let start = if name == "fram_lower" { region.start + reserve } else { region.start };
    Some((name.to_string(), start, region.size.saturating_sub(reserve)))
}

pub fn plan(program: &Program, target: &Target) -> Result<MemoryPlan, LowerError> {
    let (placements, regions) = layout(program, target);
    if let Some(over) = regions.iter().find(|r| r.used > r.capacity) {
        return Err(does_not_fit(program, target, &over.region, over.used, over.capacity));
    }
    Ok(MemoryPlan { placements, regions, bytes_per_space: program.bytes_per_space() })
}

/// Moves weight arrays to upper FRAM, the largest first, while the lower FRAM overflows and the target has
/// an upper region. Only arrays that layers read through staging copies can move (see
/// [`crate::ace::Call::staged_weights`]); biases and other constants the CPU reads stay below 64 KB.
pub fn spill_to_upper_fram(program: &mut Program, target: &Target) {
    if region_for(target, Space::FramUpper).is_none() {
        return;
    }
    let mut candidates: Vec<BufferId> = program.steps.iter().filter_map(|s| s.call.staged_weights()).collect();
    candidates.sort_by_key(|id| (std::cmp::Reverse(program.buffer(*id).bytes()), id.0));
    candidates.dedup();
    for id in candidates {
        let (_, regions) = layout(program, target);
        if !regions.iter().any(|r| r.region == "fram_lower" && r.used > r.capacity) {
            return;
        }
        program.buffers[id.0].space = Space::FramUpper;
    }
}

/// Addresses for every buffer, and how full each region gets (possibly over its capacity).
fn layout(program: &Program, target: &Target) -> (Vec<Placement>, Vec<RegionUsage>) {
    let mut regions: Vec<(RegionUsage, u64)> = Vec::new(); // (usage, start address)
    let mut placements = Vec::new();
    // By space, then the most strictly aligned first, so alignment padding stays small; ties by index (so
    // upper FRAM arrays, all 2-byte aligned, follow program order, as the generated code lays them out).
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
        let (usage, start) = match regions.iter_mut().find(|(u, _)| u.region == region) {
            Some(entry) => entry,
            None => {
                regions.push((RegionUsage { region: region.clone(), used: 0, capacity }, start));
                regions.last_mut().expect("just pushed")
            }
        };
        let align = buffer.align.max(2) as u64;
        let address = (*start + usage.used).div_ceil(align) * align;
        usage.used = address - *start + bytes;
        placements.push(Placement { buffer: buffer.name.clone(), space: buffer.space, region, address, bytes });
    }
    (placements, regions.into_iter().map(|(usage, _)| usage).collect())
}

fn does_not_fit(program: &Program, target: &Target, region: &str, used: u64, capacity: u64) -> LowerError {
    let bytes_in =
        |space: Space| -> u64 { program.buffers.iter().filter(|b| b.space == space).map(|b| b.bytes() as u64).sum() };
    let help = match region {
        "fram_lower" => format!(
            "; {} bytes are constants the CPU reads directly and {} bytes activations ({} bytes of weights are \
             already in upper FRAM)",
            bytes_in(Space::FramConst),
            bytes_in(Space::FramData),
            bytes_in(Space::FramUpper)
        ),
        "fram_upper" => "; the weights do not fit even with upper FRAM".into(),
        _ => String::new(),
    };
    LowerError::DoesNotFit {
        target: target.name.clone(),
        region: region.to_string(),
        over_bytes: used - capacity,
        detail: format!(
            "{region} needs {used} bytes but has {capacity}{} ({} over){help}",
            if region == "fram_lower" { " after the code reserve" } else { "" },
            used - capacity
        ),
    }
}
