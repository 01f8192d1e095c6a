"""Forward + backward of one LSTM layer, timed side by side, in float32 and float64.

Usage: python benchmarks/bench_lstm.py [--quick] [--out DIR] [--size N T D H] [--sweep-T T ...] [--sweep-H H ...]

Times, at the benchmark size N=32, T=100, D=64, H=128 and along a sweep of T and of H:
- the course's NumPy LSTM (``course_rnn.numpy.lstm``, hand-written backward),
- the course's from-scratch torch LSTM (``course_rnn.torch.LSTM``, autograd) and ``torch.nn.LSTM``, on the CPU;
  in float32 also ``torch.nn.LSTM`` with oneDNN off: PyTorch runs a float32 LSTM on the CPU as one fused
  oneDNN kernel, and this row shows how much of its lead that kernel is;
- with CUDA: the from-scratch LSTM on the GPU, plain and compiled (``torch.compile``, at the benchmark
  size only: compiling unrolls the T-step loop, minutes per size), and ``torch.nn.LSTM`` (cuDNN).
Each implementation is timed in a block of repeats after a warm-up (``course_rnn.bench.time_repeats``);
the table gives the median. FLOP rates use ``course_rnn.bench.lstm_flops`` and are compared with
this machine's (2048, 2048) matrix-product rate (1024 with ``--quick``), measured in the same run.

Writes DIR/bench_lstm.csv (every row, full precision) and DIR/bench_lstm.md (machine, summary, tables);
DIR defaults to _build/bench. Exit status 1 when a target at the benchmark size is missed: NumPy LSTM /
torch.nn.LSTM <= 1.0 on the CPU (float32 and float64), compiled / cuDNN <= 1.5 on a GPU. ``--quick`` is a
smoke test (small sweep, 3 repeats) and checks no target.
"""
import argparse
import os
import statistics
import sys
import warnings
from pathlib import Path

import numpy as np
import torch

from course_rnn import bench
from course_rnn import torch as ct

NUMPY, SCRATCH, COMPILED = "NumPy LSTM (course)", "torch LSTM (course)", "torch LSTM (course), compiled"
TORCH_NN, NO_ONEDNN = "torch.nn.LSTM", "torch.nn.LSTM, oneDNN off"
# (device, ours, reference): the target for the ratio of their median times, or None (reported only)
RATIOS = {("cpu", NUMPY, TORCH_NN): 1.0, ("cpu", NUMPY, NO_ONEDNN): None, ("cuda", COMPILED, TORCH_NN): 1.5,
          ("cuda", SCRATCH, TORCH_NN): None}


def without_onednn(run):
    """``run`` with PyTorch's oneDNN (mkldnn) kernels switched off, as ATen runs it op by op."""
    def run_without():
        with torch.backends.mkldnn.flags(enabled=False):
            return run()
    return run_without


def implementations(N, T, D, H, dtype, main_size):
    """{(name, device): run} for one size and dtype; GPU ones only where CUDA is."""
    runs = {(NUMPY, "cpu"): bench.numpy_lstm_run(N, T, D, H, dtype),
            (SCRATCH, "cpu"): bench.torch_lstm_run(ct.LSTM(D, H), N, T, D, H, dtype, "cpu"),
            (TORCH_NN, "cpu"): bench.torch_lstm_run(torch.nn.LSTM(D, H, batch_first=True), N, T, D, H, dtype, "cpu")}
    if dtype == "float32":  # oneDNN's fused LSTM is float32 (and bfloat16) only
        runs[NO_ONEDNN, "cpu"] = without_onednn(bench.torch_lstm_run(torch.nn.LSTM(D, H, batch_first=True), N, T, D, H, dtype,
                                                          "cpu"))
    if torch.cuda.is_available():
        runs[SCRATCH, "cuda"] = bench.torch_lstm_run(ct.LSTM(D, H), N, T, D, H, dtype, "cuda")
        if main_size:
            runs[COMPILED, "cuda"] = bench.torch_lstm_run(ct.LSTM(D, H), N, T, D, H, dtype, "cuda", compile_=True)
        runs[TORCH_NN, "cuda"] = bench.torch_lstm_run(torch.nn.LSTM(D, H, batch_first=True), N, T, D, H, dtype, "cuda")
    return runs


def measure(size, dtype, main_size, repeats, matmul_rate):
    """Rows of the table for one size and dtype. A run that fails on its first call (a compiler
    missing, say) gets a row saying why instead of a time."""
    N, T, D, H = size
    runs, notes = implementations(*size, dtype, main_size), {}
    for key, run in list(runs.items()):
        try:
            first = bench.time_call(run, key[1])  # the first call compiles, allocates
            notes[key] = f"first call {first:.1f} s (compiling)" if key[0] == COMPILED else ""
        except Exception as error:  # noqa: BLE001 -- recorded in the table, the other runs go on
            notes[key] = f"failed: {type(error).__name__}: {str(error).splitlines()[0][:120] if str(error) else ''}"
            del runs[key]
    times = {key: bench.time_repeats(run, repeats, warmup=2, device=key[1]) for key, run in runs.items()}
    rows = []
    for (name, device) in notes:
        seconds = times.get((name, device))
        rate = bench.lstm_flops(N, T, D, H) / statistics.median(seconds) if seconds else None
        rows.append({"implementation": name, "device": device, "dtype": dtype, "N": N, "T": T, "D": D, "H": H,
                     "median_ms": 1e3 * statistics.median(seconds) if seconds else None,
                     "min_ms": 1e3 * min(seconds) if seconds else None, "repeats": len(seconds or []),
                     "GFLOP_per_s": rate / 1e9 if rate else None,
                     "fraction_of_matmul": rate / matmul_rate if rate and device == "cpu" else None,
                     "note": notes[name, device]})
    return rows


def sizes(args):
    """The benchmark size, then the T sweep and the H sweep around it, each size once."""
    N, T, D, H = args.size
    wanted = [tuple(args.size)] + [(N, t, D, H) for t in args.sweep_T] + [(N, T, D, h) for h in args.sweep_H]
    return list(dict.fromkeys(wanted))


def ratios(rows, size):
    """At the benchmark size: {(device, ours, reference, dtype): ratio of median times} for ``RATIOS``."""
    at = {(r["device"], r["implementation"], r["dtype"]): r["median_ms"] for r in rows
          if (r["N"], r["T"], r["D"], r["H"]) == tuple(size)}
    return {(device, ours, ref, dtype): at[device, ours, dtype] / at[device, ref, dtype]
            for (device, ours, ref) in RATIOS for dtype in ("float32", "float64")
            if at.get((device, ours, dtype)) and at.get((device, ref, dtype))}


def report(rows, args, facts, matmul_rates):
    """The Markdown report and the list of missed targets."""
    found, missed = ratios(rows, args.size), []
    lines = [f"# One LSTM layer, forward + backward (N, T, D, H = {', '.join(map(str, args.size))})", "",
             bench.markdown_table([{"fact": k, "value": v} for k, v in facts.items()]), "",
             f"Matrix-product rate, ({args.matmul_n}, {args.matmul_n}) squared in NumPy: " + ", ".join(
                 f"{dtype} {rate / 1e9:.1f} GFLOP/s" for dtype, rate in matmul_rates.items()), "",
             "FLOPs per forward + backward: 24 N T H (D + H), the matrix products (see `course_rnn.bench.lstm_flops`).",
             ""]
    for (device, ours, ref, dtype), ratio in found.items():
        target = RATIOS[device, ours, ref]
        met = target is None or ratio <= target
        missed += [] if met else [f"{ours} / {ref} on {device}, {dtype}: {ratio:.3f} > {target}"]
        verdict = "no target" if target is None else f"target <= {target}: {'met' if met else 'missed'}"
        lines.append(f"- {ours} / {ref} on {device}, {dtype}: **{ratio:.3f}** ({verdict})")
    for r in rows:
        if r["implementation"] == NUMPY and (r["N"], r["T"], r["D"], r["H"]) == tuple(args.size):
            lines.append(f"- NumPy LSTM, {r['dtype']}: {r['GFLOP_per_s']:.1f} GFLOP/s, "
                         f"{100 * r['fraction_of_matmul']:.0f}% of the matrix-product rate")
    main = [r for r in rows if (r["N"], r["T"], r["D"], r["H"]) == tuple(args.size)]
    lines += ["", "## At the benchmark size", "", bench.markdown_table(main), "",
              "## Sweep of T and H", "", bench.markdown_table(rows), ""]
    return "\n".join(lines), missed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke test: small sweep, 3 repeats, no target check")
    parser.add_argument("--out", type=Path, default=Path("_build/bench"))
    parser.add_argument("--size", type=int, nargs=4, default=[32, 100, 64, 128], metavar=("N", "T", "D", "H"))
    parser.add_argument("--sweep-T", type=int, nargs="*", default=None, help="default 25 50 100 200 (quick: 25)")
    parser.add_argument("--sweep-H", type=int, nargs="*", default=None, help="default 64 128 256 (quick: 64)")
    parser.add_argument("--repeats", type=int, default=None, help="timed repeats, default 5 (quick: 3)")
    args = parser.parse_args(argv)
    args.sweep_T = args.sweep_T if args.sweep_T is not None else [25] if args.quick else [25, 50, 100, 200]
    args.sweep_H = args.sweep_H if args.sweep_H is not None else [64] if args.quick else [64, 128, 256]
    args.repeats = args.repeats or (3 if args.quick else 5)

    warnings.filterwarnings("ignore", message="TF32 acceleration on top of oneDNN")  # said by mkldnn.flags
    facts = bench.machine()
    print("\n".join(f"{k}: {v}" for k, v in facts.items()), flush=True)
    args.matmul_n = 1024 if args.quick else 2048
    matmul_rates = {dtype: bench.matmul_flop_rate(args.matmul_n, dtype, args.repeats)
                    for dtype in ("float32", "float64")}
    print(f"matmul ({args.matmul_n})^3: " + ", ".join(f"{d} {r / 1e9:.1f} GFLOP/s" for d, r in matmul_rates.items()),
          flush=True)
    torch.manual_seed(0)
    rows = []
    for size in sizes(args):
        for dtype in ("float32", "float64"):
            rows += measure(size, dtype, size == tuple(args.size), args.repeats, matmul_rates[dtype])
            print(f"measured N, T, D, H = {size}, {dtype}", flush=True)
    facts["load average (1 min) after"] = round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else "unknown"
    text, missed = report(rows, args, facts, matmul_rates)
    args.out.mkdir(parents=True, exist_ok=True)
    bench.write_csv(rows, args.out / "bench_lstm.csv")
    (args.out / "bench_lstm.md").write_text(text)
    print(text)
    print(f"written: {args.out / 'bench_lstm.md'}, {args.out / 'bench_lstm.csv'}")
    if missed and not args.quick:
        print("targets missed:\n  " + "\n  ".join(missed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
