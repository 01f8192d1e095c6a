"""Exercise set 6 (chapter 6): an EWMA with bias correction, a momentum or Nesterov step, an Adam step, and
naming the optimizer behind a trajectory. References are the package's NumPy optimizers."""
import numpy as np

QUESTIONS = ("ewma", "momentum_step", "nesterov_step", "adam_step", "adam_moments", "which_optimizer")


def case_inputs(question, seed):
    """The keyword arguments of one test case of ``question``, made from ``seed``."""
    rng = np.random.default_rng(seed)
    D, H = (int(v) for v in rng.integers(1, 7, size=5)[2:4])  # five sizes drawn first, as for the earlier sets
    if question == "ewma":
        return {"values": rng.uniform(-5, 5) + rng.uniform(0.5, 3) * rng.standard_normal(int(rng.integers(1, 60))),
                "beta": float(rng.uniform(0.0, 0.99))}
    if question in ("momentum_step", "nesterov_step"):
        return {"theta": rng.standard_normal((D, H)), "g": rng.standard_normal((D, H)), "b": rng.standard_normal((D, H)),
                "lr": float(rng.uniform(0.001, 0.5)), "momentum": float(rng.uniform(0.1, 0.99)),
                "nesterov": question == "nesterov_step"}
    if question in ("adam_step", "adam_moments"):
        return {"theta": rng.standard_normal((D, H)), "g": rng.standard_normal((D, H)),
                "m": 0.3 * rng.standard_normal((D, H)), "v": rng.uniform(0.01, 1.0, size=(D, H)),
                "t": int(rng.integers(1, 100)), "lr": float(rng.uniform(1e-3, 0.1)),
                "beta1": float(rng.uniform(0.5, 0.95)), "beta2": float(rng.uniform(0.9, 0.9999)), "eps": 1e-8}
    if question == "which_optimizer":
        return optimizer_paths(seed)[0]
    raise ValueError(f"unknown question {question!r}")


def optimizer_paths(seed):
    """Case ``seed`` of which_optimizer: ({"paths", "lr", "b"}, the optimizers' names in the order A-D).

    Four optimizers with the same lr, 30 steps each from the same start on f = (x^2 + b y^2) / 2.
    """
    from course_rnn import trajectories
    from course_rnn.numpy import optim
    rng = np.random.default_rng(seed + 11)
    b, lr = float(rng.uniform(10, 40)), float(rng.uniform(0.005, 0.03))
    start = np.array([rng.uniform(-5, -2), rng.choice([-1, 1]) * rng.uniform(0.5, 2)])
    settings = {"gd": (optim.SGD, {}), "momentum": (optim.SGD, {"momentum": 0.9}),
                "rmsprop": (optim.RMSprop, {}), "adam": (optim.Adam, {})}
    names = [str(name) for name in rng.permutation(list(settings))]
    f = lambda xy: trajectories.elongated_quadratic(xy, b=b)  # noqa: E731
    paths = {letter: trajectories.path(f, settings[name][0], start, 30, lr=lr, **settings[name][1])
             for letter, name in zip("ABCD", names)}
    return {"paths": paths, "lr": lr, "b": b}, names


def reference(question, inputs, seed):
    """The reference answer of ``question`` for the case made from ``seed``, as a tuple of arrays."""
    if question == "ewma":
        from course_rnn.numpy import ewma
        return (ewma.ewma(inputs["values"], inputs["beta"]),)
    if question in ("momentum_step", "nesterov_step"):
        from course_rnn.numpy import optim
        params = {"theta": inputs["theta"].copy()}
        opt = optim.SGD(params, lr=inputs["lr"], momentum=inputs["momentum"], nesterov=inputs["nesterov"])
        opt.state["theta"]["momentum_buffer"] = inputs["b"].copy()  # as if b came from earlier steps
        opt.step({"theta": inputs["g"]})
        return params["theta"], opt.state["theta"]["momentum_buffer"]
    if question in ("adam_step", "adam_moments"):
        from course_rnn.numpy import optim
        params = {"theta": inputs["theta"].copy()}
        opt = optim.Adam(params, lr=inputs["lr"], betas=(inputs["beta1"], inputs["beta2"]), eps=inputs["eps"])
        opt.state["theta"].update(exp_avg=inputs["m"].copy(), exp_avg_sq=inputs["v"].copy())
        opt.t = inputs["t"] - 1  # the step about to be taken is step t
        opt.step({"theta": inputs["g"]})
        state = opt.state["theta"]
        return (state["exp_avg"], state["exp_avg_sq"]) if question == "adam_moments" else \
            (params["theta"], state["exp_avg"], state["exp_avg_sq"])
    if question == "which_optimizer":
        return (np.array(optimizer_paths(seed)[1]),)
    raise ValueError(f"unknown question {question!r}")
