//! Non-FFT kernels against direct f64 / i64 references.
mod common;

use acec_runtime::{Accelerator, Kernel, KernelError, PoolShape, SoftBackend, Violation};
use common::Rng;

#[test]
fn mac_is_exact_against_i64() {
    let mut rng = Rng::new(10);
    for len in [2usize, 32, 256, 1024] {
        let a = rng.vec_i16(len, -2000, 2000);
        let b = rng.vec_i16(len, -2000, 2000);
        let exact: i64 = a.iter().zip(&b).map(|(&x, &y)| x as i64 * y as i64).sum();
        assert_eq!(SoftBackend.mac(&a, &b).unwrap() as i64, 2 * exact, "len {len}");
    }
    // Saturates instead of wrapping.
    let ones = vec![i16::MAX; 8];
    assert_eq!(SoftBackend.mac(&ones, &ones).unwrap(), i32::MAX);
    let lows = vec![i16::MIN; 8];
    assert_eq!(SoftBackend.mac(&ones, &lows).unwrap(), i32::MIN);
}

#[test]
fn fir_is_true_convolution_with_floor_and_saturation() {
    let mut rng = Rng::new(11);
    for (outputs, taps) in [(2usize, 2usize), (16, 4), (64, 32)] {
        let src = rng.vec_i16(outputs + taps - 1, -8000, 8000);
        let coeffs = rng.vec_i16(taps, -8000, 8000);
        let mut dst = vec![0i16; outputs];
        SoftBackend.fir(&src, &coeffs, &mut dst).unwrap();
        for (i, &y) in dst.iter().enumerate() {
            let acc: i64 = (0..taps).map(|k| coeffs[k] as i64 * src[i + taps - 1 - k] as i64).sum();
            assert_eq!(y as i64, (acc >> 15).clamp(i16::MIN as i64, i16::MAX as i64), "out {i}");
        }
    }
    let mut dst = [0i16; 2];
    SoftBackend.fir(&[i16::MAX; 3], &[i16::MAX; 2], &mut dst).unwrap();
    assert_eq!(dst, [i16::MAX; 2], "saturates");
    assert_eq!(
        SoftBackend.fir(&[0; 4], &[0; 2], &mut [0; 2]),
        Err(KernelError { kernel: Kernel::Fir, violation: Violation::LengthMismatch { expected: 3, actual: 4 } })
    );
}

#[test]
fn vector_kernels_have_documented_edges() {
    let mut acc = [i16::MAX, i16::MIN, 5, -5];
    SoftBackend.add(&[1, -1, 7, 3], &mut acc).unwrap();
    assert_eq!(acc, [i16::MAX, i16::MIN, 12, -2], "add saturates");

    let mut data = [0x4000, -3, 1, -1];
    SoftBackend.shift(&mut data, 1).unwrap();
    assert_eq!(data, [i16::MIN, -6, 2, -2], "left shift wraps");
    SoftBackend.shift(&mut data, -2).unwrap();
    assert_eq!(data, [-8192, -2, 0, -1], "right shift floors");
    assert!(SoftBackend.shift(&mut data, 16).is_err());

    let mut data = [16384, -16384, 100, i16::MAX];
    SoftBackend.scale(&mut data, 16384, 1).unwrap();
    assert_eq!(data, [16384, -16384, 100, i16::MAX], "x 0.5 x 2");
    let mut data = [16384, -16384];
    SoftBackend.scale(&mut data, i16::MAX, 2).unwrap();
    assert_eq!(data, [-2, 2], "scale wraps, as msp_scale_q15 does");

    let mut data = [i16::MAX, 0];
    SoftBackend.offset(&mut data, 10).unwrap();
    assert_eq!(data, [i16::MAX, 10]);

    let mut data = [1i16; 6];
    SoftBackend.fill(&mut data, -7).unwrap();
    assert_eq!(data, [-7; 6]);
    assert!(SoftBackend.fill(&mut [0; 3], 1).is_err(), "odd length refused");

    let mut data = [-3, 0, 3, i16::MIN];
    SoftBackend.relu(&mut data).unwrap();
    assert_eq!(data, [0, 0, 3, 0]);

    let mut dst = [0i16; 3];
    SoftBackend.copy(&[1, 2, 3], &mut dst).unwrap();
    assert_eq!(dst, [1, 2, 3]);
}

#[test]
fn max_and_argmax_return_the_first_maximum() {
    assert_eq!(SoftBackend.max(&[3, 9, -1, 9]).unwrap(), (9, 1));
    assert_eq!(SoftBackend.max(&[i16::MIN, i16::MIN]).unwrap(), (i16::MIN, 0));
    assert_eq!(SoftBackend.argmax(&[-5, -2, -2]).unwrap(), 1);
    assert!(SoftBackend.argmax(&[]).is_err());
    let mut rng = Rng::new(12);
    for _ in 0..50 {
        let v = rng.vec_i16(10, -100, 100);
        let best = *v.iter().max().unwrap();
        assert_eq!(SoftBackend.argmax(&v).unwrap(), v.iter().position(|&x| x == best).unwrap());
    }
}

#[test]
fn requantize_rounds_half_up_and_saturates() {
    let src = [3 << 14, -(3 << 14), 1 << 30, i32::MIN, 0x7fff_8000];
    let mut dst = [0i16; 5];
    SoftBackend.requantize(&src, 15, &mut dst).unwrap();
    assert_eq!(dst, [2, -1, i16::MAX, i16::MIN, i16::MAX]);
    let mut rng = Rng::new(13);
    for shift in [0u8, 1, 8, 15, 16, 31] {
        let src: Vec<i32> = (0..64).map(|_| rng.next_u64() as i32).collect();
        let mut dst = vec![0i16; 64];
        SoftBackend.requantize(&src, shift, &mut dst).unwrap();
        for (&x, &y) in src.iter().zip(&dst) {
            let expected = (x as f64 / (1u64 << shift) as f64 + 0.5).floor().clamp(-32768.0, 32767.0);
            assert_eq!(y as f64, expected, "x {x} shift {shift}");
        }
    }
    assert!(SoftBackend.requantize(&[0], 32, &mut [0]).is_err());
}

fn naive_pool(src: &[i16], s: &PoolShape, max: bool) -> Vec<i16> {
    let (oh, ow) = (s.out_height().unwrap(), s.out_width().unwrap());
    let mut out = Vec::new();
    for c in 0..s.channels {
        for oy in 0..oh {
            for ox in 0..ow {
                let mut vals = Vec::new();
                for dy in 0..s.window_h {
                    for dx in 0..s.window_w {
                        let (y, x) = (oy * s.stride_h + dy, ox * s.stride_w + dx);
                        vals.push(src[(c * s.height + y) * s.width + x] as f64);
                    }
                }
                out.push(if max {
                    vals.iter().cloned().fold(f64::MIN, f64::max) as i16
                } else {
                    (vals.iter().sum::<f64>() / vals.len() as f64 + 0.5).floor() as i16
                });
            }
        }
    }
    out
}

#[test]
fn pooling_matches_naive_reference() {
    let mut rng = Rng::new(14);
    let shapes = [
        PoolShape { channels: 3, height: 6, width: 6, window_h: 2, window_w: 2, stride_h: 2, stride_w: 2 },
        PoolShape { channels: 2, height: 7, width: 5, window_h: 2, window_w: 2, stride_h: 2, stride_w: 2 },
        PoolShape { channels: 2, height: 7, width: 5, window_h: 3, window_w: 2, stride_h: 2, stride_w: 1 },
        PoolShape { channels: 4, height: 1, width: 12, window_h: 1, window_w: 3, stride_h: 1, stride_w: 3 },
    ];
    for shape in shapes {
        let src = rng.vec_i16(shape.input_len(), i16::MIN, i16::MAX);
        let mut dst = vec![0i16; shape.output_len().unwrap()];
        SoftBackend.max_pool(&src, &shape, i16::MIN, &mut dst).unwrap();
        assert_eq!(dst, naive_pool(&src, &shape, true), "max {shape:?}");
        // A floor of 0 is the ReLU of the pooled values (on the 2x2 fast path and the general one).
        SoftBackend.max_pool(&src, &shape, 0, &mut dst).unwrap();
        let relu: Vec<i16> = naive_pool(&src, &shape, true).iter().map(|&v| v.max(0)).collect();
        assert_eq!(dst, relu, "max with floor 0 {shape:?}");
        SoftBackend.avg_pool(&src, &shape, &mut dst).unwrap();
        assert_eq!(dst, naive_pool(&src, &shape, false), "avg {shape:?}");
    }
    let bad = PoolShape { channels: 1, height: 2, width: 2, window_h: 3, window_w: 1, stride_h: 1, stride_w: 1 };
    assert!(SoftBackend.max_pool(&[0; 4], &bad, i16::MIN, &mut []).is_err());
}
