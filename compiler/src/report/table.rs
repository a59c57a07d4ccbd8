//! Plain-text tables with aligned columns, and the number phrases shared by terminal output and reports.

/// Renders rows under a header; columns whose cells all look numeric (or are `n/a`, a number acec could not
/// compute) are right-aligned, header included.
pub fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    let is_number = |cell: &str| {
        cell == "n/a" || !cell.is_empty() && cell.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.')
    };
    let numeric: Vec<bool> = (0..header.len())
        .map(|col| rows.iter().filter_map(|row| row.get(col)).all(|cell| cell.is_empty() || is_number(cell)))
        .collect();
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| -> String {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths.iter().zip(&numeric))
            .map(|(cell, (&w, &right))| if right { format!("{cell:>w$}") } else { format!("{cell:<w$}") })
            .collect();
        padded.join("  ").trim_end().to_string()
    };
    let mut out = vec![line(header.to_vec())];
    out.push(widths.iter().map(|&w| "-".repeat(w)).collect::<Vec<_>>().join("  "));
    out.extend(rows.iter().map(|row| line(row.iter().map(String::as_str).collect())));
    out.join("\n") + "\n"
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// How storage went from `before` to `after` values, said in the direction it went: `12.00x smaller`, `1.72x
/// larger` (FFT kernel spectra can outgrow the kernels they replace) or `the same size`.
pub fn size_change(before: usize, after: usize) -> String {
    let ratio = |a: usize, b: usize| a as f64 / b.max(1) as f64;
    match after.cmp(&before) {
        std::cmp::Ordering::Less => format!("{:.2}x smaller", ratio(before, after)),
        std::cmp::Ordering::Greater => format!("{:.2}x larger", ratio(after, before)),
        std::cmp::Ordering::Equal => "the same size".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_changes_are_said_in_their_direction() {
        assert_eq!(size_change(70_934, 5_910), "12.00x smaller");
        assert_eq!(size_change(100, 172), "1.72x larger");
        assert_eq!(size_change(45_066, 45_066), "the same size");
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(100), "100");
    }

    #[test]
    fn aligns_columns() {
        let text = render(&["name", "n"], &[vec!["a".into(), "1,000".into()], vec!["bb".into(), "7".into()]]);
        assert_eq!(text, "name      n\n----  -----\na     1,000\nbb        7\n");
    }
}
