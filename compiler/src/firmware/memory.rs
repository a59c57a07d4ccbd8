//! The linked firmware's memory by region of the MSP430FR5994 (SLASE54 memory map), from its section
//! headers: what the code, the constants, the non-volatile state and the scratch really take.

use serde::Serialize;

use super::elf::Elf;
use crate::report::table::{render, thousands};

/// Regions of the device: (name, first address, end address (exclusive), what goes there).
const REGIONS: &[(&str, u64, u64, &str)] = &[
    ("lower FRAM", 0x4000, 0xFF80, "code, constants, results, progress record, activations"),
    ("upper FRAM", 0x1_0000, 0x4_4000, "weights read by DMA"),
    ("SRAM", 0x1C00, 0x2C00, "scratch, .data/.bss; the rest is stack"),
    ("LEA RAM", 0x2C00, 0x3AC8, "accelerator operands (the LEA stack owns 0x3AC8-0x3BFF)"),
    ("vectors", 0xFF80, 0x1_0000, "interrupt and reset vectors"),
];

#[derive(Clone, Debug, Serialize)]
pub struct MemoryRow {
    pub region: String,
    pub used: u64,
    pub capacity: u64,
    /// Sections in the region with their sizes.
    pub sections: Vec<(String, u64)>,
}

/// Bytes per device region. A section outside every region is an error (the linker script was changed).
pub fn memory_report(elf: &Elf) -> Result<Vec<MemoryRow>, String> {
    let mut rows: Vec<MemoryRow> = REGIONS
        .iter()
        .map(|(name, start, end, _)| MemoryRow {
            region: (*name).to_string(),
            used: 0,
            capacity: end - start,
            sections: Vec::new(),
        })
        .collect();
    for section in elf.sections.iter().filter(|s| s.allocated && s.size > 0) {
        let index =
            REGIONS.iter().position(|(_, start, end, _)| (*start..*end).contains(&section.address)).ok_or_else(
                || format!("section {} at {:#x} is outside the device's memory", section.name, section.address),
            )?;
        let row = &mut rows[index];
        row.used += section.size;
        row.sections.push((section.name.clone(), section.size));
        // The `.data` load image also occupies lower FRAM.
        if section.name == ".data" && section.loaded {
            rows[0].used += section.size;
            rows[0].sections.push((".data (load image)".into(), section.size));
        }
    }
    Ok(rows)
}

pub fn render_memory_report(rows: &[MemoryRow]) -> String {
    let table: Vec<Vec<String>> = rows
        .iter()
        .zip(REGIONS)
        .map(|(row, (_, _, _, what))| {
            let sections: Vec<String> = row.sections.iter().map(|(n, b)| format!("{n} {}", thousands(*b))).collect();
            vec![
                row.region.clone(),
                thousands(row.used),
                thousands(row.capacity),
                format!("{:.1}%", 100.0 * row.used as f64 / row.capacity as f64),
                if sections.is_empty() { format!("({what})") } else { sections.join(", ") },
            ]
        })
        .collect();
    format!("```\n{}```\n", render(&["region", "used", "capacity", "use", "sections"], &table))
}
