//! `docs/tutorial.md` as a user follows it: every `acec` command in its shell blocks runs, exactly as written,
//! in order, in a directory holding what its Python step makes (the repository's `fixtures/digits-mlp` model
//! and data, made by the same recipe), and each must succeed and say what the tutorial says it says. The
//! Python step and the board steps (`mspdebug tilib`, a serial terminal) are not run: CI has neither PyTorch
//! nor a board. The firmware commands need mspdebug and rust-src, as the firmware tests do.

mod support;

use std::process::Command;

use support::firmware::tools_present;
use support::{repo_root, temp_dir};

/// The commands of the tutorial's ```sh blocks, continuation lines joined, comments dropped.
fn shell_commands(markdown: &str) -> Vec<String> {
    let (mut commands, mut in_shell, mut pending) = (Vec::new(), false, String::new());
    for line in markdown.lines() {
        match (line.trim_start().starts_with("```"), in_shell) {
            (true, false) => in_shell = line.trim() == "```sh",
            (true, true) => in_shell = false,
            (false, true) if !line.trim_start().starts_with('#') => {
                pending.push_str(line.trim().trim_end_matches('\\').trim_end());
                pending.push(' ');
                if !line.trim_end().ends_with('\\') {
                    commands.push(pending.trim().to_string());
                    pending.clear();
                }
            }
            _ => {}
        }
    }
    commands
}

/// The words of a command line (the tutorial's `acec` commands quote nothing).
fn words(command: &str) -> Vec<&str> {
    command.split_whitespace().collect()
}

#[test]
fn every_acec_command_of_the_tutorial_runs_as_written() {
    let markdown = std::fs::read_to_string(repo_root().join("docs/tutorial.md")).unwrap();
    let commands: Vec<String> = shell_commands(&markdown).into_iter().filter(|c| c.starts_with("acec ")).collect();
    assert!(commands.len() >= 10, "the tutorial's acec commands: {commands:?}");
    let dir = temp_dir("tutorial");
    for (from, to) in [
        ("fixtures/digits-mlp/model.onnx", "model.onnx"),
        ("fixtures/data/digits-train.npz", "digits-train.npz"),
        ("fixtures/data/digits-test.npz", "digits-test.npz"),
    ] {
        std::fs::copy(repo_root().join(from), dir.join(to)).unwrap();
    }
    let firmware_tools = tools_present();
    for command in &commands {
        let args = &words(command)[1..];
        if args.iter().any(|a| *a == "--firmware" || *a == "run-firmware") && !firmware_tools {
            continue;
        }
        let output = Command::new(env!("CARGO_BIN_EXE_acec")).current_dir(&dir).args(args).output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "`{command}` failed:\n{stdout}\n{}", String::from_utf8_lossy(&output.stderr));
        // What the tutorial promises the output says.
        match args[0] {
            "sim" => {
                let row = stdout.lines().find(|l| l.contains("bit-identical to a continuous run")).unwrap_or("");
                assert!(row.trim_end().ends_with("yes"), "`{command}`:\n{stdout}");
            }
            "run-firmware" => assert_eq!(stdout.matches("MATCH").count(), 4, "`{command}`:\n{stdout}"),
            "report" => {
                for file in ["report.md", "cycles.svg", "tasks.svg"] {
                    assert!(dir.join("digits-rad-report").join(file).exists(), "{file}");
                }
                let report = std::fs::read_to_string(dir.join("digits-rad-report/report.md")).unwrap();
                assert!(report.contains("Sensitivity"), "the report's sensitivity table");
            }
            "compress" => assert!(dir.join("digits-rad.report.md").exists()),
            _ => {}
        }
    }
}

#[test]
fn the_tutorial_parser_joins_continuations_and_skips_other_blocks() {
    let markdown = "text\n```sh\n# a comment\nacec build a.onnx \\\n    --target t\nmspdebug x\n```\n\
                    ```python\nacec not this\n```\n";
    assert_eq!(shell_commands(markdown), ["acec build a.onnx --target t", "mspdebug x"]);
}
