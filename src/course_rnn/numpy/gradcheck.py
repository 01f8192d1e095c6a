r"""Gradient checking by central differences.

$$\frac{\partial L}{\partial \theta_i} \approx \frac{L(\theta + \varepsilon e_i) - L(\theta - \varepsilon e_i)}{2\varepsilon}$$

and the relative error $\lVert g - \hat g \rVert / (\lVert g \rVert + \lVert \hat g \rVert)$, read as:
below 1e-7 correct, near 1e-5 suspicious, above 1e-3 almost surely a bug (in float64).
"""
import numpy as np


def rel_error(g, g_hat):
    """Relative error between two gradients (arrays of the same shape); 0 when both are zero."""
    g, g_hat = np.asarray(g, dtype=np.float64), np.asarray(g_hat, dtype=np.float64)
    if g.shape != g_hat.shape:
        raise ValueError(f"the two gradients must have the same shape; got {g.shape} and {g_hat.shape}")
    denom = np.linalg.norm(g) + np.linalg.norm(g_hat)
    return 0.0 if denom == 0 else float(np.linalg.norm(g - g_hat) / denom)


def numerical_gradient(f, x, eps=1e-6):
    """Central-difference gradient of the scalar function ``f()`` with respect to ``x``.

    ``x`` is perturbed in place, one entry at a time, and restored.
    Returns an array shaped like ``x``.
    """
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + eps
        f_plus = f()
        x[i] = old - eps
        f_minus = f()
        x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * eps)
    return grad



def kink_crossings(pre, x, eps=1e-6):
    """How many central-difference steps of ``x`` move some value of ``pre()`` across 0.

    Inputs:
    - pre: function of no arguments returning the array at whose 0 the function has a kink,
      e.g. every pre-activation a_t of a ReLU RNN, (N, T, H).
    - x: the array ``numerical_gradient`` would perturb; perturbed in place by +eps and -eps,
      one entry at a time, and restored.

    Returns the number of steps, out of 2 * x.size, after which some entry of ``pre()`` has a
    different sign (a > 0 or not) than before: those are the steps where a central difference
    does not measure the one-sided derivative a backward pass uses.
    """
    side = pre() > 0
    crossings = 0
    for i in np.ndindex(x.shape):
        old = x[i]
        for step in (eps, -eps):
            x[i] = old + step
            crossings += int(np.any((pre() > 0) != side))
        x[i] = old
    return crossings

def _describe_entry(index, axes):
    if axes and len(axes) == len(index):
        return "(" + ", ".join(f"{a.lower()}={i}" for a, i in zip(axes, index)) + ")"
    return str(tuple(int(i) for i in index))


def check_gradients(f, arrays, analytic, eps=1e-6, tol=1e-7, axes=None):
    """Compare analytic gradients with central differences, one array at a time.

    Inputs:
    - f: function of no arguments returning the scalar loss; it must read the arrays below.
    - arrays: dict name -> array (parameters and inputs) that ``f`` depends on.
    - analytic: dict name -> the hand-written gradient of each array.
    - axes: optional dict name -> shape letters (e.g. {"x": "NTD"}) so that a
      failure names the time step, not just a flat index.

    Returns dict name -> relative error. Raises ``AssertionError`` naming the
    array, its worst entry (with the time step when known) and both values.
    """
    errors, axes = {}, axes or {}
    for name, x in arrays.items():
        g_hat = numerical_gradient(f, x, eps)
        g = analytic[name]
        errors[name] = rel_error(g, g_hat)
        if errors[name] > tol:
            worst = np.unravel_index(np.argmax(np.abs(g - g_hat)), g.shape)
            raise AssertionError(
                f"gradient check failed for {name}: relative error {errors[name]:.1e} > {tol:.0e}; "
                f"worst entry {_describe_entry(worst, axes.get(name))}: "
                f"analytic {g[worst]:.6g}, numerical {g_hat[worst]:.6g}"
            )
    return errors


def _gate_of(entry, shape, gates, H):
    """For a gate-stacked array (last axis len(gates) * H): ", gate f, unit 3"; otherwise ""."""
    if not gates or not shape or shape[-1] != len(gates) * H:
        return ""
    return f", gate {gates[entry[-1] // H]}, unit {entry[-1] % H}"


def check_rnn_backward(forward, backward, x, h0, params, seed=0, eps=1e-6, tol=1e-7, gates=None):
    """Gradient check of a sequence backward pass that names the time step of a bug.

    Inputs:
    - forward(x, h0, params) -> (hs, cache) and backward(dhs, cache) -> (dx, dh0, grads),
      e.g. ``rnn.forward`` and ``rnn.backward``.
    - x: (N, T, D); h0: (N, H); params: dict of arrays.
    - gates: the gate letters of arrays stacked along their last axis, e.g. ``"ifgo"`` (LSTM) or
      ``"rzn"`` (GRU), so that a failure names the gate and unit too.

    For s = 1, ..., T it puts a random loss on h_s alone, L_s = sum(h_s * g_s), and compares
    the analytic gradients of every parameter, x and h0 with central differences. A bug at
    step t leaves the losses before t untouched, so the first wrong s is where the bug is.
    Returns dict name -> largest relative error over all s. Raises ``AssertionError``
    naming the array, that time step, the worst entry and both values.
    """
    rng = np.random.default_rng(seed)
    hs, _ = forward(x, h0, params)
    arrays = {**params, "x": x, "h0": h0}
    worst = {name: 0.0 for name in arrays}
    for s in range(hs.shape[1]):
        dhs = np.zeros_like(hs)
        dhs[:, s] = rng.standard_normal(hs[:, s].shape)
        dx, dh0, grads = backward(dhs, forward(x, h0, params)[1])
        analytic = {**grads, "x": dx, "h0": dh0}
        loss = lambda: np.sum(forward(x, h0, params)[0] * dhs)  # noqa: E731
        for name, array in arrays.items():
            g, g_hat = analytic[name], numerical_gradient(loss, array, eps)
            worst[name] = max(worst[name], rel_error(g, g_hat))
            if rel_error(g, g_hat) > tol:
                entry = np.unravel_index(np.argmax(np.abs(g - g_hat)), g.shape)
                where = _describe_entry(entry, "NTD" if name == "x" else None)
                where += _gate_of(entry, g.shape, gates, hs.shape[2])
                raise AssertionError(
                    f"gradient check failed for {name}: the loss at time step t={s + 1} is the first whose "
                    f"gradient is wrong (relative error {rel_error(g, g_hat):.1e} > {tol:.0e}); "
                    f"worst entry {where}: analytic {g[entry]:.6g}, numerical {g_hat[entry]:.6g}"
                )
    return worst


def check_lstm_backward(forward, backward, x, h0, c0, params, **options):
    """``check_rnn_backward`` for the LSTM's ``forward(x, h0, c0, params)`` and
    ``backward(dhs, cache) -> (dx, dh0, dc0, grads)``; c0 is checked as ``"c0"``, and a failure
    names the gate (i, f, g, o) and unit of a stacked weight."""
    arrays = {**params, "c0": c0}  # c0 rides along as one more array to perturb
    split = lambda p: {k: v for k, v in p.items() if k != "c0"}  # noqa: E731
    fwd = lambda x_, h_, p: forward(x_, h_, p["c0"], split(p))  # noqa: E731

    def bwd(dhs, cache):
        dx, dh0, dc0, grads = backward(dhs, cache)
        return dx, dh0, {**grads, "c0": dc0}

    return check_rnn_backward(fwd, bwd, x, h0, arrays, **{"gates": "ifgo", **options})
