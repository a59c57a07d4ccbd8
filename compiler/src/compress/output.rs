//! Writes the compressed model and its two reports all or nothing: each goes to a temporary file beside its
//! destination, and only when all three are complete are they renamed into place (a rename within one
//! directory is atomic). Training happens before any of this, so an error or Ctrl-C while training leaves
//! no file at all.

use std::path::{Path, PathBuf};

use super::report::Report;
use crate::error::Error;

/// `OUT.onnx` -> `OUT.report.md` (and `.json`).
pub fn report_path(model: &Path, extension: &str) -> PathBuf {
    model.with_extension(format!("report.{extension}"))
}

pub fn write(model: &Path, bytes: &[u8], report: &Report) -> Result<(), Error> {
    let json = serde_json::to_string_pretty(report).map_err(|e| Error::Internal(e.to_string()))? + "\n";
    let markdown = report.markdown();
    let files: [(PathBuf, &[u8]); 3] = [
        (report_path(model, "md"), markdown.as_bytes()),
        (report_path(model, "json"), json.as_bytes()),
        (model.to_path_buf(), bytes),
    ];
    let mut temps = Vec::new();
    let result = (|| {
        for (path, content) in &files {
            let temp = temp_path(path);
            temps.push(temp.clone());
            std::fs::write(&temp, content).map_err(|e| Error::Output { path: path.clone(), detail: e.to_string() })?;
        }
        for ((path, _), temp) in files.iter().zip(&temps) {
            std::fs::rename(temp, path).map_err(|e| Error::Output { path: path.clone(), detail: e.to_string() })?;
        }
        Ok(())
    })();
    if result.is_err() {
        for temp in &temps {
            let _ = std::fs::remove_file(temp);
        }
    }
    result
}

fn temp_path(path: &Path) -> PathBuf {
    let name = path.file_name().map_or("out".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.acec-tmp-{}", std::process::id()))
}
