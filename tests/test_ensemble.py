"""An Ensemble of seeds trains each member exactly as a separate run of that seed would."""
import pytest
import torch
from torch import nn

from course_rnn.torch import GRU, LSTM, RNN, Ensemble, JordanRNN, truncated_backward

SEEDS = (0, 1, 2)
D, H, N, T = 3, 5, 4, 6


def make_rnn():
    return nn.ModuleDict({"rnn": RNN(D, H), "head": nn.Linear(H, 2)})


def batches(seed, steps=4):
    g = torch.Generator().manual_seed(100 + seed)
    return [(torch.randn(N, T, D, generator=g), torch.randint(0, 2, (N,), generator=g)) for _ in range(steps)]


def last_scores(run, x):
    """Scores at the last step; ``run(path, *args)`` calls a submodule of one model or of every member."""
    return run("head", run("rnn", x)[0][..., -1, :])


def jordan_scores(run, x):
    return run("", x)[1][..., -1, :]  # the fed-back outputs at the last step


def ensemble_run(make, scores=last_scores, clip=None, decay=None, lr=0.05):
    """Adam on every member at once; ``decay`` (E,): AdamW's decoupled decay, written out per member."""
    models = Ensemble(make, SEEDS)
    optimizer = torch.optim.Adam(models.parameters(), lr=lr)
    data = [batches(s) for s in SEEDS]
    for step in range(len(data[0])):
        x = torch.stack([d[step][0] for d in data])  # (E, N, T, D)
        y = torch.stack([d[step][1] for d in data])  # (E, N)
        optimizer.zero_grad()
        torch.vmap(nn.functional.cross_entropy)(scores(models.call, x), y).sum().backward()
        if clip is not None:
            models.clip_grad_norm_(clip)
        if decay is not None:
            with torch.no_grad():
                for p in models.parameters():
                    p.mul_((1 - lr * decay).view(-1, *[1] * (p.dim() - 1)))
        optimizer.step()
    return models


def separate_run(make, seed, scores=last_scores, clip=None, decay=0.0, lr=0.05):
    """The same training for one seed alone, with torch's own clipping and AdamW."""
    torch.manual_seed(seed)
    model = make()
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=decay) if decay else \
        torch.optim.Adam(model.parameters(), lr=lr)
    for x, y in batches(seed):
        optimizer.zero_grad()
        nn.functional.cross_entropy(scores(lambda path, *a: model.get_submodule(path)(*a), x), y).backward()
        if clip is not None:
            nn.utils.clip_grad_norm_(model.parameters(), clip)
        optimizer.step()
    return model


def assert_same_weights(models, e, module, atol=1e-5):
    got = models.member(e).state_dict()
    for name, want in module.state_dict().items():
        err = (got[name] - want).abs().max().item()
        assert err <= atol, f"seed {models.seeds[e]}, parameter {name}: ensemble and separate run differ by {err:.2e}"


def test_members_start_as_their_seeds_single_models():
    models = Ensemble(make_rnn, SEEDS)
    for e, seed in enumerate(SEEDS):
        torch.manual_seed(seed)
        assert_same_weights(models, e, make_rnn(), atol=0)


MODELS = {"Elman": (make_rnn, last_scores),
          "GRU": (lambda: nn.ModuleDict({"rnn": GRU(D, H), "head": nn.Linear(H, 2)}), last_scores),
          "Jordan": (lambda: JordanRNN(D, H, 2), jordan_scores)}


@pytest.mark.parametrize("model", MODELS)
@pytest.mark.parametrize("clip", [None, 0.1])  # 0.1 clips on every step, so per-member clipping is exercised
def test_members_train_as_separate_runs(model, clip):
    make, scores = MODELS[model]
    models = ensemble_run(make, scores, clip)
    for e, seed in enumerate(SEEDS):
        assert_same_weights(models, e, separate_run(make, seed, scores, clip))


def test_decoupled_weight_decay_per_member_is_adamw():
    """Chapter 3 gives each member its own decay: p <- p (1 - lr decay_e), then Adam's step, which is AdamW."""
    decay = torch.tensor([0.0, 0.1, 0.5])
    models = ensemble_run(make_rnn, decay=decay)
    for e, seed in enumerate(SEEDS):
        assert_same_weights(models, e, separate_run(make_rnn, seed, decay=float(decay[e])))


def test_clipping_uses_each_members_own_norm():
    models = Ensemble(make_rnn, SEEDS)
    for e, p in enumerate(models.parameters()):
        p.grad = torch.arange(1.0, len(SEEDS) + 1).view(-1, *[1] * (p.dim() - 1)) * torch.ones_like(p)
    before = models.grad_norms()
    assert torch.allclose(before / before[0], torch.arange(1.0, len(SEEDS) + 1)), "norms are not per member"
    models.clip_grad_norm_(before[1].item())  # member 0 under the cap, member 1 at it, member 2 above
    after = models.grad_norms()
    assert torch.allclose(after[:2], before[:2]) and torch.isclose(after[2], before[1], rtol=1e-5)


def tensors(out):
    """Every tensor of a module's output, nested tuples flattened: (out, h_n), (out, (h_n, c_n)), (hs, ys)."""
    return [out] if torch.is_tensor(out) else [t for part in out for t in tensors(part)]


@pytest.mark.parametrize("name, Model", [("GRU", GRU), ("LSTM", LSTM), ("Jordan", lambda d, h: JordanRNN(d, h, 2))])
def test_members_give_their_own_models_outputs_on_a_shared_input(name, Model):
    models = Ensemble(lambda: Model(D, H), SEEDS)
    x = torch.randn(N, T, D)
    outputs = tensors(models(x.expand(len(models), *x.shape)))  # one input shared by every member
    for e, seed in enumerate(SEEDS):
        torch.manual_seed(seed)
        for k, (got, want) in enumerate(zip(outputs, tensors(Model(D, H)(x)))):
            assert torch.allclose(got[e], want, atol=1e-6), f"{name}, seed {seed}: output {k} differs"


def test_truncated_backward_accepts_an_ensembles_cell():
    models = Ensemble(make_rnn, SEEDS)
    data = [batches(s, steps=1)[0] for s in SEEDS]
    x, y = torch.stack([d[0] for d in data]), torch.stack([d[1] for d in data])
    cell = lambda x_t, h: models.call("rnn.cells.0", x_t, h)  # noqa: E731
    loss = lambda t, h: torch.vmap(nn.functional.cross_entropy)(models.call("head", h), y).sum()  # noqa: E731
    truncated_backward(cell, x, torch.zeros(len(SEEDS), N, H), loss, 2, 3)
    for e, seed in enumerate(SEEDS):
        single = models.member(e)
        truncated_backward(single["rnn"].cells[0], x[e], torch.zeros(N, H),
                           lambda t, h: nn.functional.cross_entropy(single["head"](h), y[e]), 2, 3)
        for name, p in zip(models.names, models.stacked):
            want = single.get_parameter(name).grad
            assert torch.allclose(p.grad[e], want, atol=1e-6), f"seed {seed}, parameter {name}: TBPTT gradients differ"


def test_a_step_written_on_the_stacked_weights_is_the_members_cell():
    models = Ensemble(make_rnn, SEEDS)
    W = models.weights("rnn.cells.0")
    assert set(W) == {"W_xh", "W_hh", "b_h"} and W["W_hh"].shape == (len(SEEDS), H, H)
    x_t, h = torch.randn(len(SEEDS), N, D), torch.randn(len(SEEDS), N, H)
    written = torch.tanh(x_t @ W["W_xh"] + h @ W["W_hh"] + W["b_h"][:, None])
    assert torch.allclose(written, models.call("rnn.cells.0", x_t, h), atol=1e-6)
    written.sum().backward()
    assert all(p.grad is not None for p in W.values()), "gradients reach the ensemble's parameters"



def test_separate_runs_torch_nn_lstm_members_as_their_own_models_and_clips_each_by_its_norm():
    from course_rnn.torch.ensemble import Separate
    make = lambda: nn.LSTM(3, 4, batch_first=True)  # noqa: E731
    members = Separate(make, (0, 1))
    x = torch.randn(2, 5, 6, 3)
    out = members(x)
    for e, seed in enumerate((0, 1)):
        torch.manual_seed(seed)
        alone = make()
        assert torch.equal(out[0][e], alone(x[e])[0]), f"seed {seed}: output differs from the model built alone"
    (out[0][0].sum() * 100 + out[0][1].sum() * 0.001).backward()
    norms = members.clip_grad_norm_(1.0)
    assert norms[0] > 1 > norms[1], norms
    after = [torch.cat([p.grad.flatten() for p in members.members[e].parameters()]).norm() for e in (0, 1)]
    assert after[0] == pytest.approx(1.0, rel=1e-4) and after[1] == pytest.approx(float(norms[1]), rel=1e-6)
