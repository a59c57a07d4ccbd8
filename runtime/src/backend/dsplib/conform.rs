//! Whether acec's DSPLib declarations ([`super::ffi`]) are TI's ([`super::abi`]): function by function
//! (name, parameter count, names and types, return type) and struct by struct (members in order, their
//! types and MSP430 offsets, the size), in the terms of [`super::ctype`]. All `const fn`: the MSP430 build
//! asserts them at compile time; the host test `runtime/tests/dsplib_abi.rs` runs them and prints the
//! [`Mismatch`].

use super::ctype::{CType, Function, Layout, Pointee, Scalar, struct_size};

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
    let rule = struct_size(layout.fields);
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
