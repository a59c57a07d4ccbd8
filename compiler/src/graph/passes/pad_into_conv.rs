//! A zero Pad of the spatial axes that a convolution alone reads becomes that convolution's own padding:
//! what PyTorch's `ZeroPad2d` and Keras's `ZeroPadding2D` (or an asymmetric 'same') export as a separate
//! Pad node.

use crate::graph::{Graph, Op};

/// Folds every such Pad into the Conv after it.
pub fn fold_pad_into_conv(graph: &mut Graph) {
    let mut i = 0;
    while i + 1 < graph.layers.len() {
        let pads = match (&graph.layers[i].op, &graph.layers[i + 1].op) {
            (Op::Pad(pad), Op::Conv(_)) if graph.is_chained(i + 1) => pad.spatial_zero_pads(),
            _ => None,
        };
        let Some(extra) = pads else {
            i += 1;
            continue;
        };
        let pad = graph.remove_layer(i);
        let conv_layer = &mut graph.layers[i];
        conv_layer.input_shape = pad.input_shape;
        let Op::Conv(conv) = &mut conv_layer.op else { unreachable!("matched above") };
        for (own, more) in conv.pads.iter_mut().zip(extra) {
            *own += more;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::{Conv, Layer, Pad, Shape, Tensor, eval};

    fn graph(pad_value: f32) -> Graph {
        let pad = Pad { pads: vec![0, 0, 1, 0, 0, 0, 2, 1], value: pad_value };
        let conv = Conv {
            weight: Tensor::new(vec![1, 1, 2, 2], vec![0.5, -1.0, 2.0, 0.25]),
            bias: vec![0.1],
            strides: vec![1, 1],
            pads: vec![0, 1, 0, 0],
            dilations: vec![1, 1],
            group: 1,
        };
        let padded = pad.output_shape(&[1, 1, 3, 3]);
        let out = Shape(vec![1, 1, padded.dims()[2] - 1, padded.dims()[3]]);
        Graph::chain(
            "x",
            Shape(vec![1, 1, 3, 3]),
            "y",
            vec![
                Layer::new("pad", Op::Pad(pad), Shape(vec![1, 1, 3, 3]), padded.clone()),
                Layer::new("conv", Op::Conv(conv), padded, out),
            ],
        )
    }

    /// Folded, the convolution pads as the Pad did and computes the same values; a Pad of another value
    /// stays.
    #[test]
    fn a_zero_pad_becomes_the_convolutions_padding() {
        let original = graph(0.0);
        let mut folded = original.clone();
        fold_pad_into_conv(&mut folded);
        assert_eq!(folded.layers.len(), 1);
        let Op::Conv(conv) = &folded.layers[0].op else { panic!("{:?}", folded.layers) };
        assert_eq!(conv.pads, vec![1, 1, 2, 1]);
        let x: Vec<f32> = (0..9).map(|i| i as f32 - 4.0).collect();
        assert_eq!(eval::run(&folded, &x), eval::run(&original, &x));
        let mut kept = graph(1.0);
        fold_pad_into_conv(&mut kept);
        assert_eq!(kept.layers.len(), 2);
    }
}
