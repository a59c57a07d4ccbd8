//! The host power-failure simulator: runs the task-partitioned program through the runtime's own
//! `start`/`resume` protocol with failures injected at kernel boundaries, inside commits (torn after k
//! words) or when a modeled capacitor runs dry; FRAM survives, LEA RAM and SRAM are filled with junk at
//! every failure; the result must equal a continuous run bit for bit.

use std::cell::Cell;
use std::rc::Rc;

use acec_runtime::flex::{self, CHECK_WORD, INVALID, NvWords, ProgramId, RECORD_WORDS, SLOT_WORDS, Status, TaskRunner};
use acec_runtime::{Accelerator, KernelError, Metered, SoftBackend, Supply, Violation};
use serde::Serialize;

use super::budget::EnergyBuffer;
use super::partition::TaskPlan;
use crate::ace::Program;
use crate::ace::exec::Machine;
use crate::target::Target;

/// Where the simulated supply fails.
#[derive(Clone, Debug)]
pub enum Failure {
    /// Never.
    None,
    /// Once, before the kernel call with this index (counted from the start of the inference).
    AtCall(u64),
    /// Once, during the commit word write with this index (counted from the first commit after `start`).
    TornWrite(u64),
    /// Before each of these call indices (counted across reboots, re-executed calls included).
    Calls(Vec<u64>),
    /// When the capacitor runs dry; it recharges from the harvested power.
    Energy { buffer: EnergyBuffer, power: PowerSource },
}

/// Harvested power over time.
#[derive(Clone, Debug)]
pub enum PowerSource {
    /// Microwatts.
    Constant(f64),
    /// `(time in s, microwatts)` steps; the last value holds after the trace ends.
    Trace(Vec<(f64, f64)>),
}

impl PowerSource {
    /// Seconds to harvest `pj` picojoules starting at time `t`.
    fn time_to_harvest(&self, t: f64, pj: f64) -> f64 {
        match self {
            PowerSource::Constant(uw) => pj * 1e-12 / (uw * 1e-6),
            PowerSource::Trace(steps) => {
                let mut needed = pj * 1e-12;
                let mut now = t;
                let value_at = |time: f64| steps.iter().rev().find(|(s, _)| *s <= time).map_or(steps[0].1, |(_, p)| *p);
                loop {
                    let next_change = steps.iter().map(|(s, _)| *s).find(|s| *s > now);
                    let watts = value_at(now) * 1e-6;
                    match next_change {
                        Some(change) if watts * (change - now) < needed => {
                            needed -= watts * (change - now);
                            now = change;
                        }
                        _ if watts > 0.0 => return now + needed / watts - t,
                        Some(change) => now = change,
                        None => return f64::INFINITY,
                    }
                }
            }
        }
    }
}

/// What one simulated inference did.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Outcome {
    pub completed: bool,
    pub bit_identical: bool,
    pub reboots: u64,
    pub failures_injected: u64,
    /// Cycles of every kernel call made, re-executed work included.
    pub cycles: u64,
    /// Kernel calls made, re-executed ones included.
    pub calls: u64,
    pub commits: u64,
    /// Record word writes after `start`, torn commits included.
    pub nv_writes: u64,
    /// Seconds from start to completion: active time, boots, and recharging (energy mode).
    pub time_s: f64,
}

/// The program id the simulated device's record carries (the simulator runs one program, so any fixed
/// value does; generated crates use their `PROGRAM_ID`).
pub const SIM_PROGRAM: ProgramId = 0x51A1_0001;

/// FRAM holding the progress record; fails (drops this and later writes) at a chosen write.
pub struct SimNv {
    words: [u16; RECORD_WORDS],
    writes: u64,
    /// Commits that took effect: writes of a valid check word.
    commits: u64,
    tear_at: Option<u64>,
    dead: Rc<Cell<bool>>,
}

impl NvWords for SimNv {
    fn read(&self, index: usize) -> u16 {
        self.words[index]
    }

    fn write(&mut self, index: usize, value: u16) {
        if self.dead.get() || self.tear_at == Some(self.writes) {
            self.dead.set(true);
            return;
        }
        self.words[index] = value;
        self.writes += 1;
        if index % SLOT_WORDS == CHECK_WORD && value != INVALID {
            self.commits += 1;
        }
    }
}

/// Runs tasks on the host machine; refuses to run once the supply died inside a commit.
pub struct Runner<'m, 'p> {
    machine: &'m mut Machine<'p>,
    /// The plan's tasks, a layer being a step index.
    tasks: &'m [flex::Task<usize>],
    dead: Rc<Cell<bool>>,
}

impl TaskRunner for Runner<'_, '_> {
    type Layer = usize;

    fn tasks(&self) -> &[flex::Task<usize>] {
        self.tasks
    }

    fn run<A: Accelerator>(&mut self, acc: &mut A, task: flex::Task<usize>) -> Result<(), KernelError> {
        if self.dead.get() {
            return Err(KernelError { kernel: acec_runtime::Kernel::Copy, violation: Violation::PowerLoss });
        }
        self.machine.run_step(acc, task.layer, task.first_unit..task.end_unit)
    }
}

/// Reboots after which a run that makes no progress is declared stuck.
const MAX_REBOOTS: u64 = 100_000;

/// How the device resumes: the runtime's `flex::resume`, or (in tests that prove the simulator can fail) a
/// deliberately broken protocol.
pub type ResumeFn = fn(&mut SimNv, &mut Runner, &mut Metered<SoftBackend>) -> Result<Status, KernelError>;

fn runtime_resume(nv: &mut SimNv, runner: &mut Runner, acc: &mut Metered<SoftBackend>) -> Result<Status, KernelError> {
    flex::resume(nv, SIM_PROGRAM, runner, acc)
}

/// Simulates one inference of `input` under `failure`; `expected` is the continuous run's output.
pub fn simulate(
    program: &Program,
    plan: &TaskPlan,
    target: &Target,
    input: &[i16],
    expected: &[i16],
    failure: &Failure,
    seed: u64,
) -> Result<Outcome, KernelError> {
    simulate_with(program, plan, target, input, expected, failure, seed, runtime_resume)
}

/// [`simulate`] with a chosen resume protocol.
#[allow(clippy::too_many_arguments)]
pub fn simulate_with(
    program: &Program,
    plan: &TaskPlan,
    target: &Target,
    input: &[i16],
    expected: &[i16],
    failure: &Failure,
    seed: u64,
    resume: ResumeFn,
) -> Result<Outcome, KernelError> {
    let table = target.cost_table();
    let mut metered = Metered::new(SoftBackend, &table);
    let mut machine = Machine::new(program);
    machine.scramble_volatile(seed);
    machine.load_input(input);
    let dead = Rc::new(Cell::new(false));
    let mut nv = SimNv { words: [0; RECORD_WORDS], writes: 0, commits: 0, tear_at: None, dead: dead.clone() };
    flex::start(&mut nv, SIM_PROGRAM);
    nv.writes = 0;
    nv.commits = 0;
    nv.tear_at = match failure {
        Failure::TornWrite(w) => Some(*w),
        _ => None,
    };
    let mut outcome = Outcome::default();
    let clock = target.clock_hz.unwrap_or(1) as f64;
    let boot_s = target.boot.as_ref().map_or(0.0, |b| b.cycles as f64 / clock);
    let mut calls_so_far = 0u64;
    let mut schedule: Vec<u64> = match failure {
        Failure::AtCall(k) => vec![*k],
        Failure::Calls(list) => list.iter().rev().copied().collect(),
        _ => Vec::new(),
    };
    let supply_for = |schedule: &Vec<u64>, calls_so_far: u64| match (failure, schedule.last()) {
        (Failure::Energy { buffer, .. }, _) => {
            let boot_pj = target.boot_energy_pj();
            Supply { energy_pj: Some(buffer.usable_pj().saturating_sub(boot_pj)), ..Supply::default() }
        }
        (_, Some(&next)) => Supply { fail_at_call: Some(next.saturating_sub(calls_so_far)), ..Supply::default() },
        _ => Supply::default(),
    };
    let tasks: Vec<flex::Task<usize>> =
        plan.tasks.iter().map(|t| flex::Task { layer: t.step, first_unit: t.start, end_unit: t.end }).collect();
    let mut last_progress = None;
    let mut stuck = 0;
    loop {
        metered.set_supply(supply_for(&schedule, calls_so_far));
        let before = metered.meter().total.cycles;
        let result =
            resume(&mut nv, &mut Runner { machine: &mut machine, tasks: &tasks, dead: dead.clone() }, &mut metered);
        calls_so_far += metered.supply().calls;
        outcome.time_s += (metered.meter().total.cycles - before) as f64 / clock;
        let power_lost = match result {
            Ok(Status::Done { .. }) if !dead.get() => false,
            Ok(Status::Done { .. }) => true,
            Err(KernelError { violation: Violation::PowerLoss, .. }) => true,
            Ok(Status::Idle) => {
                return Err(KernelError { kernel: acec_runtime::Kernel::Copy, violation: Violation::Empty });
            }
            Err(other) => return Err(other),
        };
        if !power_lost {
            outcome.completed = true;
            break;
        }
        outcome.reboots += 1;
        outcome.failures_injected += 1;
        dead.set(false);
        nv.tear_at = None;
        schedule.pop_if(|next| *next <= calls_so_far);
        machine.scramble_volatile(seed.wrapping_add(outcome.reboots));
        if let Failure::Energy { buffer, power } = failure {
            outcome.time_s += power.time_to_harvest(outcome.time_s, buffer.usable_pj() as f64);
        }
        outcome.time_s += boot_s;
        // Energy mode: no commit across three charges means the work between commits never fits one.
        // (Injected schedules are finite and may legitimately hit one task many times.)
        let progress = flex::current(&nv, SIM_PROGRAM);
        stuck = if progress == last_progress { stuck + 1 } else { 0 };
        last_progress = progress;
        let energy_mode = matches!(failure, Failure::Energy { .. });
        if (energy_mode && stuck > 2) || outcome.reboots > MAX_REBOOTS {
            break;
        }
    }
    outcome.cycles = metered.meter().total.cycles;
    outcome.calls = calls_so_far;
    outcome.commits = nv.commits;
    outcome.nv_writes = nv.writes;
    outcome.time_s += outcome.commits as f64 * target.commit_cycles() as f64 / clock;
    outcome.bit_identical = outcome.completed && machine.output() == expected;
    Ok(outcome)
}

/// The kernel calls and commit word writes of one failure-free task-partitioned inference (the exhaustive
/// sweep's range).
pub fn calls_per_inference(
    program: &Program,
    plan: &TaskPlan,
    target: &Target,
    input: &[i16],
) -> Result<(u64, u64), KernelError> {
    let outcome = simulate(program, plan, target, input, &[], &Failure::None, 0)?;
    Ok((outcome.calls, outcome.nv_writes))
}
