//! Volatile accesses to the memory-mapped registers of `registers.rs`, by address: the only `unsafe` the
//! peripheral code needs, in one place.

/// Writes the 16-bit register at `address`.
pub fn write16(address: u16, value: u16) {
    // SAFETY: `address` is one of registers.rs's (TI's header); single-threaded, no interrupts.
    unsafe { core::ptr::write_volatile(usize::from(address) as *mut u16, value) }
}

/// Reads the 16-bit register at `address`.
pub fn read16(address: u16) -> u16 {
    // SAFETY: as in `write16`.
    unsafe { core::ptr::read_volatile(usize::from(address) as *const u16) }
}

/// Sets the bits `mask` of the 8-bit register at `address`.
pub fn set8(address: u16, mask: u8) {
    let at = usize::from(address) as *mut u8;
    // SAFETY: as in `write16`.
    unsafe { core::ptr::write_volatile(at, core::ptr::read_volatile(at) | mask) }
}

/// Clears the bits `mask` of the 8-bit register at `address`.
pub fn clear8(address: u16, mask: u8) {
    let at = usize::from(address) as *mut u8;
    // SAFETY: as in `write16`.
    unsafe { core::ptr::write_volatile(at, core::ptr::read_volatile(at) & !mask) }
}
