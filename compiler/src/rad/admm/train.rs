//! Minibatch training and evaluation of a [`Net`]: shuffling from a seed, the task's objective (cross-entropy
//! on labels for a classifier, squared error to the teacher's outputs for a regression model) plus an
//! optional penalty, Adam steps.

use std::ops::ControlFlow;

use candle_core::{Device, Tensor};
use candle_nn::optim::{AdamW, Optimizer, ParamsAdamW};

use super::AdmmError;
use super::net::Net;
use crate::xorshift::XorShift;

/// Samples, flattened row-major, with what training fits them to.
pub struct Samples<'a> {
    pub x: &'a [f32],
    /// Class labels, checked to be below the model's class count by the caller; `None` for a regression
    /// model, which trains on the teacher's outputs alone.
    pub y: Option<&'a [u32]>,
    /// The original model's outputs per sample (`len x outputs`), when training distils from it.
    pub teacher: Option<&'a [f32]>,
    /// A regression model's reference outputs per sample (`len x outputs`: its targets, or its inputs).
    pub reference: Option<&'a [f32]>,
    pub count: usize,
}

impl Samples<'_> {
    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The variance of all the teacher's outputs (1 without a teacher or when they are constant): a
    /// regression trains on its squared error relative to it, so the objective is on the scale the ADMM
    /// schedule was tuned for (cross-entropy, about 0.1 to 2) whatever the units of the outputs.
    fn teacher_variance(&self) -> f64 {
        let Some(teacher) = self.teacher.filter(|t| !t.is_empty()) else { return 1.0 };
        let n = teacher.len() as f64;
        let mean = teacher.iter().map(|&v| f64::from(v)).sum::<f64>() / n;
        let variance = teacher.iter().map(|&v| (f64::from(v) - mean).powi(2)).sum::<f64>() / n;
        if variance > 0.0 { variance } else { 1.0 }
    }

    /// The teacher's outputs for `indices`, as `batch x outputs`.
    fn teacher_batch(&self, indices: &[usize]) -> Result<Option<Tensor>, AdmmError> {
        self.rows(self.teacher, indices)
    }

    /// Rows `indices` of a `len x n` table, as a `batch x n` tensor.
    fn rows(&self, table: Option<&[f32]>, indices: &[usize]) -> Result<Option<Tensor>, AdmmError> {
        let Some(table) = table else { return Ok(None) };
        let n = table.len() / self.len().max(1);
        let mut t = Vec::with_capacity(indices.len() * n);
        for &i in indices {
            t.extend_from_slice(&table[i * n..(i + 1) * n]);
        }
        Ok(Some(Tensor::from_vec(t, (indices.len(), n), &Device::Cpu)?))
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
        let y: Vec<u32> = self.y.map_or_else(Vec::new, |y| indices.iter().map(|&i| y[i]).collect());
        let labels = y.len();
        Ok((Tensor::from_vec(x, shape, &Device::Cpu)?, Tensor::from_vec(y, labels, &Device::Cpu)?))
    }
}

/// Adam without weight decay (the ADMM penalty is the only regularizer).
pub fn optimizer(net: &Net, lr: f64) -> Result<AdamW, AdmmError> {
    Ok(AdamW::new(net.vars(), ParamsAdamW { lr, weight_decay: 0.0, ..ParamsAdamW::default() })?)
}

/// A training pass's mean loss (cross-entropy on the labels, or mean squared error to the teacher) and the
/// accuracy of its predictions on the batches as they went by (`None` for a regression model).
#[derive(Clone, Copy, Debug, serde::Serialize)]
pub struct EpochStats {
    pub loss: f64,
    pub accuracy: Option<f64>,
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
    let variance = data.teacher_variance();
    let order = shuffled(data.len(), rng);
    let total = order.len().div_ceil(setup.batch.max(1));
    let (mut loss_sum, mut correct) = (0f64, 0usize);
    for (done, indices) in order.chunks(setup.batch.max(1)).enumerate() {
        let (x, y) = data.batch(indices, &net.sample_shape)?;
        let logits = net.forward(&x, setup.quantized)?;
        let teacher = data.teacher_batch(indices)?;
        let (data_loss, objective) = match (data.y, teacher) {
            (Some(_), teacher) => {
                let hard = candle_nn::loss::cross_entropy(&logits, &y)?;
                let objective = match teacher {
                    Some(teacher) => distillation(&logits, &teacher, &hard)?,
                    None => hard.clone(),
                };
                (hard, objective)
            }
            (None, Some(teacher)) => {
                let soft = candle_nn::loss::mse(&logits, &teacher)?;
                let mse = match data.rows(data.reference, indices)? {
                    Some(reference) => {
                        let hard = candle_nn::loss::mse(&logits, &reference)?;
                        (hard.affine(1.0 - REGRESSION_SOFT_WEIGHT, 0.0)? + soft.affine(REGRESSION_SOFT_WEIGHT, 0.0)?)?
                    }
                    None => soft,
                };
                let relative = mse.affine(1.0 / variance, 0.0)?;
                (mse, relative)
            }
            (None, None) => return Err(AdmmError::NoObjective),
        };
        let loss = match (setup.penalty)(net)? {
            Some(p) => (objective + p)?,
            None => objective,
        };
        optimizer.backward_step(&loss)?;
        let batch_loss = f64::from(data_loss.to_scalar::<f32>()?);
        loss_sum += batch_loss * indices.len() as f64;
        if data.y.is_some() {
            correct += count_correct(&logits, &y)?;
        }
        if on_batch(done + 1, total, batch_loss).is_break() {
            return Err(AdmmError::Stopped);
        }
    }
    let n = data.len().max(1) as f64;
    Ok(EpochStats { loss: loss_sum / n, accuracy: data.y.is_some().then(|| correct as f64 / n) })
}

/// Distillation temperature and the weight of the teacher's soft targets against the labels (Hinton et
/// al. 2015): the original dense model knows more than the 0/1 labels of a small training set say, and the
/// compressed model learns that from it. On the LeNet fixture (4,000 training samples, fc1 at block 64),
/// 0.9 at T = 2 lost 0.6 points where labels alone lost 2.0 (60 epochs each).
pub const TEMPERATURE: f64 = 2.0;
pub const SOFT_WEIGHT: f64 = 0.9;

/// A regression's weight of the teacher's outputs against the reference outputs (its targets or inputs):
/// `(1 - a) * MSE(reference) + a * MSE(teacher)`.
pub const REGRESSION_SOFT_WEIGHT: f64 = 0.5;

/// `(1 - a) * CE(labels) + a * T^2 * CE(softmax(teacher / T), softmax(student / T))`.
fn distillation(logits: &Tensor, teacher: &Tensor, hard: &Tensor) -> Result<Tensor, AdmmError> {
    let (t, a) = (TEMPERATURE, SOFT_WEIGHT);
    let targets = candle_nn::ops::softmax(&teacher.affine(1.0 / t, 0.0)?, 1)?;
    let log_p = candle_nn::ops::log_softmax(&logits.affine(1.0 / t, 0.0)?, 1)?;
    let soft = (targets * log_p)?.sum(1)?.mean(0)?.affine(-t * t, 0.0)?;
    Ok((hard.affine(1.0 - a, 0.0)? + soft.affine(a, 0.0)?)?)
}

/// The network's outputs for every sample, `len x outputs` row-major (the teacher for distillation).
pub fn logits(net: &Net, data: &Samples) -> Result<Vec<f32>, AdmmError> {
    let indices: Vec<usize> = (0..data.len()).collect();
    let mut out = Vec::with_capacity(data.len() * net.classes);
    for chunk in indices.chunks(256) {
        let (x, _) = data.batch(chunk, &net.sample_shape)?;
        out.extend(net.forward(&x, false)?.flatten_all()?.to_vec1::<f32>()?);
    }
    Ok(out)
}

/// Top-1 accuracy of the network on labelled samples.
pub fn accuracy(net: &Net, data: &Samples, quantized: bool) -> Result<f64, AdmmError> {
    if data.y.is_none() {
        return Err(AdmmError::NoObjective);
    }
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
