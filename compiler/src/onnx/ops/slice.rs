//! Slice on constants: folds the shape chains exporters emit (Keras 3 flattens through
//! Shape -> Gather -> Cast -> Slice -> Concat). Opsets 1-9 take starts/ends/axes as attributes, 10 and
//! later as inputs (with optional steps).

use super::super::ImportError;
use super::super::context::{NodeContext, Value};

pub fn import(ctx: &mut NodeContext) -> Result<Vec<Value>, ImportError> {
    if matches!(ctx.input(0)?, Value::Computed { .. }) {
        return Err(ctx.unsupported(
            "slicing a computed tensor (acec folds Slice on constants, as in shape chains); crop the input \
             before export instead"
                .into(),
        ));
    }
    let data = ctx.const_input(0)?;
    let rank = data.shape.len();
    let ints = |input: usize, attr: &str| -> Result<Option<Vec<i64>>, ImportError> {
        if ctx.opset < 10 {
            return ctx.attrs().ints(attr);
        }
        if !ctx.has_input(input) {
            return Ok(None);
        }
        let values = ctx.const_input(input)?.to_i64();
        values.map(Some).ok_or_else(|| ctx.unsupported(format!("its {attr} must be integers")))
    };
    let starts = ints(1, "starts")?.ok_or_else(|| ctx.unsupported("it has no starts".into()))?;
    let ends = ints(2, "ends")?.ok_or_else(|| ctx.unsupported("it has no ends".into()))?;
    let axes = match ints(3, "axes")? {
        Some(axes) => axes.iter().map(|&a| ctx.axis(a, rank)).collect::<Result<Vec<_>, _>>()?,
        None => (0..starts.len()).collect(),
    };
    let steps = ints(4, "steps")?.unwrap_or_else(|| vec![1; starts.len()]);
    if [ends.len(), axes.len(), steps.len()].iter().any(|&n| n != starts.len()) {
        return Err(ctx.shape_error("starts, ends, axes and steps differ in length".into()));
    }
    let mut picks: Vec<Vec<usize>> = data.shape.iter().map(|&d| (0..d).collect()).collect();
    for (((&start, &end), &axis), &step) in starts.iter().zip(&ends).zip(&axes).zip(&steps) {
        if step == 0 {
            return Err(ctx.shape_error(format!("step 0 on axis {axis}")));
        }
        picks[axis] = slice_indices(start, end, step, data.shape[axis]);
    }
    let shape: Vec<usize> = picks.iter().map(Vec::len).collect();
    Ok(vec![Value::Const(data.select(shape, &flat_indices(&data.shape, &picks)))])
}

/// The indices `start:end:step` takes from an axis of `extent`, clamped as ONNX specifies (negative
/// bounds count from the end; `end` may be `i64::MAX`).
fn slice_indices(start: i64, end: i64, step: i64, extent: usize) -> Vec<usize> {
    let extent = extent as i64;
    let resolve = |v: i64| if v < 0 { v.saturating_add(extent) } else { v };
    let (start, end) = if step > 0 {
        (resolve(start).clamp(0, extent), resolve(end).clamp(0, extent))
    } else {
        (resolve(start).clamp(0, extent - 1), resolve(end).clamp(-1, extent - 1))
    };
    let mut out = Vec::new();
    let mut i = start;
    while (step > 0 && i < end) || (step < 0 && i > end) {
        out.push(i as usize);
        i += step;
    }
    out
}

/// Row-major flat indices of every combination of the per-axis picks.
fn flat_indices(dims: &[usize], picks: &[Vec<usize>]) -> Vec<usize> {
    picks.iter().zip(dims).fold(vec![0], |prefix, (axis_picks, &extent)| {
        prefix.iter().flat_map(|&p| axis_picks.iter().map(move |&i| p * extent + i)).collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Python's `list(range(extent))[start:end:step]` (the slicing ONNX's Slice specifies), printed by
    /// CPython 3.11 for each case; i64::MAX / i64::MIN stand for an open end, as exporters write it.
    const PYTHON: &[(i64, i64, i64, usize, &[usize])] = &[
        (1, i64::MAX, 1, 7, &[1, 2, 3, 4, 5, 6]),
        (-3, i64::MAX, 1, 7, &[4, 5, 6]),
        (0, -1, 1, 7, &[0, 1, 2, 3, 4, 5]),
        (-1, i64::MIN, -1, 7, &[6, 5, 4, 3, 2, 1, 0]),
        (5, 1, -2, 7, &[5, 3]),
        (9, -9, -1, 7, &[6, 5, 4, 3, 2, 1, 0]),
        (-9, 9, 2, 7, &[0, 2, 4, 6]),
        (2, 2, 1, 4, &[]),
        (3, 0, -1, 4, &[3, 2, 1]),
        (0, i64::MAX, 1, 1, &[0]),
        (i64::MIN, i64::MAX, 1, 4, &[0, 1, 2, 3]),
        (i64::MAX, i64::MIN, -1, 4, &[3, 2, 1, 0]),
    ];

    #[test]
    fn indices_follow_python_slicing() {
        for &(start, end, step, extent, expected) in PYTHON {
            assert_eq!(slice_indices(start, end, step, extent), expected, "{start}:{end}:{step} of {extent}");
        }
    }

    #[test]
    fn flat_indices_are_row_major() {
        // [[0, 1, 2], [3, 4, 5]][:, 1:] -> 1, 2, 4, 5
        assert_eq!(flat_indices(&[2, 3], &[vec![0, 1], vec![1, 2]]), vec![1, 2, 4, 5]);
    }
}
