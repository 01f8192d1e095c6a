"""Exercise set 7 (chapter 7): a Clockwork RNN's forward pass, an SCRN step, a masked mean over padded
steps, and dot-product attention with a mask. References are the package's torch modules in float64."""
import numpy as np

QUESTIONS = ("clockwork_forward", "scrn_step", "masked_mean", "masked_attention")


def _lengths(rng, N, T):
    """(N,) int64 lengths in 1..T: one row full (T is the batch's longest), one shorter (N >= 2, T >= 2)."""
    lengths = rng.integers(1, T + 1, size=N)
    full, short = rng.permutation(N)[:2]
    lengths[full], lengths[short] = T, rng.integers(1, T)
    return lengths.astype(np.int64)


def case_inputs(question, seed):
    """The keyword arguments of one test case of ``question``, made from ``seed``."""
    rng = np.random.default_rng(seed)
    N, D = (int(v) for v in rng.integers(1, 6, size=2))
    if question in ("masked_mean", "masked_attention"):
        N = max(N, 2)  # at least one padded row and one full row
    if question == "clockwork_forward":
        k, g, T = int(rng.integers(1, 4)), int(rng.integers(1, 5)), int(rng.integers(3, 20))
        periods = sorted(int(p) for p in rng.choice([1, 2, 3, 4, 5, 8], size=g))
        H = k * g
        params = {"W_xh": rng.standard_normal((D, H)) / np.sqrt(D), "W_hh": rng.standard_normal((H, H)) / np.sqrt(H),
                  "b_h": 0.1 * rng.standard_normal(H)}  # W_hh dense: the learner applies the mask
        return {"x": rng.standard_normal((N, T, D)), "h0": rng.standard_normal((N, H)), "params": params,
                "periods": periods, "module_size": k}
    if question == "scrn_step":
        C, H = (int(v) for v in rng.integers(1, 6, size=2))
        params = {"W_xs": rng.standard_normal((D, C)), "W_sh": rng.standard_normal((C, H)),
                  "W_xh": rng.standard_normal((D, H)), "W_hh": rng.standard_normal((H, H)), "b_h": rng.standard_normal(H)}
        return {"x_t": rng.standard_normal((N, D)), "h_prev": rng.uniform(0, 1, (N, H)),
                "s_prev": rng.standard_normal((N, C)), "params": params, "alpha": float(rng.uniform(0.5, 1.0))}
    if question == "masked_mean":
        T, H = int(rng.integers(2, 12)), int(rng.integers(1, 6))
        lengths = _lengths(rng, N, T)
        hs = rng.standard_normal((N, T, H))
        hs[np.arange(T)[None, :] >= lengths[:, None]] = rng.uniform(5, 50)  # what an RNN computes on pads
        return {"hs": hs, "lengths": lengths}
    if question == "masked_attention":
        T, d, d_v = int(rng.integers(2, 12)), int(rng.integers(1, 6)), int(rng.integers(1, 6))
        lengths = _lengths(rng, N, T)
        return {"query": rng.standard_normal((N, d)), "keys": rng.standard_normal((N, T, d)),
                "values": rng.standard_normal((N, T, d_v)), "lengths": lengths}
    raise ValueError(f"unknown question {question!r}")


def reference(question, inputs, seed):
    """The reference answer of ``question`` for ``inputs``, as a tuple of arrays."""
    import torch

    tensor = lambda a: torch.as_tensor(np.asarray(a), dtype=torch.float64)  # noqa: E731
    if question == "clockwork_forward":
        from course_rnn.torch.clockwork import ClockworkRNN
        p, k = inputs["params"], inputs["module_size"]
        cw = ClockworkRNN(p["W_xh"].shape[0], k, len(inputs["periods"]), inputs["periods"]).double()
        with torch.no_grad():
            for name in ("W_xh", "W_hh", "b_h"):  # the module masks W_hh itself in every forward pass
                getattr(cw, name).copy_(tensor(p[name]))
            hs, _ = cw(tensor(inputs["x"]), tensor(inputs["h0"]))
        return (hs.numpy(),)
    if question == "scrn_step":
        from course_rnn.torch.scrn import SCRN
        p = inputs["params"]
        (D, C), H = p["W_xs"].shape, p["W_hh"].shape[0]
        model = SCRN(D, C, H, alpha=inputs["alpha"]).double()
        with torch.no_grad():
            for name in ("W_xs", "W_sh", "W_xh", "W_hh", "b_h"):
                getattr(model, name).copy_(tensor(p[name]))
            _, (h, s) = model(tensor(inputs["x_t"])[:, None], (tensor(inputs["h_prev"]), tensor(inputs["s_prev"])))
        return h.numpy(), s.numpy()
    if question == "masked_mean":
        hs, lengths = inputs["hs"], inputs["lengths"]
        return (np.stack([row[:n].mean(axis=0) for row, n in zip(hs, lengths)]),)
    if question == "masked_attention":
        from course_rnn.torch.attention import dot_product_attention
        T = inputs["keys"].shape[1]
        mask = torch.arange(T)[None, :] < torch.as_tensor(inputs["lengths"])[:, None]  # (N, T)
        context, weights = dot_product_attention(tensor(inputs["query"]), tensor(inputs["keys"]),
                                                 tensor(inputs["values"]), mask)
        return context.numpy(), weights.numpy()
    raise ValueError(f"unknown question {question!r}")
