//! Rust names for the generated crate's layer functions, from the ONNX node names a person knows the model
//! by: PyTorch's `/fc1/Gemm` becomes `fc1_gemm`, a fused `/features/features.3/Conv + /features/features.4/Relu`
//! becomes `features_3_conv_features_4_relu`, and an `nn.Sequential`'s `/0/Gemm + /1/Relu` becomes
//! `gemm0_relu1`.
//!
//! Each `+`-joined node name contributes its last two path segments (the module and the op; the leading
//! segments repeat the module path PyTorch already put in the module name), lowercased, every run of other
//! characters an underscore; a module that is only a number (a `Sequential` index) follows its op. A name that would not be an identifier (it starts with a digit, is empty or a
//! keyword) gets the prefix `layer_`; a name that repeats an earlier one gets its step index appended. Same
//! program, same names.

use std::collections::HashSet;

/// One function name per layer name, in order, distinct.
pub fn layer_functions<'a>(layers: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken = HashSet::new();
    layers
        .into_iter()
        .enumerate()
        .map(|(index, layer)| {
            let mut name = identifier(layer);
            if !taken.insert(name.clone()) {
                name = format!("{name}_{index}");
                taken.insert(name.clone());
            }
            name
        })
        .collect()
}

/// `layer` as a snake-case identifier.
fn identifier(layer: &str) -> String {
    let parts: Vec<String> = layer
        .split('+')
        .flat_map(|node| {
            let segments: Vec<&str> = node.split('/').map(str::trim).filter(|s| !s.is_empty()).collect();
            let keep = segments.len().saturating_sub(2);
            match segments[keep..] {
                [index, op] if index.chars().all(|c| c.is_ascii_digit()) => vec![format!("{}{index}", snake(op))],
                ref last => last.iter().map(|s| snake(s)).collect::<Vec<_>>(),
            }
        })
        .filter(|s| !s.is_empty())
        .collect();
    let name = parts.join("_");
    let starts_well = name.starts_with(|c: char| c.is_ascii_lowercase());
    if starts_well && syn::parse_str::<syn::Ident>(&name).is_ok() { name } else { format!("layer_{name}") }
}

/// Lowercase ASCII letters and digits, each run of anything else one underscore, none at the ends.
fn snake(segment: &str) -> String {
    let mut out = String::new();
    for c in segment.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    out.trim_end_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pytorch_node_names_become_their_module_and_op() {
        let names = layer_functions([
            "/fc1/Gemm + /relu/Relu",
            "/features/features.3/Conv + /features/features.4/Relu",
            "/0/Gemm + /1/Relu",
            "conv 1",
            "",
            "/fn/Match",
        ]);
        assert_eq!(
            names,
            ["fc1_gemm_relu_relu", "features_3_conv_features_4_relu", "gemm0_relu1", "conv_1", "layer_", "fn_match"]
        );
    }

    #[test]
    fn repeated_names_get_their_index_and_every_name_is_an_identifier() {
        let names = layer_functions(["/a/Gemm", "/a/Gemm", "/type", "/x/Gemm"]);
        assert_eq!(names, ["a_gemm", "a_gemm_1", "layer_type", "x_gemm"]);
        for name in &names {
            assert!(syn::parse_str::<syn::Ident>(name).is_ok(), "{name}");
        }
    }
}
