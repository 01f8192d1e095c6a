"""Hidden cases and reference answers of exercise sets 1 to 5, for the trusted grader only.

Moved out of the installed package (it was ``course_rnn.grading``): learners install
``course_rnn``, and nothing here reaches the sandbox in which a submission runs. Inputs that are
not plain data are markers: ``Rng(seed)`` becomes ``np.random.default_rng(seed)`` in the sandbox,
and ``Oracle(name, seed)`` a function whose calls are answered by the parent (grader/oracle.py).
"""
import numpy as np

from ..codec import Oracle, Rng

def case_inputs(question, seed):
    """The keyword arguments of one test case of ``question``, made from ``seed``."""
    from course_rnn.numpy import jordan, rnn

    rng = np.random.default_rng(seed)
    N, T, D, H, O = (int(v) for v in rng.integers(1, 7, size=5))
    if question == "jordan_step":
        return {"x_t": rng.standard_normal((N, D)), "y_prev": rng.standard_normal((N, O)),
                "params": jordan.init_params(D, H, O, rng)}
    if question in ("bidirectional", "bidirectional_forward_half"):
        return {"x": rng.standard_normal((N, T, D)), "params_fwd": rnn.init_params(D, H, rng),
                "params_bwd": rnn.init_params(D, H, rng)}
    if question in ("step_backward", "bptt", "truncated_grads", "locate_bug"):
        T = max(T, 3)
        x, h0, params = rng.standard_normal((N, T, D)), rng.standard_normal((N, H)), rnn.init_params(D, H, rng)
        dhs = rng.standard_normal((N, T, H))
        if question == "step_backward":
            h, _ = rnn.step_forward(x[:, 0], h0, params)
            return {"dh": dhs[:, 0], "x_t": x[:, 0], "h_prev": h0, "h": h, "params": params}
        if question == "bptt":
            return {"dhs": dhs, "x": x, "h0": h0, "params": params}
        if question == "truncated_grads":
            return {"dhs": dhs, "x": x, "h0": h0, "params": params, "k": int(rng.integers(1, T + 1))}
        return {"backward": Oracle("buggy_backward", seed), "x": x, "h0": h0, "params": params}
    if question in ("gru_step", "gru_step_backward"):
        from course_rnn.numpy import gru
        inputs = {"x_t": rng.standard_normal((N, D)), "h_prev": rng.standard_normal((N, H)),
                  "params": gru.init_params(D, H, rng)}
        if question == "gru_step_backward":
            inputs["dh"] = rng.standard_normal((N, H))
        return inputs
    if question == "gru_parameter_count":
        return {"D": D, "H": H, "num_layers": int(rng.integers(1, 4)), "bidirectional": bool(rng.integers(2))}
    if question == "updates":
        return {"z": rng.uniform(0, 1, size=int(rng.integers(5, 40))) ** float(rng.uniform(0.3, 3))}
    if question == "clip_by_global_norm":
        scale = float(10.0 ** rng.uniform(-2, 2))
        grads = {"W_xh": scale * rng.standard_normal((D, H)), "W_hh": scale * rng.standard_normal((H, H)),
                 "b_h": scale * rng.standard_normal(H)}
        return {"grads": grads, "max_norm": float(rng.uniform(0.5, 5.0))}
    if question == "gradient_norm_bound":
        W = rng.standard_normal((H, H)) * rng.uniform(0.1, 1.5)
        return {"W_hh": W, "activation": str(rng.choice(["tanh", "sigmoid"])), "lag": int(rng.integers(0, 40))}
    if question == "orthogonal_init":
        return {"H": int(rng.integers(2, 40)), "rng": Rng(seed + 1)}
    if question == "vanish_or_explode":
        from course_rnn.numpy import init, jacobians
        sigma = float(rng.choice([0.3, 0.6, 0.8])) if rng.integers(2) else float(rng.choice([3.0, 5.0, 8.0]))
        activation = "relu" if sigma > 1 else str(rng.choice(["tanh", "relu"]))
        params = {"W_xh": init.xavier((3, 16), rng), "W_hh": sigma * init.orthogonal((16, 16), rng), "b_h": np.zeros(16)}
        x_run = rng.standard_normal((4, int(rng.integers(20, 60)), 3)) * 0.1
        return {"norms": jacobians.gradient_norms(x_run, np.zeros((4, 16)), params, activation)}
    if question in ("lstm_step_backward", "peephole_step"):
        from course_rnn.numpy import lstm
        params = lstm.init_params(D, H, rng, peepholes=question == "peephole_step", forget_bias=1.0)
        params.update({p: rng.standard_normal(H) for p in params if p.startswith("w_c")})
        inputs = {"x_t": rng.standard_normal((N, D)), "h_prev": rng.standard_normal((N, H)),
                  "c_prev": rng.standard_normal((N, H)), "params": params}
        if question == "lstm_step_backward":
            inputs.update({"dh": rng.standard_normal((N, H)), "dc": rng.standard_normal((N, H))})
        return inputs
    if question == "retention":
        T = int(rng.integers(8, 40))
        f = 1.0 / (1.0 + np.exp(-(3.0 * rng.standard_normal(H + 1) + rng.standard_normal((T, H + 1)))))
        return {"f": f, "s": int(rng.integers(0, T))}
    L, bidirectional = int(rng.integers(1, 5)), bool(rng.integers(2))
    if question == "lstm_parameter_count":
        return {"D": D, "H": H, "num_layers": L, "bidirectional": bidirectional, "peepholes": bool(rng.integers(2))}
    if question == "rnn_shapes":
        return {"N": N, "T": T, "D": D, "H": H, "num_layers": L, "bidirectional": bidirectional}
    if question == "rnn_parameter_count":
        return {"D": D, "H": H, "num_layers": L, "bidirectional": bidirectional}
    raise ValueError(f"unknown question {question!r}")


def _bug(seed, T):
    """The bug hidden in case ``seed`` of locate_bug: ("skip", name, t) with t in 1..T."""
    rng = np.random.default_rng(seed + 7)
    return ("skip", str(rng.choice(["W_xh", "W_hh", "b_h"])), int(rng.integers(1, T + 1)))


def buggy_backward(seed, dhs, cache):
    """The broken ``rnn.backward`` of case ``seed`` of locate_bug, run by the parent for the sandbox."""
    from course_rnn.numpy import buggy
    return buggy.backward(dhs, cache, _bug(seed, len(cache)))


def reference_rnn_shapes(N, T, D, H, num_layers, bidirectional):
    """Shapes of ``torch.nn.RNN(D, H, num_layers, batch_first=True, bidirectional=...)``'s (out, h_n)."""
    dirs = 2 if bidirectional else 1
    return (N, T, dirs * H), (num_layers * dirs, N, H)


def reference_parameter_count(D, H, num_layers, bidirectional):
    """Parameters of that ``torch.nn.RNN``: per layer and direction W_ih, W_hh and two biases."""
    dirs = 2 if bidirectional else 1
    inputs = [D] + [dirs * H] * (num_layers - 1)
    return sum(dirs * (d_in * H + H * H + 2 * H) for d_in in inputs)


def reference(question, inputs, seed):
    """The reference answer of ``question`` for the case made from ``seed``, as a tuple of arrays."""
    from course_rnn.numpy import clip, deep, jacobians, jordan, rnn, truncated

    if question == "jordan_step":
        return jordan.step_forward(**inputs)
    if question in ("bidirectional", "bidirectional_forward_half"):
        N, H = inputs["x"].shape[0], inputs["params_fwd"]["W_hh"].shape[0]
        zeros = np.zeros((N, H))
        hs = deep.bidirectional_forward(inputs["x"], zeros, zeros, inputs["params_fwd"], inputs["params_bwd"])
        return (hs[:, :, :H],) if question == "bidirectional_forward_half" else (hs,)
    if question == "rnn_shapes":
        return tuple(np.array(s) for s in reference_rnn_shapes(**inputs))
    if question == "rnn_parameter_count":
        return (np.array(reference_parameter_count(**inputs)),)
    if question == "step_backward":
        _, cache = rnn.step_forward(inputs["x_t"], inputs["h_prev"], inputs["params"])
        return _flatten(rnn.step_backward(inputs["dh"], cache))
    if question in ("bptt", "truncated_grads"):
        _, cache = rnn.forward(inputs["x"], inputs["h0"], inputs["params"])
        if question == "bptt":
            return _flatten(rnn.backward(inputs["dhs"], cache))
        windows = truncated.backward(inputs["dhs"], cache, inputs["k"], inputs["k"])
        return _flatten(({name: sum(w[name] for w in windows) for name in inputs["params"]},))
    if question in ("gru_step", "gru_step_backward"):
        from course_rnn.numpy import gru
        h, cache = gru.step_forward(inputs["x_t"], inputs["h_prev"], inputs["params"])
        return (h,) if question == "gru_step" else _flatten(gru.step_backward(inputs["dh"], cache))
    if question == "gru_parameter_count":
        dirs = 2 if inputs["bidirectional"] else 1
        d_in = [inputs["D"]] + [dirs * inputs["H"]] * (inputs["num_layers"] - 1)
        H = inputs["H"]
        return (np.array(sum(dirs * 3 * (d * H + H * H + 2 * H) for d in d_in)),)
    if question == "updates":
        return (np.flatnonzero(inputs["z"] < 0.5) + 1,)
    if question in ("lstm_step_backward", "peephole_step"):
        from course_rnn.numpy import lstm
        h, c, cache = lstm.step_forward(inputs["x_t"], inputs["h_prev"], inputs["c_prev"], inputs["params"])
        return (h, c) if question == "peephole_step" else _flatten(lstm.step_backward(inputs["dh"], inputs["dc"], cache))
    if question == "lstm_parameter_count":
        dirs, H = 2 if inputs["bidirectional"] else 1, inputs["H"]
        d_in = [inputs["D"]] + [dirs * H] * (inputs["num_layers"] - 1)
        peep = 3 * H if inputs["peepholes"] else 0
        return (np.array(sum(dirs * (4 * (d * H + H * H + 2 * H) + peep) for d in d_in)),)
    if question == "retention":
        kept = np.prod(inputs["f"][inputs["s"]:], axis=0)  # f_(s+1) ... f_T: rows s..T-1
        return kept, np.array(int(np.argmax(kept)))
    if question == "clip_by_global_norm":
        grads = {k: v.copy() for k, v in inputs["grads"].items()}
        norm = clip.clip_grad_norm(grads, inputs["max_norm"])
        return _flatten((grads, np.array(norm)))
    if question == "gradient_norm_bound":
        return (np.array(jacobians.bound(inputs["W_hh"], inputs["activation"], inputs["lag"])),)
    if question == "orthogonal_init":
        return (np.eye(inputs["H"]),)  # compared as W^T W, see compare()
    if question == "vanish_or_explode":
        return (np.array("explode" if inputs["norms"][-1] > 1 else "vanish"),)
    if question == "locate_bug":
        T = inputs["x"].shape[1]
        _, name, t = _bug(seed, T)
        return (np.array(name), np.array(t))
    raise ValueError(f"unknown question {question!r}")


def _flatten(result):
    """A result as a flat tuple of arrays; a dict of gradients becomes its values in key order."""
    flat = []
    for item in (result if isinstance(result, tuple) else (result,)):
        flat += [item[k] for k in sorted(item)] if isinstance(item, dict) else [item]
    return tuple(flat)
