//! Host run of the generated crate on the firmware's input: prints `infer` and `start`/`resume` outputs.
#[path = "../../firmware/src/input.rs"]
mod input;
use acec_runtime::flex::Status;

fn main() {
    let mut acc = model::SoftBackend;
    let mut out = [0i16; model::OUTPUT_LEN];
    unsafe { model::infer(&mut acc, &input::INPUT, &mut out) }.unwrap();
    println!("infer:  {}", out.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(" "));
    unsafe {
        loop {
            match model::resume(&mut acc).unwrap() {
                Status::Idle => model::start(&input::INPUT),
                Status::Done { .. } => break,
            }
        }
        model::output(&mut out);
    }
    println!("resume: {}", out.iter().map(|v| v.to_string()).collect::<Vec<_>>().join(" "));
}
