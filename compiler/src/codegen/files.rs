//! Writing an output directory atomically: everything goes to a temporary sibling first, which replaces the
//! destination only once complete, so an error or Ctrl-C never leaves half a crate.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// A file of the output, by path relative to the output directory.
#[derive(Clone, Debug, PartialEq)]
pub struct GeneratedFile {
    pub path: String,
    pub contents: String,
}

impl GeneratedFile {
    pub fn new(path: &str, contents: String) -> Self {
        GeneratedFile { path: path.into(), contents }
    }
}

/// Marks a directory as acec's output, so a rebuild may replace it (and nothing else is ever replaced).
const MARKER: &str = ".acec-output";

/// Writes `files` under `dir`, replacing a previous acec output there. Refuses to replace a directory
/// that acec did not write.
pub fn write_atomically(dir: &Path, files: &[GeneratedFile]) -> io::Result<()> {
    if dir.exists() && !dir.join(MARKER).exists() {
        return Err(io::Error::new(
            io::ErrorKind::AlreadyExists,
            format!("'{}' exists and is not an acec output directory; choose another -o", dir.display()),
        ));
    }
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let name = dir.file_name().map_or("out".into(), |n| n.to_string_lossy().into_owned());
    let staging = parent.join(format!(".{name}.acec-tmp-{}", std::process::id()));
    let result = write_all(&staging, files).and_then(|()| replace(dir, &staging, parent, &name));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn write_all(staging: &Path, files: &[GeneratedFile]) -> io::Result<()> {
    if staging.exists() {
        fs::remove_dir_all(staging)?;
    }
    fs::create_dir_all(staging)?;
    fs::write(staging.join(MARKER), "written by acec build; safe to delete\n")?;
    for file in files {
        let path = staging.join(&file.path);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        fs::write(path, &file.contents)?;
    }
    Ok(())
}

/// Moves the old output aside, the new one in, then deletes the old one.
fn replace(dir: &Path, staging: &Path, parent: &Path, name: &str) -> io::Result<()> {
    let old: Option<PathBuf> = if dir.exists() {
        let old = parent.join(format!(".{name}.acec-old-{}", std::process::id()));
        fs::rename(dir, &old)?;
        Some(old)
    } else {
        None
    };
    fs::rename(staging, dir)?;
    if let Some(old) = old {
        fs::remove_dir_all(old)?;
    }
    Ok(())
}
