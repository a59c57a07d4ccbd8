//! The C types at acec's DSPLib boundary, reduced to what the MSP430 EABI needs to place and pass them: the
//! vocabulary in which both TI's header ([`super::abi`]) and acec's Rust declarations ([`super::ffi`], through
//! [`CTyped`]) are described, and the EABI rule that lays a struct out. [`super::conform`] compares the two.
//!
//! A type is its size, alignment and signedness, or a pointer (constness and what it points to); a struct is
//! its fields in order with their offsets. Sizes and alignments are those of TI's MSP430 EABI (SLAA534,
//! section 2 "Data Representation": 2.1 basic types, 2.4 pointer types, 2.6 structures, 2.9 enumerations),
//! tabulated in TI's MSP430 compiler guide SLAU132 ("MSP430 C/C++ Data Types" and "Data Representation in
//! Registers and Memory"): `bool`/`_Bool` and `(u)int8_t` 1 byte, alignment 1; `(u)int16_t`, `int` and
//! an `enum` whose values fit `int` 2 bytes, alignment 2; `(u)int32_t` 4 bytes, alignment 2; data pointers
//! 2 bytes, alignment 2 in the small data model. The small data model is the one Rust's `msp430-none-elf`
//! shares (its pointers are 16 bits), so DSPLib must be built with it: a large-data-model DSPLib has 4-byte
//! pointers and none of these layouts. A struct member sits at the next multiple of its alignment; a struct
//! is aligned as its most aligned member and its size is a multiple of that.
//!
//! Everything here is `const` data or `const fn`, and target-independent, so the MSP430 build can check the
//! declarations at compile time and a host test can run the same checks.

/// A scalar C type, by its EABI class (the C spelling lives next to it in [`Arg`] and [`Field`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scalar {
    /// `bool` (`_Bool`): 1 byte.
    Bool,
    /// `int8_t`.
    I8,
    /// `uint8_t`.
    U8,
    /// `int16_t`, `_q15`, `int`, and `msp_status` (an `enum` of small values: `int`-sized on the MSP430).
    I16,
    /// `uint16_t`.
    U16,
    /// `int32_t`, `_iq31`.
    I32,
}

/// What a pointer points to.
#[derive(Clone, Copy, Debug)]
pub enum Pointee {
    Scalar(Scalar),
    /// A struct, compared field by field (two structs with the same fields are the same type to the ABI).
    Struct(&'static Layout),
}

/// A C type as the MSP430 EABI sees it.
#[derive(Clone, Copy, Debug)]
pub enum CType {
    Scalar(Scalar),
    /// A data pointer; `mutable` is false for `const T *`.
    Ptr {
        mutable: bool,
        to: Pointee,
    },
}

/// A struct member: its name (C spelling, or the Rust field name), its type as written, its EABI class,
/// and its byte offset on the MSP430.
#[derive(Clone, Copy, Debug)]
pub struct Field {
    pub name: &'static str,
    #[allow(dead_code, reason = "for readers of the tables and of failure messages (Debug)")]
    pub spelling: &'static str,
    pub ty: CType,
    pub offset: u16,
}

/// A struct: its name, its members in declaration order, and its size on the MSP430.
#[derive(Clone, Copy, Debug)]
pub struct Layout {
    pub name: &'static str,
    pub fields: &'static [Field],
    pub size: u16,
}

/// A parameter or return value: its name (empty for a return value), its type as written, its EABI class.
#[derive(Clone, Copy, Debug)]
pub struct Arg {
    pub name: &'static str,
    #[allow(dead_code, reason = "for readers of the tables and of failure messages (Debug)")]
    pub spelling: &'static str,
    pub ty: CType,
}

/// A function prototype.
#[derive(Clone, Copy, Debug)]
pub struct Function {
    pub name: &'static str,
    pub args: &'static [Arg],
    pub ret: Arg,
}

/// A Rust type's C type at the FFI boundary. Implemented for the primitives DSPLib's prototypes use, for
/// pointers to them, and (by `declare::c_structs!`) for each parameter struct.
pub trait CTyped {
    const C_TYPE: CType;
}

/// A Rust type a pointer may point to across the boundary.
pub trait CPointee {
    const POINTEE: Pointee;
}

macro_rules! scalars {
    ($($rust:ty => $scalar:ident),+ $(,)?) => {$(
        impl CTyped for $rust {
            const C_TYPE: CType = CType::Scalar(Scalar::$scalar);
        }
        impl CPointee for $rust {
            const POINTEE: Pointee = Pointee::Scalar(Scalar::$scalar);
        }
    )+};
}

scalars!(bool => Bool, i8 => I8, u8 => U8, i16 => I16, u16 => U16, i32 => I32);

impl<T: CPointee> CTyped for *const T {
    const C_TYPE: CType = CType::Ptr { mutable: false, to: T::POINTEE };
}

impl<T: CPointee> CTyped for *mut T {
    const C_TYPE: CType = CType::Ptr { mutable: true, to: T::POINTEE };
}

impl CType {
    /// Bytes on the MSP430 (small data model).
    pub const fn size(self) -> u16 {
        match self {
            CType::Scalar(Scalar::Bool | Scalar::I8 | Scalar::U8) => 1,
            CType::Scalar(Scalar::I16 | Scalar::U16) | CType::Ptr { .. } => 2,
            CType::Scalar(Scalar::I32) => 4,
        }
    }

    /// Alignment on the MSP430: 1 for bytes, 2 for everything wider (32-bit integers included).
    pub const fn align(self) -> u16 {
        if self.size() == 1 { 1 } else { 2 }
    }
}

/// `fields` (name, spelling, type) placed by the EABI rule: each at the next multiple of its alignment.
pub const fn place<const N: usize>(fields: [(&'static str, &'static str, CType); N]) -> [Field; N] {
    let unset = Field { name: "", spelling: "", ty: CType::Scalar(Scalar::U8), offset: 0 };
    let mut placed = [unset; N];
    let mut end = 0u16;
    let mut i = 0;
    while i < N {
        let (name, spelling, ty) = fields[i];
        let offset = end.next_multiple_of(ty.align());
        placed[i] = Field { name, spelling, ty, offset };
        end = offset + ty.size();
        i += 1;
    }
    placed
}

/// The EABI size of a struct with these placed fields: the end of the last one, rounded up to the struct's
/// alignment (its most aligned member's).
pub const fn struct_size(fields: &[Field]) -> u16 {
    let (mut end, mut align) = (0u16, 1);
    let mut i = 0;
    while i < fields.len() {
        let ty = fields[i].ty;
        end = fields[i].offset + ty.size();
        if ty.align() > align {
            align = ty.align();
        }
        i += 1;
    }
    end.next_multiple_of(align)
}
