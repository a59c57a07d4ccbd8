//! The two macros `ffi.rs` declares with. Each writes the Rust declaration and, from the same tokens, its
//! description in [`super::ctype`]'s terms: what is checked against TI's header ([`super::abi`]) is what is
//! compiled, with no second list to fall out of step.
//!
//! Paths inside the macros (`super::ctype`, `super::conform`, the mirrored TI structs) resolve where the
//! macro is invoked: `ffi.rs`, whose `super` holds those modules and `abi` both in the crate and in the host
//! test that includes these files.

/// `#[repr(C)]` structs, each with `LAYOUT` (its members placed by the EABI rule from their types) and
/// `MIRRORS` (the TI structs it stands for; one Rust struct may stand for several identical ones), and
/// `STRUCTS`, every struct's pair of those. The MSP430 build asserts, for every mirror, that the members
/// have TI's names and types and that the real `offset_of!` of each and `size_of` of the struct are the
/// offsets and size in TI's table.
macro_rules! c_structs {
    ($(
        $(#[$attr:meta])*
        pub struct $name:ident mirrors [$($ti:expr),+ $(,)?] {
            $($(#[$field_attr:meta])* pub $field:ident: $ty:ty,)+
        }
    )+) => {
        $(
            $(#[$attr])*
            #[repr(C)]
            pub struct $name {
                $($(#[$field_attr])* pub $field: $ty,)+
            }

            impl $name {
                const FIELDS: [super::ctype::Field; [$(stringify!($field)),+].len()] = super::ctype::place([
                    $((stringify!($field), stringify!($ty), <$ty as super::ctype::CTyped>::C_TYPE)),+
                ]);
                /// This struct as the MSP430 EABI lays it out, from its member types.
                pub const LAYOUT: super::ctype::Layout = super::ctype::Layout {
                    name: stringify!($name),
                    fields: &$name::FIELDS,
                    size: super::ctype::struct_size(&$name::FIELDS),
                };
                /// The TI structs this one stands for.
                pub const MIRRORS: &'static [&'static super::ctype::Layout] = &[$(&$ti),+];
            }

            impl super::ctype::CPointee for $name {
                const POINTEE: super::ctype::Pointee = super::ctype::Pointee::Struct(&$name::LAYOUT);
            }

            #[cfg(target_arch = "msp430")]
            const _: () = {
                let offsets = [$(core::mem::offset_of!($name, $field)),+];
                $(
                    assert!(
                        super::conform::check_layout(&$name::LAYOUT, &$ti).is_ok(),
                        concat!(stringify!($name), "'s members differ from ", stringify!($ti))
                    );
                    assert!(
                        super::conform::matches_device(&$ti, &offsets, core::mem::size_of::<$name>()),
                        concat!(stringify!($name), " is not laid out as ", stringify!($ti), " on the MSP430")
                    );
                )+
            };
        )+

        /// Each struct above with the TI structs it stands for.
        #[cfg_attr(target_arch = "msp430", expect(dead_code, reason = "read by the host test"))]
        pub const STRUCTS: &[(&super::ctype::Layout, &[&super::ctype::Layout])] =
            &[$((&$name::LAYOUT, $name::MIRRORS)),+];
    };
}

/// An `unsafe extern "C"` block and `DECLARED`, the same functions as data for
/// [`super::conform::check_functions`].
macro_rules! c_functions {
    ($($(#[$attr:meta])* pub fn $name:ident($($arg:ident: $ty:ty),+ $(,)?) -> $ret:ty;)+) => {
        unsafe extern "C" {
            $($(#[$attr])* pub fn $name($($arg: $ty),+) -> $ret;)+
        }

        /// The functions declared above, as data.
        pub const DECLARED: &[super::ctype::Function] = &[$(super::ctype::Function {
            name: stringify!($name),
            args: &[$(super::ctype::Arg {
                name: stringify!($arg),
                spelling: stringify!($ty),
                ty: <$ty as super::ctype::CTyped>::C_TYPE,
            }),+],
            ret: super::ctype::Arg {
                name: "",
                spelling: stringify!($ret),
                ty: <$ret as super::ctype::CTyped>::C_TYPE,
            },
        }),+];
    };
}

pub(super) use {c_functions, c_structs};
