//! What each subcommand does, between argument parsing (`main.rs`) and the pipeline.

use std::path::{Path, PathBuf};

use crate::ace::Space;
use crate::build_job::firmware::Firmware;
use crate::build_job::{self, Built, Form, Job};
use crate::cli::{CompileArgs, FirmwareArgs, advice};
use crate::dataset;
use crate::error::Error;
use crate::graph::{Graph, eval};
use crate::pipeline::{self, Compiled, Request};
use crate::progress;
use crate::reference::FloatReference;
use crate::report::inspect;
use crate::report::table::{render, size_change, thousands};
use crate::verify;

fn json_text<T: serde::Serialize>(value: &T) -> Result<String, Error> {
    serde_json::to_string_pretty(value).map_err(|e| Error::Internal(e.to_string()))
}

/// The layer table of everything acec can import, marking what `build` cannot compile; exit 0 either way.
pub fn inspect(imported: &crate::onnx::Imported, json: bool) -> Result<(), Error> {
    print_notes(&imported.graph);
    let inspection = inspect::inspect_imported(imported);
    if json {
        println!("{}", json_text(&inspection)?);
    } else {
        print!("{}", inspect::render_text(&inspection));
    }
    Ok(())
}

pub fn build(args: &CompileArgs, output: Option<PathBuf>, firmware: &FirmwareArgs) -> Result<(), Error> {
    advice::note_calibration(args);
    let job = Job {
        request: args.request()?,
        output: output.unwrap_or_else(|| pipeline::default_output(&args.model)),
        form: Form::Crate,
        // `--firmware` requires `--data` (clap says so).
        firmware: firmware.data.clone().filter(|_| firmware.firmware).map(|data| Firmware {
            data,
            index: firmware.index,
            board: firmware.board,
            dsplib_standin: firmware.dsplib_standin,
            dsplib: firmware.dsplib.clone(),
        }),
    };
    let Built { compiled, package, output, crate_name, linked } = build_job::run(&job, |e, compiled| {
        print_notes(&compiled.graph);
        advice::does_not_fit(e, compiled, args)
    })?;
    print_notes(&compiled.graph);
    for warning in advice::projection_warnings(&compiled, &package.snr, args) {
        eprintln!("warning: {warning}");
    }
    if let Some(rows) = linked {
        println!(
            "linked {}; memory by region (also in firmware.md):\n{}",
            output.join("firmware.elf").display(),
            crate::firmware::render_memory_report(&rows)
        );
    }
    let report = &package.report;
    let t = &report.totals;
    let bytes_in =
        |space: Space| -> u64 { t.bytes_per_space.iter().filter(|(s, _)| *s == space).map(|(_, b)| *b).sum() };
    println!(
        "wrote {} (crate `{crate_name}`): {} layers, {} parameters stored ({}), {} bytes of FRAM constants{}; \
         modeled {} cycles = {:.2} ms, {:.2} uJ per inference on {}",
        output.display(),
        report.layers.len(),
        thousands(t.params_stored as u64),
        size_change(t.params, t.params_stored),
        thousands(bytes_in(Space::FramConst) + bytes_in(Space::FramUpper)),
        match bytes_in(Space::FramUpper) {
            0 => String::new(),
            upper => format!(" ({} of them in upper FRAM, read by DMA)", thousands(upper)),
        },
        thousands(t.cycles),
        t.ms,
        t.energy_uj,
        compiled.target.name
    );
    Ok(())
}

/// What the importer assumed (a free batch dimension taken as 1), on stderr: the output stays clean.
fn print_notes(graph: &Graph) {
    for note in &graph.notes {
        eprintln!("note: {note}");
    }
}

/// The notes `verify`, `run` and `sim` print before their results: what the importer assumed, the input
/// range assumed without `--calib`, and a model that does not fit the device (it runs on the host anyway).
fn notes(compiled: &Compiled, args: &CompileArgs) {
    print_notes(&compiled.graph);
    advice::note_calibration(args);
    if let Err(e) = &compiled.plan {
        let misfit = advice::does_not_fit(e, compiled, args);
        eprintln!("note: {misfit}\nnote: the results below are from the host, where it runs anyway");
    }
}

pub fn verify(
    args: &CompileArgs,
    data: &Path,
    task: Option<crate::task::Task>,
    limit: Option<usize>,
    jitter: Option<verify::jitter::Jitter>,
    json: bool,
) -> Result<(), Error> {
    let compiled = pipeline::compile(&args.request()?)?;
    notes(&compiled, args);
    let mut test = dataset::load(data, compiled.graph.input_shape.dims())?;
    if let Some(limit) = limit {
        test = test.truncated(limit);
    }
    let reference = FloatReference::load(&args.model, compiled.graph.input_shape.dims())?;
    let scoring = crate::task::decide(task, compiled.graph.output_shape().elements(), &test, data)?;
    if let Some(scored_against) = scoring.reference {
        if jitter.is_some() {
            return Err(Error::Usage(
                "--lsb-jitter measures top-1 agreement, which a regression model does not have; verify it without \
                 --lsb-jitter (or pass --task classify if it is a classifier)"
                    .into(),
            ));
        }
        return verify_regression(args, &compiled, &test, scored_against, &reference, json);
    }
    let progress = progress::bar(test.len() as u64, "samples", "verifying");
    let mut failure = None;
    let dropped = !compiled.program.dropped.is_empty();
    let agreement = verify::compare_jittered(&compiled.program, &test, jitter, |x| {
        progress.inc(1);
        let model_output = run_or_keep_error(&reference, x, &mut failure);
        // With a final softmax left out, the program's output is the layer before it: the class still comes
        // from tract (softmax keeps the argmax), the logit error from acec's float interpreter of that layer.
        let logits = if dropped {
            eval::run_layers(&compiled.graph, x).iter().rev().nth(1).cloned().unwrap_or_default()
        } else {
            model_output.clone()
        };
        (model_output, logits)
    })
    .map_err(|e| Error::Internal(format!("host run: {e}")))?;
    progress.finish_and_clear();
    if let Some(e) = failure {
        return Err(e);
    }
    if json {
        println!("{}", json_text(&with_task(&agreement, "classify")?)?);
        return Ok(());
    }
    let pct = |v: Option<f64>| v.map_or("-".into(), |v| format!("{:.2}%", v * 100.0));
    let mut rows = vec![
        vec!["samples".into(), agreement.samples.to_string()],
        vec!["float accuracy (tract)".into(), pct(agreement.float_accuracy)],
        vec!["compiled accuracy (host, bit-exact)".into(), pct(agreement.compiled_accuracy)],
        vec!["top-1 agreement".into(), pct(Some(agreement.agreement))],
        vec!["max |logit error|".into(), format!("{:.5}", agreement.max_abs_error)],
    ];
    if let Some(j) = &agreement.jitter {
        let name = format!("+-{} LSB jitter (seed {})", j.lsb, j.seed);
        rows.extend([
            vec![format!("{name}: accuracy"), pct(j.accuracy)],
            vec![format!("{name}: top-1 agreement with float"), pct(Some(j.agreement_float))],
            vec![format!("{name}: top-1 agreement with unperturbed"), pct(Some(j.agreement_unperturbed))],
            vec![format!("{name}: max |logit change|"), format!("{:.5}", j.max_abs_change)],
        ]);
    }
    print!("{}", render(&["", &format!("{} on {}", args.model.display(), compiled.target.name)], &rows));
    Ok(())
}

/// The float model's outputs on `x`; on a failure, nothing, with the error kept in `failure` for the caller
/// to return once the comparison (which takes an infallible closure) ends.
fn run_or_keep_error(reference: &FloatReference, x: &[f32], failure: &mut Option<Error>) -> Vec<f32> {
    reference.run(x).unwrap_or_else(|e| {
        *failure = Some(e);
        Vec::new()
    })
}

/// `value` as a JSON object with a `task` field first.
fn with_task<T: serde::Serialize>(value: &T, task: &str) -> Result<serde_json::Value, Error> {
    let mut object = serde_json::Map::new();
    object.insert("task".into(), task.into());
    match serde_json::to_value(value) {
        Ok(serde_json::Value::Object(fields)) => object.extend(fields),
        other => return Err(Error::Internal(format!("verify's result is not a JSON object: {other:?}"))),
    }
    Ok(object.into())
}

/// `acec verify` of a regression model: MSE and SNR of the compiled and the float outputs against the
/// reference outputs, and of the compiled against the float ones.
fn verify_regression(
    args: &CompileArgs,
    compiled: &Compiled,
    test: &dataset::Dataset,
    scored_against: crate::task::Reference,
    reference: &FloatReference,
    json: bool,
) -> Result<(), Error> {
    let progress = progress::bar(test.len() as u64, "samples", "verifying");
    let mut failure = None;
    let regression = verify::compare_regression(&compiled.program, test, scored_against, |x| {
        progress.inc(1);
        run_or_keep_error(reference, x, &mut failure)
    })
    .map_err(|e| Error::Internal(format!("host run: {e}")))?;
    progress.finish_and_clear();
    if let Some(e) = failure {
        return Err(e);
    }
    if json {
        println!("{}", json_text(&with_task(&regression, "regress")?)?);
        return Ok(());
    }
    let r = &regression;
    let score = |mse: f64, snr: f64| format!("MSE {mse:.6}, SNR {snr:.1} dB");
    let rows = vec![
        vec!["samples".into(), r.samples.to_string()],
        vec!["task".into(), format!("regress (scored against {})", r.scored_against)],
        vec!["float (tract)".into(), score(r.float_mse, r.float_snr_db)],
        vec!["compiled (host, bit-exact)".into(), score(r.compiled_mse, r.compiled_snr_db)],
        vec!["compiled vs float".into(), score(r.compiled_vs_float_mse, r.compiled_vs_float_snr_db)],
        vec!["max |output error|".into(), format!("{:.5}", r.max_abs_error)],
    ];
    print!("{}", render(&["", &format!("{} on {}", args.model.display(), compiled.target.name)], &rows));
    Ok(())
}

/// `acec run-firmware`: the firmware in mspdebug's simulator, uninterrupted and with power failures per
/// seed, against the host run stored beside it.
pub fn run_firmware(dir: &Path, failures: usize, seeds: &[u64], json: bool) -> Result<(), Error> {
    let expected: crate::firmware::Expectation =
        crate::firmware::read_json(&dir.join("firmware.json"), "build it with `acec build --firmware --data ...`")?;
    let elf = dir.join("firmware.elf");
    let progress = progress::spinner("running the firmware in mspdebug's simulator");
    let mut runs = vec![(None, crate::firmware::sim::run(&elf, expected.output_len, 0, 0, 0)?)];
    let instructions = runs[0].1.instructions.unwrap_or(5_000_000);
    if failures > 0 {
        for &seed in seeds {
            progress.set_message(format!("running the firmware with {failures} power failures (seed {seed})"));
            runs.push((
                Some(seed),
                crate::firmware::sim::run(&elf, expected.output_len, failures, seed, instructions)?,
            ));
        }
    }
    progress.finish_and_clear();
    let matches = |run: &crate::firmware::sim::FirmwareRun| {
        run.output_q15 == expected.output_q15 && run.done == 1 && run.done_writes == 1
    };
    let all_match = runs.iter().all(|(_, run)| matches(run));
    if json {
        let runs: Vec<serde_json::Value> = runs
            .iter()
            .map(|(seed, run)| {
                let mut value = serde_json::to_value(run).unwrap_or_default();
                value["seed"] = serde_json::json!(seed);
                value["matches"] = serde_json::json!(matches(run));
                value
            })
            .collect();
        let value = serde_json::json!({"expected_q15": expected.output_q15, "matches": all_match, "runs": runs});
        println!("{}", json_text(&value)?);
    } else {
        println!("host run (acec run --index {}): {:?}", expected.index, expected.output_q15);
        let rows: Vec<Vec<String>> = runs
            .iter()
            .map(|(seed, run)| {
                vec![
                    seed.map_or("none".into(), |s| format!("{} (seed {s})", run.failures_after.len())),
                    if matches(run) { "MATCH".into() } else { format!("MISMATCH {:?}", run.output_q15) },
                    format!("{} (set {}x)", done_marker(run.done), run.done_writes),
                    run.mclk.map_or("?".into(), thousands),
                ]
            })
            .collect();
        print!("{}", render(&["power failures", "output", "ACEC_DONE", "MCLK cycles"], &rows));
    }
    if all_match { Ok(()) } else { Err(Error::FirmwareMismatch) }
}

/// `ACEC_DONE` for a person: the value, and what it means when it is not 1.
fn done_marker(done: u16) -> String {
    match done {
        1 => "1".into(),
        0 => "0 (never finished)".into(),
        0xEEEE => "0xEEEE (a kernel returned an error; on a DSPLib build, DSPLib refused a call)".into(),
        0xDEAD => "0xDEAD (panic)".into(),
        other => format!("{other:#06x} (unknown)"),
    }
}

pub fn run(args: &CompileArgs, data: &Path, index: usize, json: bool) -> Result<(), Error> {
    let compiled = pipeline::compile(&args.request()?)?;
    notes(&compiled, args);
    let samples = dataset::load(data, compiled.graph.input_shape.dims())?;
    let program = &compiled.program;
    let q =
        verify::run_compiled(program, samples.sample_at(index, data)?).map_err(|e| Error::Internal(e.to_string()))?;
    let output = verify::dequantize_output(program, &q);
    let argmax = verify::argmax(&output);
    if json {
        let value = serde_json::json!({
            "index": index,
            "output_q15": q,
            "output_frac_bits": program.output_frac,
            "output": output,
            "argmax": argmax,
        });
        println!("{}", json_text(&value)?);
        return Ok(());
    }
    let rows: Vec<Vec<String>> = q
        .iter()
        .zip(&output)
        .enumerate()
        .map(|(i, (r, f))| vec![i.to_string(), r.to_string(), format!("{f:.5}")])
        .collect();
    print!("{}", render(&["output", &format!("raw (Q{})", program.output_frac), "value"], &rows));
    println!("argmax: {argmax}");
    Ok(())
}

pub fn targets() -> Result<(), Error> {
    let mut rows = Vec::new();
    for name in crate::target::names() {
        let t = crate::target::load(name)?;
        let region = |r: &str| t.region(r).map_or("-".into(), |r| format!("{} B", thousands(r.size)));
        let sources: Vec<&str> = t.costs.values().map(|c| c.source.as_str()).collect();
        let measured = sources.iter().filter(|s| s.starts_with("measured")).count();
        let model = if t.costs.is_empty() {
            "no device model".to_string()
        } else {
            format!("{} kernels ({measured} measured, {} cited or estimated)", t.costs.len(), t.costs.len() - measured)
        };
        rows.push(vec![
            t.name.clone(),
            t.device.clone(),
            t.clock_hz.map_or("-".into(), |hz| format!("{} MHz", hz / 1_000_000)),
            region("fram_lower"),
            region("fram_upper"),
            region("sram"),
            if t.has_lea { region("lea_ram") } else { "-".into() },
            model,
        ]);
    }
    print!(
        "{}",
        render(&["target", "device", "clock", "FRAM (16-bit)", "FRAM (upper)", "SRAM", "LEA RAM", "cost model"], &rows)
    );
    println!("\nEvery coefficient's source is in targets/<name>/target.json.");
    Ok(())
}

pub fn sim(args: &crate::cli::SimArgs) -> Result<(), Error> {
    use crate::flex::budget::{parse_capacitance, parse_power};
    use crate::flex::sim::{Failure, PowerSource};
    use crate::flex::{EnergyBuffer, FlexError, check_hazards, partition};

    let bad = |detail: String| Error::Flex(FlexError::BadArgument(detail));
    let target = crate::target::load(&args.compile.target)?;
    let own = target.energy_buffer.clone().ok_or_else(|| {
        bad(format!("target '{}' has no energy model; simulate on msp430-lea or msp430", target.name))
    })?;
    let defaults = match args.buffer.as_str() {
        "default" => own,
        name => target.energy_buffer_presets.get(name).cloned().ok_or_else(|| {
            let names: Vec<&str> =
                std::iter::once("default").chain(target.energy_buffer_presets.keys().map(String::as_str)).collect();
            bad(format!("--buffer '{name}': target '{}' has the buffers {}", target.name, names.join(", ")))
        })?,
    };
    let capacitor_uf = match &args.capacitor {
        Some(text) => {
            parse_capacitance(text).ok_or_else(|| bad(format!("--capacitor '{text}': expected e.g. 47uF")))?
        }
        None => defaults.capacitor_uf,
    };
    let buffer = EnergyBuffer {
        capacitor_uf,
        v_on: args.v_on.unwrap_or(defaults.v_on),
        v_off: args.v_off.unwrap_or(defaults.v_off),
        ..EnergyBuffer::from(&defaults)
    };
    if buffer.v_on <= buffer.v_off {
        return Err(bad(format!("--v-on {} must be above --v-off {}", buffer.v_on, buffer.v_off)));
    }
    // Compiled for this buffer: every work unit must fit one of its charges.
    let compiled = pipeline::compile(&Request { energy_buffer: Some(buffer), ..args.compile.request()? })?;
    notes(&compiled, &args.compile);
    let target = &compiled.target;
    let program = &compiled.program;
    let plan = partition(program, target, &compiled.cost_model, buffer.usable_pj()).map_err(Error::Flex)?;
    check_hazards(program, &plan.tasks).map_err(Error::Flex)?;

    let input: Vec<i16> = match &args.data {
        Some(path) => {
            let samples = dataset::load(path, compiled.graph.input_shape.dims())?;
            if args.index >= samples.len() {
                return Err(bad(format!(
                    "--index {} is out of range: {} holds {} samples",
                    args.index,
                    path.display(),
                    samples.len()
                )));
            }
            verify::quantize_input(program, samples.sample(args.index))
        }
        None => pseudo_random_input(program.input_len, args.seed),
    };
    let mut machine = crate::ace::exec::Machine::new(program);
    let expected = machine.infer(&mut acec_runtime::SoftBackend, &input).map_err(|e| Error::Internal(e.to_string()))?;
    let continuous: u64 = compiled.costs.iter().map(|c| c.cycles).sum();

    let failure = if let Some(text) = &args.power {
        let uw = parse_power(text).ok_or_else(|| bad(format!("--power '{text}': expected e.g. 300uW")))?;
        Some(Failure::Energy { buffer, power: PowerSource::Constant(uw) })
    } else if let Some(path) = &args.trace {
        Some(Failure::Energy { buffer, power: PowerSource::Trace(read_trace(path)?) })
    } else if args.exhaustive {
        None
    } else {
        let (calls, _) = crate::flex::sim::calls_per_inference(program, &plan, target, &input)
            .map_err(|e| Error::Internal(e.to_string()))?;
        Some(Failure::Calls(random_points(calls, args.failures, args.seed)))
    };
    let stride = args.exhaustive.then_some(args.stride);
    let bar = progress::bar(0, "runs", "simulating");
    let report = crate::flex::report::run(
        program,
        &plan,
        target,
        &input,
        &expected,
        failure,
        stride,
        args.seed,
        continuous,
        |done, total| {
            bar.set_length(total);
            bar.set_position(done);
        },
    )
    .map_err(|e| Error::Internal(format!("simulation: {e}")))?;
    bar.finish_and_clear();
    if args.json {
        println!("{}", json_text(&report)?);
    } else {
        let yes = |b: bool| if b { "yes" } else { "NO" }.to_string();
        let rows = vec![
            vec!["mode".into(), report.mode.clone()],
            vec!["runs".into(), report.runs.to_string()],
            vec!["completed".into(), yes(report.completed)],
            vec!["bit-identical to a continuous run".into(), yes(report.bit_identical)],
            vec!["reboots (worst run)".into(), report.reboots.to_string()],
            vec!["failures injected".into(), report.failures_injected.to_string()],
            vec!["time to inference".into(), format!("{:.3} s", report.time_to_inference_s)],
            vec!["tasks (energy per charge)".into(), format!("{} ({:.1} uJ)", report.tasks, report.budget_uj)],
            vec!["re-executed cycles (worst run)".into(), thousands(report.reexecuted_cycles)],
            vec![
                "checkpoint overhead".into(),
                format!(
                    "{} cycles, {:.3} uJ, {} NV bytes = {:.2}% of {} continuous cycles",
                    thousands(report.checkpoint_cycles),
                    report.checkpoint_energy_uj,
                    report.checkpoint_nv_bytes,
                    report.checkpoint_overhead_pct,
                    thousands(report.continuous_cycles)
                ),
            ],
        ];
        print!("{}", render(&["", &format!("{} on {}", args.compile.model.display(), target.name)], &rows));
    }
    if report.completed && report.bit_identical { Ok(()) } else { Err(Error::SimulationFailed) }
}

/// A deterministic input with values spread over half of the Q15 range.
fn pseudo_random_input(len: usize, seed: u64) -> Vec<i16> {
    let mut rng = crate::xorshift::XorShift::new(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    (0..len).map(|_| (rng.next_u64() >> 48) as i16 / 2).collect()
}

/// `count` failure points, sorted, drawn from `0..calls`.
fn random_points(calls: u64, count: u64, seed: u64) -> Vec<u64> {
    let mut rng = crate::xorshift::XorShift::new(seed.wrapping_add(0x5DEE_CE66));
    let mut points: Vec<u64> = (0..count).map(|_| rng.next_u64() % calls.max(1)).collect();
    points.sort_unstable();
    points
}

fn read_trace(path: &Path) -> Result<Vec<(f64, f64)>, Error> {
    let bad = |detail: String| {
        Error::Flex(crate::flex::FlexError::BadArgument(format!("--trace {}: {detail}", path.display())))
    };
    let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
    let mut steps = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.chars().next().is_some_and(|c| c.is_alphabetic()) {
            continue;
        }
        let (t, p) = line.split_once(',').ok_or_else(|| bad(format!("line {}: expected time_s,microwatts", i + 1)))?;
        let parse = |v: &str| v.trim().parse::<f64>().ok().filter(|x| x.is_finite() && *x >= 0.0);
        match (parse(t), parse(p)) {
            (Some(t), Some(p)) => steps.push((t, p)),
            _ => return Err(bad(format!("line {}: '{line}' is not two non-negative numbers", i + 1))),
        }
    }
    if steps.is_empty() || steps.iter().all(|(_, p)| *p == 0.0) {
        return Err(bad("the trace has no power".into()));
    }
    Ok(steps)
}

pub fn report(args: &CompileArgs, json: bool, output: Option<PathBuf>) -> Result<(), Error> {
    let comparison = crate::report::compare::compare(&args.request()?)?;
    let markdown = crate::report::compare::render_markdown(&comparison);
    let json_doc = json_text(&comparison)?;
    if let Some(dir) = output {
        std::fs::create_dir_all(&dir).map_err(|e| Error::Output { path: dir.clone(), detail: e.to_string() })?;
        let mut files = vec![
            ("report.md", markdown.clone()),
            ("report.json", json_doc.clone() + "\n"),
            ("cycles.svg", crate::report::svg::cycles_per_layer(&comparison)),
        ];
        if let Some(flex) = &comparison.flex {
            files.push(("tasks.svg", crate::report::svg::task_energy(&comparison.model, flex)));
        }
        for (name, text) in &files {
            std::fs::write(dir.join(name), text)
                .map_err(|e| Error::Output { path: dir.join(name), detail: e.to_string() })?;
        }
    }
    if json {
        println!("{json_doc}");
    } else {
        print!("{markdown}");
    }
    Ok(())
}

/// `acec compress`: trains, writes OUT.onnx and its reports, and prints one summary line. Ctrl-C stops it
/// before anything is written (exit code 130).
pub fn compress(args: &crate::cli::CompressArgs) -> Result<(), Error> {
    let request = args.request()?;
    crate::compress::interrupt::install();
    eprintln!(
        "note: nothing is written until training ends ({} and its reports, all at once); Ctrl-C stops the run \
         cleanly",
        args.output.display()
    );
    let report = crate::compress::run(&request)?;
    let t = &report.totals;
    println!(
        "wrote {} ({}): parameters {} -> {} ({:.2}x; dense layers {:.2}x), {} {} -> {} ({}) on {} samples, {:.0} s; \
         report in {}",
        args.output.display(),
        report.choice.chosen,
        thousands(t.params_before),
        thousands(t.params_after),
        t.compression,
        t.dense_compression,
        report.score_before.metric(),
        report.score_before.text(),
        report.score_after.text(),
        report.loss_text,
        report.eval_samples,
        report.seconds,
        crate::compress::output::report_path(&args.output, "md").display()
    );
    if !report.score_after.within(&report.score_before, &request.budget) {
        eprintln!("{}", advice::over_budget(&report, &request.budget));
    }
    Ok(())
}
