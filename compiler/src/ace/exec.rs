//! Runs an accelerator program on the host with acec-runtime's layer operations — the same calls, in the
//! same order, that the generated crate makes on the device, so the results agree bit for bit. Each step
//! makes the call its [`Call::describe`] names, with the operands in its order; the one match below is
//! the typed dispatch that a description by name cannot make.

use acec_runtime::{Accelerator, ConstSlice, Far, KernelError, ops};

use super::program::{Act, BufferId, Call, Data, Program, Space};

/// The program's mutable memory on the host.
pub struct Machine<'p> {
    program: &'p Program,
    i16s: Vec<Vec<i16>>,
    i32s: Vec<Vec<i32>>,
}

impl<'p> Machine<'p> {
    /// Fresh memory: constants loaded, scratch zeroed.
    pub fn new(program: &'p Program) -> Self {
        let mut i16s = Vec::with_capacity(program.buffers.len());
        let mut i32s = Vec::with_capacity(program.buffers.len());
        for buffer in &program.buffers {
            match &buffer.data {
                Data::I16(v) => {
                    i16s.push(v.clone());
                    i32s.push(Vec::new());
                }
                Data::I32(v) => {
                    i16s.push(Vec::new());
                    i32s.push(v.clone());
                }
            }
        }
        Machine { program, i16s, i32s }
    }

    /// Writes a quantized input where the first step reads it.
    pub fn load_input(&mut self, input: &[i16]) {
        let a = &mut self.i16s[self.program.acts[0].0];
        a[..input.len()].copy_from_slice(input);
    }

    /// Runs one inference on a quantized input and returns the quantized output.
    pub fn infer<A: Accelerator>(&mut self, acc: &mut A, input: &[i16]) -> Result<Vec<i16>, KernelError> {
        self.load_input(input);
        for index in 0..self.program.steps.len() {
            self.run_step(acc, index, 0..usize::MAX)?;
        }
        Ok(self.output())
    }

    /// Fills the volatile buffers (LEA RAM, SRAM scratch) with junk, as a power failure leaves them.
    pub fn scramble_volatile(&mut self, seed: u64) {
        let mut rng = crate::xorshift::XorShift::new(seed);
        let mut next = move || rng.next_u64();
        for (i, buffer) in self.program.buffers.iter().enumerate() {
            if matches!(buffer.space, Space::LeaRam | Space::Sram) {
                self.i16s[i].iter_mut().for_each(|v| *v = next() as i16);
                self.i32s[i].iter_mut().for_each(|v| *v = next() as i32);
            }
        }
    }

    /// The current contents of the output activation.
    pub fn output(&self) -> Vec<i16> {
        let buffer = self.program.act_buffer(self.program.output_act);
        self.i16s[buffer.0][..self.program.output_len].to_vec()
    }

    /// The activation buffer a step wrote, as it is now (for per-layer comparisons).
    pub fn activation(&self, act: Act, len: usize) -> &[i16] {
        &self.i16s[self.program.act_buffer(act).0][..len]
    }

    /// Runs work units `work` of step `index`.
    pub fn run_step<A: Accelerator>(
        &mut self,
        acc: &mut A,
        index: usize,
        work: std::ops::Range<usize>,
    ) -> Result<(), KernelError> {
        let program = self.program;
        let step = &program.steps[index];
        let input_id = program.act_buffer(step.input);
        let output_id = program.act_buffer(step.output);
        let mut lea = std::mem::take(&mut self.i16s[program.lea.0]);
        let mut acc32 = std::mem::take(&mut self.i32s[program.acc32.0]);
        let mut output = std::mem::take(&mut self.i16s[output_id.0]);
        // A step whose output is its input (only hand-made programs: lowering never emits one) reads the
        // buffer as it is when the step starts.
        let aliased = input_id == output_id;
        let input_copy = if aliased { output.clone() } else { Vec::new() };
        let c16 = |id: BufferId| -> &[i16] { if aliased && id == input_id { &input_copy } else { &self.i16s[id.0] } };
        let c32 = |id: BufferId| -> &[i32] { &self.i32s[id.0] };
        // Weights the device reads by DMA from upper FRAM go through the same far copy here.
        let staged = |id: BufferId| Staged::new(&self.i16s[id.0], program.buffer(id).space == Space::FramUpper);
        let input = &c16(input_id)[step.input_offset..];
        let output_all = &mut output;
        let output = &mut output_all[step.output_offset..];
        let result = (|| {
            if step.call.works_in_place() && !aliased {
                acc.copy(&input[..step.output_len], &mut output[..step.output_len])?;
            }
            match &step.call {
                Call::Relu { params } => ops::relu(acc, params, output, work),
                Call::Softmax { params } => ops::softmax(acc, params, input, output, work),
                Call::ChannelAffine { params, scales, offsets } => {
                    ops::channel_affine(acc, params, c16(*scales), c16(*offsets), output, &mut lea, work)
                }
                Call::Dense { params, weights, bias } => {
                    ops::dense(acc, params, &staged(*weights), c32(*bias), input, output, &mut lea, &mut acc32, work)
                }
                Call::Circulant { params, spectra, bias } => {
                    ops::circulant_dense(acc, params, &staged(*spectra), c16(*bias), input, output, &mut lea, work)
                }
                Call::CirculantPaper { params, weights, bias } => {
                    ops::circulant_paper(acc, params, &staged(*weights), c16(*bias), input, output, &mut lea, work)
                }
                Call::ConvFft { params, spectra, bias } => {
                    ops::conv_fft(acc, params, &staged(*spectra), c16(*bias), input, output, &mut lea, work)
                }
                Call::CirculantConv { params, spectra, bias } => {
                    ops::circulant_conv(acc, params, &staged(*spectra), c16(*bias), input, output, &mut lea, work)
                }
                Call::ConvFir { params, weights, bias } => {
                    ops::conv_fir(acc, params, &staged(*weights), c16(*bias), input, output, &mut lea, work)
                }
                Call::Conv { params, weights, bias } => {
                    ops::conv(acc, params, &staged(*weights), c32(*bias), input, output, &mut lea, &mut acc32, work)
                }
                Call::MaxPool { params } => ops::max_pool(acc, params, input, output, work),
                Call::AvgPool { shape } => ops::average_pool(acc, shape, input, output, work),
                Call::Lookup { params, table } => ops::lookup(acc, params, c16(*table), input, output, work),
                Call::Permute { params } => ops::permute(acc, params, input, output, work),
                Call::Rescale { params } => ops::rescale(acc, params, input, output, &mut lea, work),
                Call::Add { params, second } => {
                    ops::add(acc, params, input, c16(program.act_buffer(*second)), output, &mut lea, work)
                }
                Call::Multiply { params, second } => {
                    ops::multiply(acc, params, input, c16(program.act_buffer(*second)), output, &mut lea, work)
                }
            }
        })();
        self.i16s[output_id.0] = std::mem::take(output_all);
        self.i16s[program.lea.0] = lea;
        self.i32s[program.acc32.0] = acc32;
        result
    }
}

/// A weight array as the device reads it: a slice in addressable FRAM, or a far range in upper FRAM.
pub(crate) enum Staged<'a> {
    Near(&'a [i16]),
    Far(Far<'a>),
}

impl<'a> Staged<'a> {
    /// `data`, read by DMA when it is `far` (in upper FRAM).
    pub(crate) fn new(data: &'a [i16], far: bool) -> Self {
        if far { Staged::Far(Far::from_slice(data)) } else { Staged::Near(data) }
    }
}

impl ConstSlice for Staged<'_> {
    fn elements(&self) -> u32 {
        match self {
            Staged::Near(data) => data.elements(),
            Staged::Far(far) => far.elements(),
        }
    }

    fn stage<A: Accelerator>(&self, acc: &mut A, at: u32, dst: &mut [i16]) -> Result<(), KernelError> {
        match self {
            Staged::Near(data) => data.stage(acc, at, dst),
            Staged::Far(far) => far.stage(acc, at, dst),
        }
    }
}
