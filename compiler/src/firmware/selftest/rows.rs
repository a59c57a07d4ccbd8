//! Reading the self-test's results back: the rows the firmware wrote to FRAM (`SELFTEST_ROWS`, one
//! `#[repr(C)]` row of four little-endian u16 per kernel: cases, errors, max |device - host| in LSB, worst
//! case; see the harness's `main.rs`) and `SELFTEST_DONE`, from an mspdebug memory dump; then the verdict.

use serde::Serialize;

use super::listing::Listing;
use crate::firmware::sim::Dump;
use crate::report::table::render;

/// Bytes per row.
pub const ROW_BYTES: u64 = 8;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KernelResult {
    pub kernel: String,
    pub cases: u16,
    /// Cases `selftest.json` lists for the kernel (a run that stopped early ran fewer).
    pub listed: usize,
    pub errors: u16,
    pub max_lsb: u16,
    pub worst: u16,
    /// The worst case as `selftest.json` describes it.
    pub worst_case: String,
}

impl KernelResult {
    pub fn passed(&self) -> bool {
        usize::from(self.cases) == self.listed && self.errors == 0 && self.max_lsb == 0
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SelftestReport {
    /// `SELFTEST_DONE`: 1 when every case ran, 0xDEAD on a panic, 0 if it never finished.
    pub done: u16,
    pub kernels: Vec<KernelResult>,
    pub passed: bool,
}

/// The results in `dump` for the kernels `listing` tests, rows at `rows` and the marker at `done`.
pub fn read(dump: &Dump, rows: u64, done: u64, listing: &Listing) -> Result<SelftestReport, String> {
    let done = dump.word(done).ok_or("SELFTEST_DONE was not in mspdebug's memory dump")?;
    let mut kernels = Vec::new();
    for (k, kernel) in listing.rows.iter().enumerate() {
        let listed = listing.count(kernel);
        if listed == 0 {
            continue;
        }
        let at = rows + ROW_BYTES * k as u64;
        let field = |i: u64| dump.word(at + 2 * i).ok_or(format!("the row of {kernel} was not in the dump"));
        let (cases, errors, max_lsb, worst) = (field(0)?, field(1)?, field(2)?, field(3)?);
        let worst_case = listing
            .cases
            .get(usize::from(worst))
            .filter(|c| c.kernel == *kernel && cases > 0)
            .map_or_else(|| "-".into(), |c| format!("#{}: {}", c.index, c.what));
        kernels.push(KernelResult { kernel: kernel.clone(), cases, listed, errors, max_lsb, worst, worst_case });
    }
    let passed = done == 1 && kernels.iter().all(KernelResult::passed);
    Ok(SelftestReport { done, kernels, passed })
}

/// The table and the verdict line.
pub fn render_report(report: &SelftestReport) -> String {
    let rows: Vec<Vec<String>> = report
        .kernels
        .iter()
        .map(|k| {
            vec![
                k.kernel.clone(),
                format!("{}/{}", k.cases, k.listed),
                k.errors.to_string(),
                k.max_lsb.to_string(),
                if k.max_lsb > 0 || k.errors > 0 { k.worst_case.clone() } else { "-".into() },
                if k.passed() { "ok".into() } else { "DIFFERS".into() },
            ]
        })
        .collect();
    let table = render(&["kernel", "cases", "errors", "max LSB", "worst case", ""], &rows);
    let cases: usize = report.kernels.iter().map(|k| usize::from(k.cases)).sum();
    let verdict = if report.passed {
        format!(
            "PASS: {} kernels, {cases} cases, every output equal to the host's (0 LSB), no errors",
            report.kernels.len()
        )
    } else if report.done != 1 {
        format!(
            "FAIL: the self-test did not finish (SELFTEST_DONE = {:#x}: {})",
            report.done,
            if report.done == 0xDEAD { "a panic" } else { "still running or never started" }
        )
    } else {
        let failed: Vec<String> = report
            .kernels
            .iter()
            .filter(|k| !k.passed())
            .map(|k| format!("{} ({} LSB, {} errors, {}/{} cases)", k.kernel, k.max_lsb, k.errors, k.cases, k.listed))
            .collect();
        format!("FAIL: the device differs from the host in {}", failed.join(", "))
    };
    format!("{table}{verdict}\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::firmware::selftest::listing::Listed;

    fn listing() -> Listing {
        let listed = |index: usize, kernel: &str| Listed {
            index,
            kernel: kernel.into(),
            what: format!("{kernel} case {index}"),
            args: vec![],
            inputs: vec![],
            output_words: 2,
            output_at: Some(0),
        };
        Listing {
            target: "msp430-lea".into(),
            rows: acec_runtime::Kernel::ALL.iter().map(|k| k.name().to_string()).collect(),
            arena_words: 1024,
            data_words: 0,
            cases: vec![listed(0, "rfft"), listed(1, "rfft"), listed(2, "irfft")],
        }
    }

    /// An mspdebug log showing rows 0 (rfft) and 1 (irfft) at 0x5000 and the marker at 0x5100.
    fn log(rfft: [u16; 4], done: u16) -> String {
        let bytes: Vec<String> =
            rfft.iter().chain(&[1, 0, 0, 2]).flat_map(|w| w.to_le_bytes()).map(|b| format!("{b:02x}")).collect();
        let [d0, d1] = done.to_le_bytes();
        format!("    05000: {} |................|\n    05100: {d0:02x} {d1:02x} |..|\n", bytes.join(" "))
    }

    #[test]
    fn a_clean_run_passes() {
        let report = read(&Dump::parse(&log([2, 0, 0, 0], 1)), 0x5000, 0x5100, &listing()).unwrap();
        assert!(report.passed, "{report:?}");
        assert!(render_report(&report).contains("PASS: 2 kernels, 3 cases"));
    }

    #[test]
    fn a_three_lsb_row_fails_and_names_the_kernel_and_its_worst_case() {
        let report = read(&Dump::parse(&log([2, 0, 3, 1], 1)), 0x5000, 0x5100, &listing()).unwrap();
        assert!(!report.passed);
        let text = render_report(&report);
        assert!(text.contains("FAIL: the device differs from the host in rfft (3 LSB"), "{text}");
        assert!(text.contains("#1: rfft case 1"), "{text}");
        assert!(!text.contains("irfft ("), "irfft passed: {text}");
    }

    #[test]
    fn errors_missing_cases_and_an_unfinished_run_fail() {
        for (row, done) in [([2, 1, 0, 0], 1), ([1, 0, 0, 0], 1), ([2, 0, 0, 0], 0xDEAD)] {
            let report = read(&Dump::parse(&log(row, done)), 0x5000, 0x5100, &listing()).unwrap();
            assert!(!report.passed, "{row:?} {done:#x}");
        }
        let unfinished = read(&Dump::parse(&log([2, 0, 0, 0], 0xDEAD)), 0x5000, 0x5100, &listing()).unwrap();
        assert!(render_report(&unfinished).contains("a panic"));
        assert!(read(&Dump::parse(""), 0x5000, 0x5100, &listing()).is_err());
    }
}
