//! The C types at acec's DSPLib boundary, reduced to what the MSP430 EABI needs to place and pass them, and
//! the checks that compare acec's Rust declarations ([`super::ffi`]) with TI's header ([`super::abi`]).
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
//! Everything here is `const fn` so the MSP430 build checks the declarations at compile time, and
//! target-independent data so a host test can run the same checks with readable failures.

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
    #[cfg_attr(target_arch = "msp430", expect(dead_code, reason = "read in the host test's failure messages"))]
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
    #[cfg_attr(target_arch = "msp430", expect(dead_code, reason = "read in the host test's failure messages"))]
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
pub const fn size_of(fields: &[Field]) -> u16 {
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

/// Where a declaration and TI's header disagree.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mismatch {
    /// The function or struct.
    pub item: &'static str,
    pub problem: Problem,
}

/// What disagrees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Problem {
    /// acec declares a function TI's table does not list.
    NotInHeader,
    /// TI's table lists a function acec does not declare (the table is meant to list exactly acec's set).
    NotDeclared,
    /// Parameter counts differ.
    Arity { ours: usize, theirs: usize },
    /// Parameter `index` differs in name or type.
    Arg { index: usize },
    /// Return types differ.
    Return,
    /// Member counts differ.
    FieldCount { ours: usize, theirs: usize },
    /// Member `index` differs in name, type or offset.
    Field { index: usize },
    /// Struct sizes differ.
    Size { ours: u16, theirs: u16 },
}

/// Rust `snake_case` against C `camelCase`: equal ignoring `_` and ASCII case (`tap_length` = `tapLength`,
/// `src_a` = `srcA`).
pub const fn same_name(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    loop {
        while i < a.len() && a[i] == b'_' {
            i += 1;
        }
        while j < b.len() && b[j] == b'_' {
            j += 1;
        }
        match (i < a.len(), j < b.len()) {
            (false, false) => return true,
            (true, true) if a[i].eq_ignore_ascii_case(&b[j]) => {
                i += 1;
                j += 1;
            }
            _ => return false,
        }
    }
}

const fn same_scalar(a: Scalar, b: Scalar) -> bool {
    a as u8 == b as u8
}

/// The same type to the EABI: equal scalars, or pointers of the same constness to the same scalar or to
/// structs with the same members.
pub const fn same_type(ours: CType, theirs: CType) -> bool {
    match (ours, theirs) {
        (CType::Scalar(a), CType::Scalar(b)) => same_scalar(a, b),
        (CType::Ptr { mutable: ma, to: ta }, CType::Ptr { mutable: mb, to: tb }) => {
            ma == mb
                && match (ta, tb) {
                    (Pointee::Scalar(a), Pointee::Scalar(b)) => same_scalar(a, b),
                    (Pointee::Struct(a), Pointee::Struct(b)) => check_layout(a, b).is_ok(),
                    _ => false,
                }
        }
        _ => false,
    }
}

/// `ours` (a Rust struct, placed by [`place`]) has `theirs`'s members in order (names, types, offsets) and
/// its size. The struct names may differ: one Rust struct mirrors several identical TI structs.
pub const fn check_layout(ours: &Layout, theirs: &Layout) -> Result<(), Mismatch> {
    let item = theirs.name;
    if ours.fields.len() != theirs.fields.len() {
        let problem = Problem::FieldCount { ours: ours.fields.len(), theirs: theirs.fields.len() };
        return Err(Mismatch { item, problem });
    }
    let mut i = 0;
    while i < ours.fields.len() {
        let (a, b) = (ours.fields[i], theirs.fields[i]);
        if !same_name(a.name, b.name) || !same_type(a.ty, b.ty) || a.offset != b.offset {
            return Err(Mismatch { item, problem: Problem::Field { index: i } });
        }
        i += 1;
    }
    if ours.size != theirs.size {
        return Err(Mismatch { item, problem: Problem::Size { ours: ours.size, theirs: theirs.size } });
    }
    Ok(())
}

/// The offsets and size written in a [`Layout`] are what the EABI rule gives for its member types: checks
/// a hand-written table against the rule.
pub const fn check_placement(layout: &Layout) -> Result<(), Mismatch> {
    let (mut end, mut i) = (0u16, 0);
    while i < layout.fields.len() {
        let field = layout.fields[i];
        if field.offset != end.next_multiple_of(field.ty.align()) {
            return Err(Mismatch { item: layout.name, problem: Problem::Field { index: i } });
        }
        end = field.offset + field.ty.size();
        i += 1;
    }
    let rule = size_of(layout.fields);
    if layout.size != rule {
        return Err(Mismatch { item: layout.name, problem: Problem::Size { ours: rule, theirs: layout.size } });
    }
    Ok(())
}

/// A Rust struct's real layout (offsets from `core::mem::offset_of!`, size from `size_of`, as the MSP430
/// build computes them) is the one TI's header gives.
pub const fn matches_device(theirs: &Layout, offsets: &[usize], size: usize) -> bool {
    if offsets.len() != theirs.fields.len() || size != theirs.size as usize {
        return false;
    }
    let mut i = 0;
    while i < offsets.len() {
        if offsets[i] != theirs.fields[i].offset as usize {
            return false;
        }
        i += 1;
    }
    true
}

/// `ours` has `theirs`'s parameters (count, names, types) and return type.
pub const fn check_function(ours: &Function, theirs: &Function) -> Result<(), Mismatch> {
    let item = ours.name;
    if ours.args.len() != theirs.args.len() {
        return Err(Mismatch { item, problem: Problem::Arity { ours: ours.args.len(), theirs: theirs.args.len() } });
    }
    let mut i = 0;
    while i < ours.args.len() {
        let (a, b) = (ours.args[i], theirs.args[i]);
        if !same_name(a.name, b.name) || !same_type(a.ty, b.ty) {
            return Err(Mismatch { item, problem: Problem::Arg { index: i } });
        }
        i += 1;
    }
    if !same_type(ours.ret.ty, theirs.ret.ty) {
        return Err(Mismatch { item, problem: Problem::Return });
    }
    Ok(())
}

/// Byte-for-byte equal (`str`'s `==` is not `const`).
const fn same_str(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The function called `name` in `table`.
pub const fn find(name: &str, table: &'static [Function]) -> Option<&'static Function> {
    let mut i = 0;
    while i < table.len() {
        if same_str(table[i].name, name) {
            return Some(&table[i]);
        }
        i += 1;
    }
    None
}

/// Every function acec declares is in TI's table with the same parameters (names, types, count) and return
/// type, and the table lists nothing acec does not declare.
pub const fn check_functions(ours: &'static [Function], theirs: &'static [Function]) -> Result<(), Mismatch> {
    let mut i = 0;
    while i < ours.len() {
        match find(ours[i].name, theirs) {
            Some(t) => {
                if let Err(mismatch) = check_function(&ours[i], t) {
                    return Err(mismatch);
                }
            }
            None => return Err(Mismatch { item: ours[i].name, problem: Problem::NotInHeader }),
        }
        i += 1;
    }
    let mut j = 0;
    while j < theirs.len() {
        if find(theirs[j].name, ours).is_none() {
            return Err(Mismatch { item: theirs[j].name, problem: Problem::NotDeclared });
        }
        j += 1;
    }
    Ok(())
}
