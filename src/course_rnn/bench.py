r"""Timing, FLOP counts and machine facts, for ``benchmarks/bench_lstm.py`` and the appendix on speed.

- ``lstm_flops(N, T, D, H)``: the FLOPs of one LSTM layer's forward + backward.
- ``numpy_lstm_run`` and ``torch_lstm_run``: functions of nothing that run one LSTM layer forward + backward.
- ``time_call(fn, device)`` and ``time_repeats(fn, repeats, warmup, device)``: seconds per call.
- ``matmul_flop_rate(n, dtype)``: the machine's large-matrix-product rate, the yardstick for the above.
- ``machine()``: CPU, cores, threads and versions, to print beside any timing.
- ``markdown_table(rows)`` and ``write_csv(rows, path)``: a list of dicts as a table.

Nothing here runs at import time; torch is imported only by the functions that need it.
"""
import csv
import ctypes
import os
import platform
import time

import numpy as np


def lstm_flops(N, T, D, H):
    r"""FLOPs of forward + backward of one LSTM layer, counted from its matrix products (a multiply-add is 2).

    Forward: $x_t W_x$ for all steps, $2NT \cdot D \cdot 4H$; $h_{t-1} W_h$ at every step, $2NT \cdot H \cdot 4H$.
    Backward, with $\delta a_t = \partial L / \partial a_t$: $\delta a_t W_h^\top$ (into $h_{t-1}$),
    $\sum_t h_{t-1}^\top \delta a_t$ (for $W_h$), $\sum_t x_t^\top \delta a_t$ (for $W_x$), $\delta a_t W_x^\top$
    (into $x_t$): two products the size of each forward one. In all $3 \cdot 8NTH(D + H) = 24\,NTH(D + H)$.

    Left out: the element-wise work (gates, cell, their derivatives, bias sums), about $50\,NTH$, a fraction
    $2 / (D + H)$ of the products: 1% at D = 64, H = 128.
    """
    return 24 * N * T * H * (D + H)


def time_call(fn, device=None):
    """Seconds one call ``fn()`` takes. On a CUDA device the GPU's own clock (CUDA events) times it,
    after waiting for the work queued before; on the CPU, ``time.perf_counter``."""
    if device is not None and str(device).startswith("cuda"):
        import torch
        start, end = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
        torch.cuda.synchronize()
        start.record()
        fn()
        end.record()
        end.synchronize()  # the kernels were only queued: wait until they ran
        return start.elapsed_time(end) / 1000  # ms -> s
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def time_repeats(fn, repeats=5, warmup=2, device=None):
    """Seconds per call of ``fn()``: ``repeats`` timed calls after ``warmup`` untimed ones (caches, memory
    pools, compilation). Report the median: a slow call, another process taking a core, does not move it.

    Time one function's calls in a block, not alternating with another's: NumPy's OpenBLAS and PyTorch's
    OpenMP keep their threads spinning for a while after each call, and on a 2-core machine two spinning
    pools slow each other several-fold.
    """
    for _ in range(warmup):
        fn()
    return [time_call(fn, device) for _ in range(repeats)]


def numpy_lstm_run(N, T, D, H, dtype):
    """A function of nothing that runs forward + backward of the NumPy LSTM (``dtype`` a name: "float32")."""
    from .numpy import lstm

    rng = np.random.default_rng(0)
    params = lstm.init_params(D, H, rng, dtype=dtype)
    x, dhs = rng.standard_normal((N, T, D)).astype(dtype), rng.standard_normal((N, T, H)).astype(dtype)
    h0 = np.zeros((N, H), dtype)

    def run():
        hs, cache = lstm.forward(x, h0, h0, params)
        return lstm.backward(dhs, cache)
    return run


def torch_lstm_run(module, N, T, D, H, dtype, device="cpu", compile_=False):
    """The same for a torch LSTM module (``dtype`` a name: "float32"): autograd's gradients of x and of every
    parameter."""
    import torch

    tdtype = getattr(torch, dtype)
    module = module.to(device, tdtype)
    inputs = [torch.randn(N, T, D, dtype=tdtype, device=device, requires_grad=True), *module.parameters()]
    dhs = torch.randn(N, T, H, dtype=tdtype, device=device)
    forward = torch.compile(module) if compile_ else module

    def run():
        out, _ = forward(inputs[0])
        return torch.autograd.grad(out, inputs, dhs)  # fresh gradients, as the NumPy backward returns
    return run


def matmul_flop_rate(n=2048, dtype=np.float64, repeats=5):
    """FLOP/s of an (n, n) @ (n, n) NumPy product, 2n^3 FLOPs, from the fastest of ``repeats``: the best
    case, as a yardstick should be (another process taking a core halves a median on 2 cores)."""
    a, b = np.random.default_rng(0).standard_normal((2, n, n)).astype(dtype)
    return 2 * n ** 3 / min(time_repeats(lambda: a @ b, repeats, warmup=1))


def _openblas_threads():
    """The thread count of the OpenBLAS NumPy loaded, asked of the library itself (None if unknown)."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "openblas" in line.lower()}
        for path in paths:
            lib = ctypes.CDLL(path)
            for name in ("scipy_openblas_get_num_threads64_", "openblas_get_num_threads64_",
                         "openblas_get_num_threads"):
                if hasattr(lib, name):
                    return getattr(lib, name)()
    except OSError:
        pass
    return None


def machine():
    """What a timing depends on, as ``{fact: value}``: CPU, cores, threads, versions, BLAS, GPU, and the
    load average, the number of processes that wanted a core lately: above the core count, timings inflate."""
    import torch
    cpu = platform.processor() or platform.machine()
    if os.path.exists("/proc/cpuinfo"):
        with open("/proc/cpuinfo") as f:
            cpu = next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), cpu)
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        blas = f"{blas['name']} {blas['version']}"
    except Exception:  # NumPy < 1.25 has no mode="dicts"
        blas = "unknown"
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {"cpu": cpu, "cores": cores, "numpy BLAS": blas, "BLAS threads": _openblas_threads(),
            "torch threads": torch.get_num_threads(), "python": platform.python_version(),
            "numpy": np.__version__, "torch": torch.__version__,
            "gpu": torch.cuda.get_device_name() if torch.cuda.is_available() else "none",
            "load average (1 min)": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else "unknown"}


def _cell(value):
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def markdown_table(rows):
    """A list of dicts with the same keys as a Markdown table, floats to 3 significant digits."""
    keys = list(rows[0])
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    lines += ["| " + " | ".join(_cell(row[k]) for k in keys) + " |" for row in rows]
    return "\n".join(lines)


def write_csv(rows, path):
    """A list of dicts with the same keys as a CSV file, full precision."""
    with open(path, "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
