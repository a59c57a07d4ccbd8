//! `TensorProto` decoding: raw_data or typed fields, every numeric element type, external data files.

use std::path::Path;

use onnx_protobuf::TensorProto;
use onnx_protobuf::tensor_proto::{DataLocation, DataType};
use protobuf::Enum;

use super::ImportError;
use super::constant::ConstTensor;

/// Decodes a tensor; `model_dir` is where external data files are looked up.
pub fn decode_tensor(proto: &TensorProto, model_dir: &Path) -> Result<ConstTensor, ImportError> {
    let bad = |detail: String| ImportError::BadTensor { tensor: proto.name.clone(), detail };
    let shape: Vec<usize> = proto
        .dims
        .iter()
        .map(|&d| usize::try_from(d).map_err(|_| bad(format!("negative dimension {d}"))))
        .collect::<Result<_, _>>()?;
    let count =
        shape.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d)).ok_or_else(|| bad("too many elements".into()))?;
    let external = proto.data_location.enum_value() == Ok(DataLocation::EXTERNAL);
    let raw = if external { Some(read_external(proto, model_dir)?) } else { None };
    let raw = raw.as_deref().or((!proto.raw_data.is_empty()).then_some(proto.raw_data.as_slice()));
    let data_type =
        DataType::from_i32(proto.data_type).ok_or_else(|| bad(format!("unknown data type {}", proto.data_type)))?;

    let tensor = match raw {
        Some(bytes) => from_raw(data_type, bytes, count).map_err(bad)?,
        None => from_typed_fields(proto, data_type).map_err(bad)?,
    };
    if tensor.len() != count {
        return Err(bad(format!("has {} elements but its shape {shape:?} needs {count}", tensor.len())));
    }
    Ok(tensor.reshaped(shape))
}

fn from_raw(data_type: DataType, bytes: &[u8], count: usize) -> Result<ConstTensor, String> {
    let width = element_width(data_type)?;
    if bytes.len() != count * width {
        return Err(format!("raw data has {} bytes, expected {} ({count} x {width})", bytes.len(), count * width));
    }
    let chunks = bytes.chunks_exact(width);
    let f32s = |f: fn(&[u8]) -> f32| ConstTensor::f32(vec![count], chunks.clone().map(f).collect());
    let i64s = |f: fn(&[u8]) -> i64| ConstTensor::i64(vec![count], chunks.clone().map(f).collect());
    Ok(match data_type {
        DataType::FLOAT => f32s(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])),
        DataType::DOUBLE => f32s(|c| f64::from_le_bytes(c.try_into().unwrap_or([0; 8])) as f32),
        DataType::FLOAT16 => f32s(|c| f16_to_f32(u16::from_le_bytes([c[0], c[1]]))),
        DataType::BFLOAT16 => f32s(|c| f32::from_bits(u32::from(u16::from_le_bytes([c[0], c[1]])) << 16)),
        DataType::INT64 => i64s(|c| i64::from_le_bytes(c.try_into().unwrap_or([0; 8]))),
        DataType::INT32 => i64s(|c| i64::from(i32::from_le_bytes([c[0], c[1], c[2], c[3]]))),
        DataType::UINT32 => i64s(|c| i64::from(u32::from_le_bytes([c[0], c[1], c[2], c[3]]))),
        DataType::INT16 => i64s(|c| i64::from(i16::from_le_bytes([c[0], c[1]]))),
        DataType::UINT16 => i64s(|c| i64::from(u16::from_le_bytes([c[0], c[1]]))),
        DataType::INT8 => i64s(|c| i64::from(c[0] as i8)),
        DataType::UINT8 | DataType::BOOL => i64s(|c| i64::from(c[0])),
        other => return Err(format!("element type {other:?} is not supported")),
    })
}

fn element_width(data_type: DataType) -> Result<usize, String> {
    Ok(match data_type {
        DataType::DOUBLE | DataType::INT64 | DataType::UINT64 => 8,
        DataType::FLOAT | DataType::INT32 | DataType::UINT32 => 4,
        DataType::FLOAT16 | DataType::BFLOAT16 | DataType::INT16 | DataType::UINT16 => 2,
        DataType::INT8 | DataType::UINT8 | DataType::BOOL => 1,
        other => return Err(format!("element type {other:?} is not supported")),
    })
}

/// The typed repeated fields, as the ONNX spec assigns them to element types.
fn from_typed_fields(proto: &TensorProto, data_type: DataType) -> Result<ConstTensor, String> {
    let n = |len: usize| vec![len];
    Ok(match data_type {
        DataType::FLOAT => ConstTensor::f32(n(proto.float_data.len()), proto.float_data.clone()),
        DataType::DOUBLE => {
            ConstTensor::f32(n(proto.double_data.len()), proto.double_data.iter().map(|&x| x as f32).collect())
        }
        // float16 and bfloat16 values are stored as their bit patterns in int32_data.
        DataType::FLOAT16 => ConstTensor::f32(
            n(proto.int32_data.len()),
            proto.int32_data.iter().map(|&x| f16_to_f32(x as u16)).collect(),
        ),
        DataType::BFLOAT16 => ConstTensor::f32(
            n(proto.int32_data.len()),
            proto.int32_data.iter().map(|&x| f32::from_bits((x as u32 & 0xffff) << 16)).collect(),
        ),
        DataType::INT64 => ConstTensor::i64(n(proto.int64_data.len()), proto.int64_data.clone()),
        DataType::UINT64 => {
            ConstTensor::i64(n(proto.uint64_data.len()), proto.uint64_data.iter().map(|&x| x as i64).collect())
        }
        DataType::INT32 | DataType::INT16 | DataType::INT8 | DataType::UINT16 | DataType::UINT8 | DataType::BOOL => {
            ConstTensor::i64(n(proto.int32_data.len()), proto.int32_data.iter().map(|&x| i64::from(x)).collect())
        }
        other => return Err(format!("element type {other:?} is not supported")),
    })
}

/// IEEE 754 half precision to single precision, exact for every value including subnormals.
pub fn f16_to_f32(bits: u16) -> f32 {
    let sign = u32::from(bits >> 15) << 31;
    let exponent = u32::from((bits >> 10) & 0x1f);
    let mantissa = u32::from(bits & 0x3ff);
    let magnitude = match (exponent, mantissa) {
        (0, 0) => 0,
        (0, m) => {
            // Subnormal: renormalise the mantissa.
            let shift = m.leading_zeros() - 21;
            ((113 - shift) << 23) | (((m << shift) & 0x3ff) << 13)
        }
        (0x1f, m) => 0x7f80_0000 | (m << 13),
        (e, m) => ((e + 112) << 23) | (m << 13),
    };
    f32::from_bits(sign | magnitude)
}

/// Reads the bytes of a tensor stored outside the model (`location`, `offset`, `length` entries).
fn read_external(proto: &TensorProto, model_dir: &Path) -> Result<Vec<u8>, ImportError> {
    let bad = |detail: String| ImportError::BadTensor { tensor: proto.name.clone(), detail };
    let entry = |key: &str| proto.external_data.iter().find(|e| e.key == key).map(|e| e.value.as_str());
    let location = entry("location").ok_or_else(|| bad("external data without a 'location'".into()))?;
    let number = |key: &str| -> Result<Option<usize>, ImportError> {
        entry(key)
            .map(|v| v.parse().map_err(|_| bad(format!("external data '{key}' is not a number: {v}"))))
            .transpose()
    };
    let (offset, length) = (number("offset")?.unwrap_or(0), number("length")?);
    let relative = Path::new(location);
    if relative.is_absolute() || relative.components().any(|c| matches!(c, std::path::Component::ParentDir)) {
        return Err(bad(format!("external data location '{location}' must be a relative path beside the model")));
    }
    let path = model_dir.join(relative);
    let bytes =
        std::fs::read(&path).map_err(|e| bad(format!("cannot read external data file '{}': {e}", path.display())))?;
    let end = match length {
        Some(len) => offset.checked_add(len),
        None => Some(bytes.len()),
    };
    match end {
        Some(end) if offset <= end && end <= bytes.len() => Ok(bytes[offset..end].to_vec()),
        _ => Err(bad(format!(
            "external data range {offset}..{length:?} is outside '{}' ({} bytes)",
            path.display(),
            bytes.len()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn half_precision_converts_exactly() {
        assert_eq!(f16_to_f32(0x3c00), 1.0);
        assert_eq!(f16_to_f32(0xc000), -2.0);
        assert_eq!(f16_to_f32(0x3555), 0.333_251_95);
        assert_eq!(f16_to_f32(0x0001), 2f32.powi(-24));
        assert_eq!(f16_to_f32(0x7c00), f32::INFINITY);
    }

    #[test]
    fn raw_and_typed_fields_agree() {
        let mut raw = TensorProto::new();
        raw.name = "w".into();
        raw.dims = vec![2];
        raw.data_type = DataType::FLOAT as i32;
        raw.raw_data = [1.5f32, -2.0].iter().flat_map(|v| v.to_le_bytes()).collect();
        let mut typed = raw.clone();
        typed.raw_data.clear();
        typed.float_data = vec![1.5, -2.0];
        let dir = Path::new(".");
        assert_eq!(decode_tensor(&raw, dir).unwrap(), decode_tensor(&typed, dir).unwrap());
    }

    #[test]
    fn wrong_element_count_names_the_tensor() {
        let mut proto = TensorProto::new();
        proto.name = "bias".into();
        proto.dims = vec![3];
        proto.data_type = DataType::FLOAT as i32;
        proto.float_data = vec![1.0];
        let err = decode_tensor(&proto, Path::new(".")).unwrap_err().to_string();
        assert!(err.contains("bias") && err.contains("needs 3"), "{err}");
    }
}
