//! A call's params struct as Rust source: its derived `Debug` form, which for a struct of integers,
//! booleans, arrays and nested such structs is already a struct literal, with every struct name given its
//! path in `acec_runtime::ops` (which re-exports every type a params struct holds). So a params struct is
//! written out from its one definition in the runtime, never field by field here.

use std::fmt::Debug;

use proc_macro2::{Delimiter, Group, Ident, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::quote;

/// The params' type (`ops::DenseParams`) and literal (`ops::DenseParams { inputs: 784, .. }`).
pub fn params_literal(params: &dyn Debug) -> Result<(TokenStream, TokenStream), String> {
    let text = format!("{params:?}");
    let tokens: TokenStream = text.parse().map_err(|e| format!("params `{text}` are not Rust tokens: {e}"))?;
    let literal = qualify(tokens);
    // A struct literal, qualified: `ops`, `::`, its name, its fields.
    match literal.clone().into_iter().nth(3) {
        Some(TokenTree::Ident(name)) => Ok((quote! { ops::#name }, literal)),
        _ => Err(format!("params `{text}` are not a struct literal")),
    }
}

/// `tokens` with `ops::` before every struct name (an identifier followed by a brace group), nested ones
/// included.
fn qualify(tokens: TokenStream) -> TokenStream {
    let mut out = Vec::new();
    let mut tokens = tokens.into_iter().peekable();
    while let Some(token) = tokens.next() {
        match token {
            TokenTree::Ident(name) if matches!(tokens.peek(), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace) =>
            {
                out.push(TokenTree::Ident(Ident::new("ops", Span::call_site())));
                out.push(TokenTree::Punct(Punct::new(':', Spacing::Joint)));
                out.push(TokenTree::Punct(Punct::new(':', Spacing::Alone)));
                out.push(TokenTree::Ident(name));
            }
            TokenTree::Group(group) => {
                let mut inner = Group::new(group.delimiter(), qualify(group.stream()));
                inner.set_span(group.span());
                out.push(TokenTree::Group(inner));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use acec_runtime::ops::{LookupParams, MaxPoolParams, PermuteParams, RescaleParams};
    use acec_runtime::{LookupShape, PermuteShape, PoolShape};

    use super::*;

    fn text(params: &dyn Debug) -> (String, String) {
        let (ty, literal) = params_literal(params).unwrap();
        (ty.to_string(), literal.to_string())
    }

    #[test]
    fn a_flat_struct_keeps_its_fields_and_signs() {
        let (ty, literal) = text(&RescaleParams { len: 12, shift: -3 });
        assert_eq!(ty, "ops :: RescaleParams");
        assert_eq!(literal, "ops :: RescaleParams { len : 12 , shift : - 3 }");
    }

    #[test]
    fn nested_structs_and_arrays_are_named_by_path() {
        let lookup = LookupParams { len: 5, entries: 9, shape: LookupShape { base: -4096, step_log2: 6 } };
        assert_eq!(
            text(&lookup).1,
            "ops :: LookupParams { len : 5 , entries : 9 , shape : ops :: LookupShape { base : - 4096 , step_log2 : 6 } }"
        );
        let permute = PermuteParams { shape: PermuteShape { dims: [1, 2, 3, 4], strides: [24, 12, 4, 1] } };
        assert!(
            text(&permute).1.contains("ops :: PermuteShape { dims : [1 , 2 , 3 , 4] , strides : [24 , 12 , 4 , 1] }")
        );
        let shape = PoolShape { channels: 2, height: 4, width: 4, window_h: 2, window_w: 2, stride_h: 2, stride_w: 2 };
        let (ty, literal) = text(&MaxPoolParams { shape, relu: true });
        assert_eq!(ty, "ops :: MaxPoolParams");
        assert!(literal.ends_with("stride_w : 2 } , relu : true }"), "{literal}");
    }

    #[test]
    fn a_value_that_is_not_a_struct_is_refused() {
        assert!(params_literal(&7usize).is_err());
        assert!(params_literal(&"text").is_err());
    }
}
