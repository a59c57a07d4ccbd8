//! Typed access to a node's attributes, with errors that name the node.

use onnx_protobuf::attribute_proto::AttributeType;
use onnx_protobuf::{AttributeProto, NodeProto};

use super::ImportError;

pub struct Attrs<'a> {
    node: &'a NodeProto,
}

impl<'a> Attrs<'a> {
    pub fn new(node: &'a NodeProto) -> Self {
        Attrs { node }
    }

    fn find(&self, name: &str) -> Option<&'a AttributeProto> {
        self.node.attribute.iter().find(|a| a.name == name)
    }

    fn kind(&self, attr: &AttributeProto) -> Option<AttributeType> {
        attr.type_.enum_value().ok()
    }

    fn wrong_type(&self, name: &str, expected: &str) -> ImportError {
        ImportError::UnsupportedAttribute {
            node: self.node.name.clone(),
            op_type: self.node.op_type.clone(),
            detail: format!("attribute '{name}' should be {expected}"),
        }
    }

    pub fn has(&self, name: &str) -> bool {
        self.find(name).is_some()
    }

    pub fn int(&self, name: &str, default: i64) -> Result<i64, ImportError> {
        match self.find(name) {
            None => Ok(default),
            Some(a) if self.kind(a) == Some(AttributeType::INT) => Ok(a.i),
            Some(_) => Err(self.wrong_type(name, "an integer")),
        }
    }

    pub fn float(&self, name: &str, default: f32) -> Result<f32, ImportError> {
        match self.find(name) {
            None => Ok(default),
            Some(a) if self.kind(a) == Some(AttributeType::FLOAT) => Ok(a.f),
            Some(_) => Err(self.wrong_type(name, "a float")),
        }
    }

    pub fn ints(&self, name: &str) -> Result<Option<Vec<i64>>, ImportError> {
        match self.find(name) {
            None => Ok(None),
            Some(a) if self.kind(a) == Some(AttributeType::INTS) => Ok(Some(a.ints.clone())),
            Some(_) => Err(self.wrong_type(name, "a list of integers")),
        }
    }

    pub fn floats(&self, name: &str) -> Result<Option<Vec<f32>>, ImportError> {
        match self.find(name) {
            None => Ok(None),
            Some(a) if self.kind(a) == Some(AttributeType::FLOATS) => Ok(Some(a.floats.clone())),
            Some(_) => Err(self.wrong_type(name, "a list of floats")),
        }
    }

    pub fn string(&self, name: &str, default: &str) -> Result<String, ImportError> {
        match self.find(name) {
            None => Ok(default.to_string()),
            Some(a) if self.kind(a) == Some(AttributeType::STRING) => Ok(String::from_utf8_lossy(&a.s).into_owned()),
            Some(_) => Err(self.wrong_type(name, "a string")),
        }
    }

    pub fn tensor(&self, name: &str) -> Result<Option<&'a onnx_protobuf::TensorProto>, ImportError> {
        match self.find(name) {
            None => Ok(None),
            Some(a) if self.kind(a) == Some(AttributeType::TENSOR) => {
                a.t.as_ref().map(Some).ok_or_else(|| self.wrong_type(name, "a tensor"))
            }
            Some(_) => Err(self.wrong_type(name, "a tensor")),
        }
    }
}
