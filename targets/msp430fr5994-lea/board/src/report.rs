//! The text the board sends when an inference is done: the class (the first largest logit, as `acec run`
//! picks it), the logits as the Q15 integers `acec run --json` prints (`output_q15`), and the timer's
//! cycle count.
//!
//! ```text
//! class 5
//! logits -4393 -11025 -4523 -5953 -5068 1158 -4110 2450 582 4556
//! cycles 912384
//! ```
//! (`cycles >4294967295` past 32 bits, 268 s; `error kernel` when a kernel failed.)

use crate::uart::Uart;

pub fn result(out: &mut Uart, logits: &[i16], cycles: Option<u32>) {
    let class = logits.iter().enumerate().fold(0, |best, (i, &v)| if v > logits[best] { i } else { best });
    out.text("class ");
    decimal(out, class as u32);
    out.text("\nlogits");
    for &logit in logits {
        out.text(if logit < 0 { " -" } else { " " });
        decimal(out, u32::from(logit.unsigned_abs()));
    }
    out.text("\ncycles ");
    match cycles {
        Some(cycles) => decimal(out, cycles),
        None => {
            out.text(">");
            decimal(out, u32::MAX);
        }
    }
    out.text("\n");
}

/// `n` in decimal, without `core::fmt` (its machinery costs kilobytes of FRAM).
fn decimal(out: &mut Uart, mut n: u32) {
    let mut digits = [0u8; 10];
    let mut len = 0;
    loop {
        let quotient = n / 10;
        digits[len] = b'0' + (n - quotient * 10) as u8;
        len += 1;
        n = quotient;
        if n == 0 {
            break;
        }
    }
    digits[..len].iter().rev().for_each(|&d| out.byte(d));
}
