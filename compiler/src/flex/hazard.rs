//! The idempotence check: no task may read a non-volatile buffer after it may have written it. Volatile
//! buffers (LEA RAM, SRAM scratch) are rebuilt by every task and cannot carry state across a failure.

use super::FlexError;
use super::partition::Task;
use crate::ace::{Act, Program, Space};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Access {
    Read(Act),
    Write(Act),
}

/// The non-volatile accesses of one step, in program order.
fn accesses(program: &Program, step: usize) -> Vec<Access> {
    let s = &program.steps[step];
    let mut accesses = vec![Access::Read(s.input)];
    // A residual sum or a gated product also reads the tensor a skip connection kept alive.
    if let Some(second) = s.call.second_input() {
        accesses.push(Access::Read(second));
    }
    accesses.push(Access::Write(s.output));
    if s.call.works_in_place() && s.input != s.output {
        // Copy in (a blind write of the output), then read-modify-write the output: the output's first
        // access is a write, so re-execution recomputes it from the intact input.
        accesses.extend([Access::Read(s.output), Access::Write(s.output)]);
    }
    accesses
}

/// Checks every task. A buffer whose first access in a task is a read and that the task later writes is
/// a write-after-read hazard: after a failure the task would re-read its own partial output.
pub fn check_hazards(program: &Program, tasks: &[Task]) -> Result<(), FlexError> {
    for (index, task) in tasks.iter().enumerate() {
        let mut first_access: Vec<(Act, Access)> = Vec::new();
        for access in accesses(program, task.step) {
            let act = match access {
                Access::Read(a) | Access::Write(a) => a,
            };
            let non_volatile = program.buffer(program.act_buffer(act)).space == Space::FramData;
            if !non_volatile {
                continue;
            }
            match first_access.iter().find(|(a, _)| *a == act) {
                None => first_access.push((act, access)),
                Some((_, Access::Read(_))) if matches!(access, Access::Write(_)) => {
                    return Err(FlexError::Hazard {
                        task: index,
                        layer: program.steps[task.step].layer.clone(),
                        buffer: program.buffer(program.act_buffer(act)).name.clone(),
                    });
                }
                Some(_) => {}
            }
        }
    }
    Ok(())
}
