"""An Ensemble of Jordan networks (chapter 1's Elman-against-Jordan runs) trains each member as its own run."""
import torch
from torch import nn

from course_rnn.torch import Ensemble, JordanRNN

SEEDS = (0, 1, 2)
D, H, O, N, T = 3, 5, 2, 4, 6


def batches(seed, steps=4):
    g = torch.Generator().manual_seed(100 + seed)
    return [(torch.randn(N, T, D, generator=g), torch.randint(0, O, (N,), generator=g)) for _ in range(steps)]


def separate_run(seed):
    torch.manual_seed(seed)
    model = JordanRNN(D, H, O)
    optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
    for x, y in batches(seed):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x)[1][:, -1], y).backward()
        nn.utils.clip_grad_norm_(model.parameters(), 0.1)  # 0.1 clips on every step
        optimizer.step()
    return model


def test_jordan_members_start_as_their_seeds_models_and_give_their_outputs():
    models = Ensemble(lambda: JordanRNN(D, H, O), SEEDS)
    x = torch.randn(N, T, D)
    hs, ys = models(x.expand(len(models), *x.shape))  # (E, N, T, H), (E, N, T, O)
    for e, seed in enumerate(SEEDS):
        torch.manual_seed(seed)
        want_hs, want_ys = JordanRNN(D, H, O)(x)
        assert torch.allclose(hs[e], want_hs, atol=1e-6) and torch.allclose(ys[e], want_ys, atol=1e-6), \
            f"seed {seed}: the Jordan member's outputs differ from its own model's"


def test_jordan_members_train_as_separate_runs():
    models = Ensemble(lambda: JordanRNN(D, H, O), SEEDS)
    optimizer = torch.optim.Adam(models.parameters(), lr=0.05)
    data = [batches(s) for s in SEEDS]
    for step in range(len(data[0])):
        x = torch.stack([d[step][0] for d in data])  # (E, N, T, D)
        y = torch.stack([d[step][1] for d in data])  # (E, N)
        optimizer.zero_grad()
        torch.vmap(nn.functional.cross_entropy)(models(x)[1][:, :, -1], y).sum().backward()
        models.clip_grad_norm_(0.1)
        optimizer.step()
    for e, seed in enumerate(SEEDS):
        got, want = models.member(e).state_dict(), separate_run(seed).state_dict()
        for name in want:
            err = (got[name] - want[name]).abs().max().item()
            assert err <= 1e-5, f"seed {seed}, parameter {name}: ensemble and separate run differ by {err:.2e}"
