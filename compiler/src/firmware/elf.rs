//! The little of ELF32 (little-endian, as msp430-none-elf links it) that the firmware report needs: section
//! names, addresses and sizes, and symbol addresses. Reads only a file acec's own link step wrote, but
//! still checks every offset, so a truncated file is an error, not a panic.

use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq)]
pub struct Section {
    pub name: String,
    pub address: u64,
    pub size: u64,
    /// Occupies space in the image (false for NOLOAD / `.bss`-like sections).
    pub loaded: bool,
    /// Part of the program's memory at run time (SHF_ALLOC): not debug info or comments.
    pub allocated: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Elf {
    pub sections: Vec<Section>,
    pub symbols: BTreeMap<String, u64>,
    /// Sizes in bytes of the defined symbols (`st_size`: what a memory read of a buffer needs).
    pub sizes: BTreeMap<String, u64>,
    /// Symbols referenced but not defined (an image linked with unresolved symbols allowed).
    pub undefined: Vec<String>,
}

const SHT_SYMTAB: u32 = 2;
const SHT_NOBITS: u32 = 8;
const SHF_ALLOC: u32 = 2;

fn u16_at(bytes: &[u8], at: usize) -> Result<u16, String> {
    bytes.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]])).ok_or_else(|| format!("truncated at {at}"))
}

fn u32_at(bytes: &[u8], at: usize) -> Result<u32, String> {
    bytes
        .get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .ok_or_else(|| format!("truncated at {at}"))
}

fn name_at(bytes: &[u8], table: usize, offset: usize) -> Result<String, String> {
    let start = table.checked_add(offset).ok_or("bad string offset")?;
    let tail = bytes.get(start..).ok_or_else(|| format!("string at {start} past the end"))?;
    let end = tail.iter().position(|&b| b == 0).ok_or("unterminated string")?;
    Ok(String::from_utf8_lossy(&tail[..end]).into_owned())
}

pub fn parse(bytes: &[u8]) -> Result<Elf, String> {
    if bytes.get(..6) != Some(&[0x7f, b'E', b'L', b'F', 1, 1]) {
        return Err("not a 32-bit little-endian ELF file".into());
    }
    let section_table = u32_at(bytes, 0x20)? as usize;
    let entry_size = u16_at(bytes, 0x2e)? as usize;
    let count = u16_at(bytes, 0x30)? as usize;
    let names_index = u16_at(bytes, 0x32)? as usize;
    if entry_size < 40 {
        return Err(format!("section header entries of {entry_size} bytes"));
    }
    // (name offset, type, flags, address, file offset, size, link, entry size)
    let mut headers = Vec::with_capacity(count);
    for i in 0..count {
        let at = section_table + i * entry_size;
        let field = |k: usize| u32_at(bytes, at + 4 * k);
        headers.push((field(0)?, field(1)?, field(2)?, field(3)?, field(4)?, field(5)?, field(6)?, field(9)?));
    }
    let names = headers.get(names_index).ok_or("no section name table")?.4 as usize;
    let mut elf = Elf::default();
    for &(name, kind, flags, address, _, size, _, _) in &headers {
        elf.sections.push(Section {
            name: name_at(bytes, names, name as usize)?,
            address: u64::from(address),
            size: u64::from(size),
            loaded: kind != SHT_NOBITS,
            allocated: flags & SHF_ALLOC != 0,
        });
    }
    for &(_, kind, _, _, offset, size, link, entry) in &headers {
        if kind != SHT_SYMTAB || entry < 16 {
            continue;
        }
        let strings = headers.get(link as usize).ok_or("symbol table without strings")?.4 as usize;
        for k in 0..(size / entry) as usize {
            let at = offset as usize + k * entry as usize;
            let name = name_at(bytes, strings, u32_at(bytes, at)? as usize)?;
            if name.is_empty() {
                continue;
            }
            if u16_at(bytes, at + 14)? == 0 {
                elf.undefined.push(name);
            } else {
                elf.sizes.insert(name.clone(), u64::from(u32_at(bytes, at + 8)?));
                elf.symbols.insert(name, u64::from(u32_at(bytes, at + 4)?));
            }
        }
    }
    Ok(elf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_what_is_not_elf32_le_and_truncations_without_panicking() {
        assert!(parse(b"").is_err());
        assert!(parse(b"\x7fELF\x02\x01rest").is_err());
        let mut header = vec![0x7f, b'E', b'L', b'F', 1, 1];
        header.resize(0x34, 0);
        header[0x20] = 0xff; // section table past the end
        header[0x2e] = 40;
        header[0x30] = 3;
        assert!(parse(&header).is_err());
        for len in 0..header.len() {
            let _ = parse(&header[..len]);
        }
    }
}
