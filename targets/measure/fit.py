#!/usr/bin/env python3
"""`fit.py --count CASES_RS` prints the number of cases. `fit.py CASES_RS < mspdebug-output`: read mspdebug output (one `simio info t` per mark) on stdin, pair the marks around each case of
src/cases.rs, and least-squares fit cycles = a + b*N (+ c*N*log2 N for FFTs) per kernel, with N as
acec_runtime::Kernel::charged_n defines it. Prints a table and the `costs` JSON fragment."""
import json
import math
import re
import sys

FFT = {"rfft", "irfft", "cfft", "cifft"}
NAMES = {
    "RFFT": "rfft", "IRFFT": "irfft", "CFFT": "cfft", "CIFFT": "cifft", "CMPLX_MPY": "cmplx_mpy",
    "CMPLX_MAC": "cmplx_mac", "MAC": "mac", "FIR": "fir", "ADD": "add", "SHIFT": "shift", "SCALE": "scale",
    "OFFSET": "offset", "FILL": "fill", "MAX": "max", "RELU": "relu", "MAX_POOL": "max_pool",
    "AVG_POOL": "avg_pool", "REQUANTIZE": "requantize", "ARGMAX": "argmax", "COPY": "copy",
    "TO_COMPLEX": "to_complex", "REAL_PART": "real_part", "SOFTMAX": "softmax",
    "LOOKUP": "lookup",
    "PERMUTE": "permute",
}


def cases(path):
    text = open(path).read()
    body = text[text.index("pub static CASES"):]
    out = []
    for m in re.finditer(r"case\((\w+), (\d+)\)|Case \{ kernel: (\w+), n: (\d+), taps: (\d+), window: (\d+) \}", body):
        if m.group(1):
            out.append((NAMES[m.group(1)], int(m.group(2)), 0, 0))
        else:
            out.append((NAMES[m.group(3)], int(m.group(4)), int(m.group(5)), int(m.group(6))))
    return out


def charged_n(kernel, n, taps, window):
    if kernel == "fir":
        return n * taps
    if kernel in ("max_pool", "avg_pool"):
        channels = n // (taps * taps)
        out = (taps - window) // window + 1
        return channels * out * out * window * window
    return n


def solve(rows, ys):
    """Least squares via normal equations (tiny systems)."""
    k = len(rows[0])
    ata = [[sum(r[i] * r[j] for r in rows) for j in range(k)] for i in range(k)]
    aty = [sum(r[i] * y for r, y in zip(rows, ys)) for i in range(k)]
    for col in range(k):
        pivot = max(range(col, k), key=lambda r: abs(ata[r][col]))
        ata[col], ata[pivot] = ata[pivot], ata[col]
        aty[col], aty[pivot] = aty[pivot], aty[col]
        for r in range(k):
            if r != col:
                f = ata[r][col] / ata[col][col]
                ata[r] = [x - f * y for x, y in zip(ata[r], ata[col])]
                aty[r] -= f * aty[col]
    return [aty[i] / ata[i][i] for i in range(k)]


def main():
    if sys.argv[1] == "--count":
        print(len(cases(sys.argv[2])))
        return
    mclk = [int(v) for v in re.findall(r"^MCLK:\s+(\d+)", sys.stdin.read(), re.M)]
    all_cases = cases(sys.argv[1])
    if len(mclk) < 2 * len(all_cases):
        sys.exit(f"expected {2 * len(all_cases)} marks, got {len(mclk)}")
    samples = {}
    for i, (kernel, n, taps, window) in enumerate(all_cases):
        cycles = mclk[2 * i + 1] - mclk[2 * i]
        samples.setdefault(kernel, []).append((charged_n(kernel, n, taps, window), cycles))
    costs = {}
    for kernel, points in samples.items():
        ns = [p[0] for p in points]
        ys = [p[1] for p in points]
        # Non-negative fit: a term whose coefficient comes out negative is dropped and the rest refitted
        # (a negative coefficient would make small calls cost less than nothing).
        terms = ["a", "b", "c"] if kernel in FFT else ["a", "b"]
        basis = {"a": lambda n: 1.0, "b": lambda n: float(n), "c": lambda n: n * math.log2(n)}
        while True:
            fit = dict(zip(terms, solve([[basis[t](n) for t in terms] for n in ns], ys)))
            negative = [t for t in terms if fit[t] < 0]
            if not negative or len(terms) == 1:
                break
            terms.remove(min(negative, key=lambda t: fit[t]))
        a, b, c = fit.get("a", 0.0), fit.get("b", 0.0), fit.get("c", 0.0)
        worst = max(abs(a + b * n + c * n * math.log2(n) - y) / y for n, y in zip(ns, ys))
        costs[kernel] = {"a": round(a, 1), "b": round(b, 2), "c": round(c, 2)}
        print(f"{kernel:11} a={a:10.1f} b={b:9.2f} c={c:8.2f}  max fit error {100 * worst:5.2f}%  "
              + "  ".join(f"N={n}:{y}" for n, y in points))
    print(json.dumps(costs))


main()
