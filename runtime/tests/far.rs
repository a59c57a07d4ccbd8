//! Far constants (upper FRAM): a layer reading its weights through `Far` computes exactly what it computes
//! from a slice, and the cost model charges the staging copies as far copies.

use acec_runtime::ops::{CirculantParams, ConvParams, DenseParams, circulant_dense, conv, dense};
use acec_runtime::{ConstSlice, CostTable, Engine, Far, Kernel, KernelCost, Metered, SoftBackend};

/// Deterministic values in -range..range.
fn values(n: usize, seed: u32, range: i32) -> Vec<i16> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            ((state % (2 * range as u32)) as i32 - range) as i16
        })
        .collect()
}

fn table() -> CostTable {
    CostTable::new(acec_runtime::EnergyRates::default())
        .with(Kernel::Copy, KernelCost::from_cycles(Engine::Cpu, 0.0, 1.0, 0.0))
        .with(Kernel::FarCopy, KernelCost::from_cycles(Engine::Cpu, 0.0, 1.0, 0.0))
}

#[test]
fn far_ranges_read_the_values_they_name() {
    let data = values(100, 1, 30000);
    let far = Far::from_slice(&data);
    assert_eq!(far.elements(), 100);
    let mut dst = [0i16; 10];
    far.range(37, 10).read_into(&mut dst).unwrap();
    assert_eq!(dst[..], data[37..47]);
    // Clamped at the end: a range past it is shorter, and reading it into a longer buffer is an error.
    assert_eq!(far.range(95, 10).len(), 5);
    assert!(far.range(95, 10).read_into(&mut dst).is_err());
    let mut acc = SoftBackend;
    assert!(far.stage(&mut acc, 95, &mut dst).is_err());
    assert!(data[..].stage(&mut acc, 95, &mut dst).is_err());
}

#[test]
fn dense_from_far_weights_equals_dense_from_a_slice() {
    let p = DenseParams { inputs: 37, row_stride: 38, outputs: 23, shift: 14, relu: true };
    let mut w = values(p.outputs * p.row_stride, 2, 8000);
    for o in 0..p.outputs {
        w[o * p.row_stride + 37] = 0;
    }
    let bias: Vec<i32> = values(p.outputs, 3, 30000).iter().map(|&b| i32::from(b) << 8).collect();
    let x = values(p.inputs, 4, 8000);
    // A small LEA scratch forces row chunking, so partial rows are staged from the far array too.
    type Layer<'a> = &'a dyn Fn(&mut Metered<SoftBackend>, &mut [i16], &mut [i16], &mut [i32]);
    let run = |layer: Layer| {
        let table = table();
        let mut metered = Metered::new(SoftBackend, &table);
        let (mut out, mut lea, mut acc32) = (vec![0i16; p.outputs], vec![0i16; 20], vec![0i32; 5]);
        layer(&mut metered, &mut out, &mut lea, &mut acc32);
        let meter = metered.take_meter();
        (out, meter.kernel(Kernel::Copy).calls, meter.kernel(Kernel::FarCopy).calls)
    };
    let (near, near_copies, near_far) = run(&|acc, out, lea, acc32| {
        dense(acc, &p, &w[..], &bias, &x, out, lea, acc32, 0..p.outputs).unwrap();
    });
    let (far, far_copies, far_far) = run(&|acc, out, lea, acc32| {
        dense(acc, &p, &Far::from_slice(&w), &bias, &x, out, lea, acc32, 0..p.outputs).unwrap();
    });
    assert_eq!(near, far);
    assert_eq!(near_far, 0);
    assert!(far_far > 0, "the weights were staged by far copies");
    assert_eq!(near_copies, far_copies + far_far, "every weight copy became a far copy, nothing else changed");
}

#[test]
fn conv_and_circulant_from_far_constants_equal_their_slice_runs() {
    let p = ConvParams {
        in_channels: 2,
        in_height: 6,
        in_width: 7,
        out_channels: 5,
        out_height: 4,
        out_width: 5,
        kernel_h: 3,
        kernel_w: 3,
        stride_h: 1,
        stride_w: 1,
        dilation_h: 1,
        dilation_w: 1,
        pad_top: 0,
        pad_left: 0,
        patch_stride: 18,
        shift: 13,
        relu: false,
    };
    let w = values(p.out_channels * p.patch_stride, 5, 8000);
    let bias: Vec<i32> = values(p.out_channels, 6, 20000).iter().map(|&b| i32::from(b) << 6).collect();
    let x = values(p.in_channels * p.in_height * p.in_width, 7, 8000);
    let mut outs = Vec::new();
    for far in [false, true] {
        let (mut out, mut lea, mut acc32) = (vec![0i16; 5 * 4 * 5], vec![0i16; 3 * 18], vec![0i32; 10]);
        if far {
            conv(&mut SoftBackend, &p, &Far::from_slice(&w), &bias, &x, &mut out, &mut lea, &mut acc32, 0..4).unwrap();
        } else {
            conv(&mut SoftBackend, &p, &w[..], &bias, &x, &mut out, &mut lea, &mut acc32, 0..4).unwrap();
        }
        outs.push(out);
    }
    assert_eq!(outs[0], outs[1]);

    let c = CirculantParams {
        block: 16,
        block_rows: 2,
        block_cols: 3,
        inputs: 48,
        outputs: 32,
        input_shift: 1,
        rounding: 1,
        relu: true,
        // A whole row of spectra staged by one far copy.
        row_chunk: 3,
    };
    let spectra = values(2 * 3 * 16, 8, 2000);
    let bias = values(32, 9, 2000);
    let x = values(48, 10, 16000);
    let mut outs = Vec::new();
    for far in [false, true] {
        let (mut out, mut lea) = (vec![0i16; 32], vec![0i16; c.lea_len()]);
        if far {
            circulant_dense(&mut SoftBackend, &c, &Far::from_slice(&spectra), &bias, &x, &mut out, &mut lea, 0..2)
                .unwrap();
        } else {
            circulant_dense(&mut SoftBackend, &c, &spectra[..], &bias, &x, &mut out, &mut lea, 0..2).unwrap();
        }
        outs.push(out);
    }
    assert_eq!(outs[0], outs[1]);
}
