//! Minibatch training and evaluation of a [`Net`] on labelled samples: shuffling from a seed, cross-entropy
//! plus an optional penalty, Adam steps.

use std::ops::ControlFlow;

use candle_core::{Device, Tensor};
use candle_nn::optim::{AdamW, Optimizer, ParamsAdamW};

use super::AdmmError;
use super::net::Net;
use crate::xorshift::XorShift;

/// Labelled samples, flattened row-major; labels are checked to be below the model's class count by the caller.
pub struct Samples<'a> {
    pub x: &'a [f32],
    pub y: &'a [u32],
    /// The original model's logits per sample (`len x classes`), when training distils from it.
    pub teacher: Option<&'a [f32]>,
}

impl Samples<'_> {
    pub fn len(&self) -> usize {
        self.y.len()
    }

    pub fn is_empty(&self) -> bool {
        self.y.is_empty()
    }

    /// The teacher's logits for `indices`, as `batch x classes`.
    fn teacher_batch(&self, indices: &[usize]) -> Result<Option<Tensor>, AdmmError> {
        let Some(teacher) = self.teacher else { return Ok(None) };
        let classes = teacher.len() / self.len().max(1);
        let mut t = Vec::with_capacity(indices.len() * classes);
        for &i in indices {
            t.extend_from_slice(&teacher[i * classes..(i + 1) * classes]);
        }
        Ok(Some(Tensor::from_vec(t, (indices.len(), classes), &Device::Cpu)?))
    }

    /// The samples at `indices` as a `batch x sample_shape` tensor and their labels.
    fn batch(&self, indices: &[usize], sample_shape: &[usize]) -> Result<(Tensor, Tensor), AdmmError> {
        let n = self.x.len() / self.len().max(1);
        let mut x = Vec::with_capacity(indices.len() * n);
        for &i in indices {
            x.extend_from_slice(&self.x[i * n..(i + 1) * n]);
        }
        let mut shape = vec![indices.len()];
        shape.extend(sample_shape);
        let y: Vec<u32> = indices.iter().map(|&i| self.y[i]).collect();
        Ok((Tensor::from_vec(x, shape, &Device::Cpu)?, Tensor::from_vec(y, indices.len(), &Device::Cpu)?))
    }
}

/// Adam without weight decay (the ADMM penalty is the only regularizer).
pub fn optimizer(net: &Net, lr: f64) -> Result<AdamW, AdmmError> {
    Ok(AdamW::new(net.vars(), ParamsAdamW { lr, weight_decay: 0.0, ..ParamsAdamW::default() })?)
}

/// A training pass's mean loss and the accuracy of its predictions on the batches as they went by.
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct EpochStats {
    pub loss: f64,
    pub accuracy: f64,
}

/// What one epoch trains with.
pub struct EpochSetup<'a> {
    pub batch: usize,
    /// Weights on their Q15 grid in the forward pass (straight-through gradients).
    pub quantized: bool,
    /// Added to every batch's mean cross-entropy (e.g. the ADMM proximity term).
    pub penalty: &'a dyn Fn(&Net) -> Result<Option<Tensor>, AdmmError>,
}

/// One epoch in the order the generator shuffles; `on_batch(done, total, loss)` after each step, which
/// stops the epoch with [`AdmmError::Stopped`] when it breaks.
pub fn epoch(
    net: &Net,
    optimizer: &mut AdamW,
    data: &Samples,
    setup: &EpochSetup,
    rng: &mut XorShift,
    on_batch: &mut dyn FnMut(usize, usize, f64) -> ControlFlow<()>,
) -> Result<EpochStats, AdmmError> {
    let order = shuffled(data.len(), rng);
    let total = order.len().div_ceil(setup.batch.max(1));
    let (mut loss_sum, mut correct) = (0f64, 0usize);
    for (done, indices) in order.chunks(setup.batch.max(1)).enumerate() {
        let (x, y) = data.batch(indices, &net.sample_shape)?;
        let logits = net.forward(&x, setup.quantized)?;
        let data_loss = candle_nn::loss::cross_entropy(&logits, &y)?;
        let objective = match data.teacher_batch(indices)? {
            Some(teacher) => distillation(&logits, &teacher, &data_loss)?,
            None => data_loss.clone(),
        };
        let loss = match (setup.penalty)(net)? {
            Some(p) => (objective + p)?,
            None => objective,
        };
        optimizer.backward_step(&loss)?;
        let batch_loss = f64::from(data_loss.to_scalar::<f32>()?);
        loss_sum += batch_loss * indices.len() as f64;
        correct += count_correct(&logits, &y)?;
        if on_batch(done + 1, total, batch_loss).is_break() {
            return Err(AdmmError::Stopped);
        }
    }
    let n = data.len().max(1) as f64;
    Ok(EpochStats { loss: loss_sum / n, accuracy: correct as f64 / n })
}

/// Distillation temperature and the weight of the teacher's soft targets against the labels (Hinton et
/// al. 2015): the original dense model knows more than the 0/1 labels of a small training set say, and the
/// compressed model learns that from it. On the LeNet fixture (4,000 training samples, fc1 at block 64),
/// 0.9 at T = 2 lost 0.6 points where labels alone lost 2.0 (60 epochs each).
pub const TEMPERATURE: f64 = 2.0;
pub const SOFT_WEIGHT: f64 = 0.9;

/// `(1 - a) * CE(labels) + a * T^2 * CE(softmax(teacher / T), softmax(student / T))`.
fn distillation(logits: &Tensor, teacher: &Tensor, hard: &Tensor) -> Result<Tensor, AdmmError> {
    let (t, a) = (TEMPERATURE, SOFT_WEIGHT);
    let targets = candle_nn::ops::softmax(&teacher.affine(1.0 / t, 0.0)?, 1)?;
    let log_p = candle_nn::ops::log_softmax(&logits.affine(1.0 / t, 0.0)?, 1)?;
    let soft = (targets * log_p)?.sum(1)?.mean(0)?.affine(-t * t, 0.0)?;
    Ok((hard.affine(1.0 - a, 0.0)? + soft.affine(a, 0.0)?)?)
}

/// The network's logits for every sample, `len x classes` row-major (the teacher for distillation).
pub fn logits(net: &Net, data: &Samples) -> Result<Vec<f32>, AdmmError> {
    let indices: Vec<usize> = (0..data.len()).collect();
    let mut out = Vec::with_capacity(data.len() * net.classes);
    for chunk in indices.chunks(256) {
        let (x, _) = data.batch(chunk, &net.sample_shape)?;
        out.extend(net.forward(&x, false)?.flatten_all()?.to_vec1::<f32>()?);
    }
    Ok(out)
}

/// Top-1 accuracy of the network on the samples.
pub fn accuracy(net: &Net, data: &Samples, quantized: bool) -> Result<f64, AdmmError> {
    let indices: Vec<usize> = (0..data.len()).collect();
    let mut correct = 0;
    for chunk in indices.chunks(256) {
        let (x, y) = data.batch(chunk, &net.sample_shape)?;
        correct += count_correct(&net.forward(&x, quantized)?, &y)?;
    }
    Ok(correct as f64 / data.len().max(1) as f64)
}

fn count_correct(logits: &Tensor, labels: &Tensor) -> Result<usize, AdmmError> {
    let predicted: Vec<u32> = logits.argmax(1)?.to_vec1()?;
    let labels: Vec<u32> = labels.to_vec1()?;
    Ok(predicted.iter().zip(&labels).filter(|(p, l)| p == l).count())
}

/// A Fisher-Yates permutation of `0..len`.
fn shuffled(len: usize, rng: &mut XorShift) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    for i in (1..len).rev() {
        order.swap(i, (rng.next_u64() % (i as u64 + 1)) as usize);
    }
    order
}
