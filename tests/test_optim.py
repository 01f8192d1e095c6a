"""NumPy optimizers and learning-rate schedules against torch.optim and torch's schedulers, in float64."""
import numpy as np
import pytest
import torch

from course_rnn.numpy import clip, optim, schedules

SHAPES = {"W_xh": (3, 5), "W_hh": (5, 5), "b_h": (5,)}
STEPS = 50
TOL = 1e-12

# (optimizer, option, kwargs shared with the baseline, the option's own kwargs)
CASES = [
    ("SGD", "defaults", {}, {}),
    ("SGD", "momentum", {"lr": 0.05}, {"momentum": 0.9}),
    ("SGD", "dampening", {"lr": 0.05, "momentum": 0.9}, {"dampening": 0.3}),
    ("SGD", "nesterov", {"lr": 0.05, "momentum": 0.9}, {"nesterov": True}),
    ("SGD", "weight_decay", {"lr": 0.05, "momentum": 0.5}, {"weight_decay": 0.1}),
    ("Adagrad", "defaults", {}, {}),
    ("Adagrad", "lr_decay", {"lr": 0.1}, {"lr_decay": 0.05}),
    ("Adagrad", "initial_accumulator_value", {"lr": 0.1}, {"initial_accumulator_value": 0.5}),
    ("Adagrad", "weight_decay", {"lr": 0.1}, {"weight_decay": 0.2}),
    ("Adagrad", "eps", {"lr": 0.1}, {"eps": 1e-1}),
    ("RMSprop", "defaults", {}, {}),
    ("RMSprop", "alpha", {"lr": 0.01}, {"alpha": 0.8}),
    ("RMSprop", "centered", {"lr": 0.01}, {"centered": True}),
    ("RMSprop", "momentum", {"lr": 0.01}, {"momentum": 0.9}),
    ("RMSprop", "weight_decay", {"lr": 0.01}, {"weight_decay": 0.2}),
    ("RMSprop", "centered_momentum_weight_decay", {"lr": 0.01},
     {"centered": True, "momentum": 0.5, "weight_decay": 0.1}),
    ("Adam", "defaults", {}, {}),
    ("Adam", "betas", {"lr": 0.01}, {"betas": (0.3, 0.9)}),
    ("Adam", "eps", {"lr": 0.01}, {"eps": 1e-1}),
    ("Adam", "weight_decay", {"lr": 0.01}, {"weight_decay": 0.2}),
    ("Adam", "amsgrad", {"lr": 0.01}, {"amsgrad": True}),
    ("AdamW", "defaults", {}, {}),
    ("AdamW", "weight_decay", {"lr": 0.01}, {"weight_decay": 0.5}),
    ("AdamW", "amsgrad", {"lr": 0.01}, {"amsgrad": True}),
    ("AdamW", "amsgrad_betas", {"lr": 0.01, "amsgrad": True}, {"betas": (0.5, 0.99)}),
]
IDS = [f"{name}-{option}" for name, option, _, _ in CASES]


def _problem(seed=0):
    """Random float64 params and STEPS fresh gradient dicts whose scale changes from step to step."""
    rng = np.random.default_rng(seed)
    params = {key: rng.standard_normal(shape) for key, shape in SHAPES.items()}
    grads = [{key: rng.uniform(0.1, 3.0) * rng.standard_normal(shape) for key, shape in SHAPES.items()}
             for _ in range(STEPS)]
    return params, grads


def _torch_trajectory(name, kwargs, params0, grads_seq, lrs=None):
    """Parameters after each torch.optim step (single-tensor path), as NumPy arrays."""
    ps = {key: torch.tensor(value, requires_grad=True) for key, value in params0.items()}  # float64
    opt = getattr(torch.optim, name)(list(ps.values()), foreach=False, **kwargs)
    out = []
    for t, grads in enumerate(grads_seq):
        for key, p in ps.items():
            p.grad = torch.tensor(grads[key])
        if lrs is not None:
            opt.param_groups[0]["lr"] = lrs[t]
        opt.step()
        out.append({key: p.detach().numpy().copy() for key, p in ps.items()})
    return out


def _numpy_trajectory(name, kwargs, params0, grads_seq, lrs=None):
    params = {key: value.copy() for key, value in params0.items()}
    opt = getattr(optim, name)(params, **kwargs)
    out = []
    for t, grads in enumerate(grads_seq):
        if lrs is not None:
            opt.lr = lrs[t]
        opt.step({key: g.copy() for key, g in grads.items()})
        out.append({key: value.copy() for key, value in params.items()})
    assert opt.t == len(grads_seq)
    return out


def _rel(a, b):
    """max |a - b| / max |b|: the error relative to the parameter's scale."""
    return float(np.max(np.abs(a - b)) / np.max(np.abs(b)))


def _first_mismatch(ours, theirs, label):
    """Describe the first (step, parameter) where the trajectories differ by more than TOL, else None."""
    for t, (mine, ref) in enumerate(zip(ours, theirs), start=1):
        for key in SHAPES:
            err = _rel(mine[key], ref[key])
            if not err < TOL:
                return f"{label}: params['{key}'] differs from torch at step {t}: relative error {err:.2e}"
    return None


def _moved(params0, trajectory):
    return min(_rel(trajectory[-1][key], params0[key]) for key in SHAPES)


@pytest.mark.parametrize("name, option, base, extra", CASES, ids=IDS)
def test_optimizer_matches_torch_for_50_steps(name, option, base, extra):
    params0, grads = _problem()
    kwargs = {**base, **extra}
    theirs = _torch_trajectory(name, kwargs, params0, grads)
    assert _moved(params0, theirs) > 1e-3, f"{name} ({option}): torch barely moved the params; the test proves nothing"
    ours = _numpy_trajectory(name, kwargs, params0, grads)
    mismatch = _first_mismatch(ours, theirs, f"{name} ({option}, {kwargs})")
    assert mismatch is None, mismatch


OPTION_CASES = [(case, case_id) for case, case_id in zip(CASES, IDS) if case[3]]


@pytest.mark.parametrize("name, option, base, extra", [c for c, _ in OPTION_CASES], ids=[i for _, i in OPTION_CASES])
def test_each_tested_option_changes_torchs_trajectory(name, option, base, extra):
    """Without this, a case whose option had no effect would pass while testing nothing new."""
    params0, grads = _problem()
    with_option = _torch_trajectory(name, {**base, **extra}, params0, grads)[-1]
    without = _torch_trajectory(name, base, params0, grads)[-1]
    assert max(_rel(with_option[k], without[k]) for k in SHAPES) > 1e-6, f"{name}: {option} changed nothing"


def test_amsgrad_case_has_a_running_max_above_the_average():
    """amsgrad only differs from Adam once v falls below its past maximum; the test gradients make it so."""
    params0, grads = _problem()
    opt = optim.Adam({k: v.copy() for k, v in params0.items()}, lr=0.01, amsgrad=True)
    for g in grads:
        opt.step(g)
    assert np.any(opt.state["W_hh"]["max_exp_avg_sq"] > opt.state["W_hh"]["exp_avg_sq"])


def test_adam_with_a_warmup_cosine_schedule_on_opt_lr_matches_torch_for_50_steps():
    params0, grads = _problem(seed=1)
    lrs = [schedules.warmup_cosine_lr(t, 0.05, warmup_steps=10, T_max=40) for t in range(STEPS)]
    theirs = _torch_trajectory("Adam", {"lr": 0.05}, params0, grads, lrs)
    ours = _numpy_trajectory("Adam", {"lr": 0.05}, params0, grads, lrs)
    mismatch = _first_mismatch(ours, theirs, "Adam (warmup_cosine_lr schedule)")
    assert mismatch is None, mismatch


def test_step_updates_the_callers_arrays_in_place_and_leaves_grads_alone():
    params0, grads = _problem()
    params = {k: v.copy() for k, v in params0.items()}
    ids = {k: id(v) for k, v in params.items()}
    g = {k: v.copy() for k, v in grads[0].items()}
    optim.SGD(params, lr=0.1, momentum=0.9, weight_decay=0.1).step(g)
    assert {k: id(v) for k, v in params.items()} == ids
    assert all(not np.array_equal(params[k], params0[k]) for k in SHAPES)
    assert all(np.array_equal(g[k], grads[0][k]) for k in SHAPES)


def test_clipping_is_reexported_from_optim():
    assert optim.clip_grad_norm is clip.clip_grad_norm and optim.clip_grad_value is clip.clip_grad_value


# --- argument checks ---------------------------------------------------------------------------------

def _params():
    return {"W_x": np.zeros((3, 4)), "W_h": np.zeros((4, 16)), "b": np.zeros(16)}


BAD_ARGUMENTS = [
    ("SGD", {"lr": -0.1}, r"lr must be >= 0 .*; got -0\.1"),
    ("Adam", {"lr": -1.0}, r"lr must be >= 0 .*; got -1\.0"),
    ("SGD", {"momentum": -0.5}, r"momentum must be >= 0; got -0\.5"),
    ("RMSprop", {"momentum": -0.5}, r"momentum must be >= 0; got -0\.5"),
    ("SGD", {"nesterov": True}, r"nesterov=True needs momentum > 0 and dampening=0; got momentum=0, dampening=0"),
    ("SGD", {"nesterov": True, "momentum": 0.9, "dampening": 0.1},
     r"nesterov=True needs momentum > 0 and dampening=0; got momentum=0\.9, dampening=0\.1"),
    ("Adam", {"betas": (0.9, 1.0)}, r"betas\[1\] must be in \[0, 1\); got 1\.0"),
    ("Adam", {"betas": (-0.1, 0.999)}, r"betas\[0\] must be in \[0, 1\); got -0\.1"),
    ("AdamW", {"betas": (1.0, 0.999)}, r"betas\[0\] must be in \[0, 1\); got 1\.0"),
    ("Adam", {"betas": (0.9,)}, r"betas must be a pair \(beta1, beta2\); got \(0\.9,\)"),
    ("Adam", {"eps": 0.0}, r"eps must be > 0 \(it keeps the denominator away from zero\); got 0\.0"),
    ("AdamW", {"eps": -1e-8}, r"eps must be > 0 .*; got -1e-08"),
    ("Adagrad", {"eps": 0}, r"eps must be > 0 .*; got 0"),
    ("RMSprop", {"eps": 0}, r"eps must be > 0 .*; got 0"),
    ("RMSprop", {"alpha": 1.5}, r"alpha must be in \[0, 1\] .*; got 1\.5"),
    ("RMSprop", {"alpha": -0.1}, r"alpha must be in \[0, 1\] .*; got -0\.1"),
    ("Adagrad", {"lr_decay": -0.1}, r"lr_decay must be >= 0; got -0\.1"),
    ("Adagrad", {"initial_accumulator_value": -1}, r"initial_accumulator_value must be >= 0 .*; got -1"),
]
BAD_ARGUMENTS += [(name, {"weight_decay": -0.01},
                   r"weight_decay must be >= 0 \(a negative decay would grow the weights\); got -0\.01")
                  for name in ("SGD", "Adagrad", "RMSprop", "Adam", "AdamW")]


@pytest.mark.parametrize("name, kwargs, match", BAD_ARGUMENTS,
                         ids=[f"{n}-{'-'.join(k)}" for n, k, _ in BAD_ARGUMENTS])
def test_bad_hyperparameter_raises_a_valueerror_naming_it(name, kwargs, match):
    with pytest.raises(ValueError, match=match):
        getattr(optim, name)(_params(), **kwargs)


@pytest.mark.parametrize("name", ["SGD", "Adagrad", "RMSprop", "Adam", "AdamW"])
def test_each_optimizer_accepts_its_boundary_values(name):
    edge = {"SGD": {"lr": 0, "momentum": 0.9, "nesterov": True}, "Adagrad": {"initial_accumulator_value": 0},
            "RMSprop": {"alpha": 1.0}, "Adam": {"betas": (0.0, 0.0)}, "AdamW": {"weight_decay": 0}}[name]
    getattr(optim, name)(_params(), **edge).step(_params())


@pytest.mark.parametrize("params, match", [
    ({"W": np.zeros((2, 2), dtype=np.int64)}, r"params\['W'\] must have a floating dtype .*; got int64"),
    ({"W": [[0.0, 1.0]]}, r"params\['W'\] must be a NumPy array; got list"),
    ({}, r"params must be a non-empty dict of arrays; got dict"),
    ([np.zeros(2)], r"params must be a non-empty dict of arrays; got list"),
], ids=["int-array", "list-value", "empty", "list-of-arrays"])
def test_bad_params_raise_a_valueerror(params, match):
    with pytest.raises(ValueError, match=match):
        optim.Adam(params)


def _without(d, key):
    return {k: v for k, v in d.items() if k != key}


@pytest.mark.parametrize("make_grads, match", [
    (lambda g: _without(g, "W_h"), r"grads has no entry for 'W_h' \(params has W_x, W_h, b\)"),
    (lambda g: {**g, "W_y": np.zeros(2)}, r"grads has an entry 'W_y' that params lacks \(params has W_x, W_h, b\)"),
    (lambda g: {**g, "W_h": np.zeros((16, 4))}, r"grads\['W_h'\] must have shape \(4, 16\) like params\['W_h'\]; "
     r"got \(16, 4\)"),
    (lambda g: {**g, "b": np.zeros(16, dtype=int)}, r"grads\['b'\] must have a floating dtype .*; got int64"),
    (lambda g: list(g.values()), r"grads must be a dict of arrays keyed like params; got list"),
], ids=["missing-key", "extra-key", "transposed", "int-dtype", "list"])
@pytest.mark.parametrize("name", ["SGD", "Adagrad", "RMSprop", "Adam", "AdamW"])
def test_mismatched_grads_raise_before_any_param_changes(name, make_grads, match):
    params = {k: np.ones_like(v) for k, v in _params().items()}
    opt = getattr(optim, name)(params, lr=0.1)
    grads = make_grads({k: np.ones_like(v) for k, v in params.items()})
    with pytest.raises(ValueError, match=match):
        opt.step(grads)
    assert opt.t == 0 and all(np.all(p == 1) for p in params.values())


# --- schedules ---------------------------------------------------------------------------------------

def _torch_lrs(make_scheduler, lr0, n):
    """The learning rate torch uses at epochs 0..n-1 (read before each scheduler.step())."""
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=lr0)
    scheduler = make_scheduler(opt)
    lrs = []
    for _ in range(n):
        lrs.append(opt.param_groups[0]["lr"])
        opt.step()
        scheduler.step()
    return lrs


S = torch.optim.lr_scheduler
SCHEDULES = [
    ("step_lr", lambda o: S.StepLR(o, step_size=7, gamma=0.5), lambda t: schedules.step_lr(t, 0.1, 7, 0.5)),
    ("step_lr-default-gamma", lambda o: S.StepLR(o, step_size=4), lambda t: schedules.step_lr(t, 0.1, 4)),
    ("cosine_lr", lambda o: S.CosineAnnealingLR(o, T_max=30), lambda t: schedules.cosine_lr(t, 0.1, 30)),
    ("cosine_lr-eta_min-past-T_max", lambda o: S.CosineAnnealingLR(o, T_max=15, eta_min=1e-3),
     lambda t: schedules.cosine_lr(t, 0.1, 15, eta_min=1e-3)),
    ("linear_warmup", lambda o: S.LinearLR(o, start_factor=0.1, total_iters=10),
     lambda t: schedules.linear_warmup(t, 0.1, 10, start_factor=0.1)),
    ("linear_warmup-defaults", lambda o: S.LinearLR(o), lambda t: schedules.linear_warmup(t, 0.1, 5)),
    ("linear_warmup-end_factor", lambda o: S.LinearLR(o, start_factor=1.0, end_factor=0.2, total_iters=20),
     lambda t: schedules.linear_warmup(t, 0.1, 20, start_factor=1.0, end_factor=0.2)),
    ("warmup_cosine_lr", lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.2, total_iters=8),
                                                      S.CosineAnnealingLR(o, T_max=25, eta_min=1e-4)],
                                                  milestones=[8]),
     lambda t: schedules.warmup_cosine_lr(t, 0.1, 8, 25, start_factor=0.2, eta_min=1e-4)),
]


@pytest.mark.parametrize("label, make_scheduler, ours", SCHEDULES, ids=[s[0] for s in SCHEDULES])
def test_schedule_matches_torchs_scheduler_for_40_epochs(label, make_scheduler, ours):
    theirs = _torch_lrs(make_scheduler, 0.1, 40)
    assert len(set(np.round(theirs, 12))) > 3, f"{label}: torch's rate barely changed; the test proves nothing"
    for t, lr in enumerate(theirs):
        assert abs(ours(t) - lr) <= TOL * 0.1, f"{label}: epoch {t} gives {ours(t)!r}, torch {lr!r}"


@pytest.mark.parametrize("call, match", [
    (lambda: schedules.step_lr(3, 0.1, 0), r"step_size must be a positive whole number of steps; got 0"),
    (lambda: schedules.cosine_lr(3, 0.1, 2.5), r"T_max must be a positive whole number of steps; got 2\.5"),
    (lambda: schedules.linear_warmup(3, 0.1, -1), r"warmup_steps must be a positive whole number of steps; got -1"),
    (lambda: schedules.linear_warmup(3, 0.1, 5, start_factor=0), r"start_factor must be in \(0, 1\] .*; got 0"),
    (lambda: schedules.linear_warmup(3, 0.1, 5, end_factor=1.5), r"end_factor must be in \[0, 1\]; got 1\.5"),
    (lambda: schedules.cosine_lr(3, -0.1, 10), r"lr0 must be >= 0; got -0\.1"),
    (lambda: schedules.warmup_cosine_lr(30, 0.1, 0, 10), r"warmup_steps must be a positive whole number"),
], ids=["step_size", "T_max", "warmup_steps", "start_factor", "end_factor", "lr0", "warmup_cosine-warmup_steps"])
def test_bad_schedule_argument_raises_a_valueerror_naming_it(call, match):
    with pytest.raises(ValueError, match=match):
        call()
