r"""Several seeds of one model, trained as one: the same runs, in one Python loop.

A course comparison needs several seeds, and a small RNN's training time is Python's loop over
time steps, not arithmetic: three seeds one after another cost three loops, three seeds side by
side cost about one. ``Ensemble`` builds one member per seed (``torch.manual_seed(seed)`` then
``make()``, exactly as a single run would), stacks their parameters along a new first axis of
size E, and runs every member at once with ``torch.func.vmap``.

Training stays the single run's training, member by member:
- the loss to backpropagate is the **sum** of the members' losses, so member e's gradient is the
  gradient of its own loss;
- Adam, RMSProp, momentum and SGD act elementwise, so one optimizer over the stacked parameters
  steps every member as its own optimizer would;
- ``clip_grad_norm_`` clips each member's gradient by that member's own norm.
Results agree with separate runs up to float rounding (the order of a sum may change), which a
chaotic training run can amplify; ``tests/test_ensemble.py`` checks the agreement.
"""
import copy

import torch
from torch import nn
from torch.func import functional_call, stack_module_state, vmap


class Ensemble(nn.Module):
    """E = len(seeds) members built by ``make()``; every input and output has a leading axis E."""

    def __init__(self, make, seeds):
        super().__init__()
        members = []
        for seed in seeds:
            torch.manual_seed(seed)
            members.append(make())
        params, buffers = stack_module_state(members)
        self.seeds = tuple(seeds)
        self.names = list(params)
        self.stacked = nn.ParameterList(nn.Parameter(p.detach().clone()) for p in params.values())
        self.buffer_names, self.buffers_ = list(buffers), list(buffers.values())
        self._template = [members[0].to("meta")]  # a list, so that nn.Module does not register it

    def __len__(self):
        return len(self.seeds)

    def _state(self, path):
        """Stacked parameters and buffers of the submodule at ``path``, keyed relative to it."""
        cut = len(path) + 1 if path else 0
        buffers = {n[cut:]: b for n, b in zip(self.buffer_names, self.buffers_) if not path or n.startswith(path + ".")}
        return {**self.weights(path), **buffers}

    def call(self, path, *args):
        """Run the members' submodule at ``path`` ("" for the whole model; "rnn.cells.0", "head").

        Every tensor in ``args`` has a leading axis E (use ``x.expand(len(ensemble), *x.shape)`` for an
        input that all members share); tuples of tensors are mapped the same way. Returns the
        submodule's output with a leading axis E.
        """
        module = self._template[0].get_submodule(path)
        run = lambda state, *a: functional_call(module, state, a)  # noqa: E731
        return vmap(run)(self._state(path), *args)

    def forward(self, *args):
        """The whole model, for every member: inputs and outputs with a leading axis E."""
        return self.call("", *args)

    def weights(self, path=""):
        """The stacked parameters of the submodule at ``path``, by name relative to it: each (E, ...).

        For writing a step out for every member at once, without vmap: with W = weights("rnn.cells.0"),
        ``torch.tanh(x_t @ W["W_xh"] + h @ W["W_hh"] + W["b_h"][:, None])`` for x_t (E, N, D), h (E, N, H).
        These are the ensemble's own parameters, so gradients reach them as through ``call``.
        """
        cut = len(path) + 1 if path else 0
        return {n[cut:]: p for n, p in zip(self.names, self.stacked) if not path or n.startswith(path + ".")}

    def grad_norms(self):
        """(E,) the norm of each member's gradient over all its parameters."""
        squares = [p.grad.pow(2).flatten(1).sum(1) for p in self.stacked if p.grad is not None]
        return torch.stack(squares).sum(0).sqrt()

    @torch.no_grad()
    def clip_grad_norm_(self, max_norm):
        """``nn.utils.clip_grad_norm_`` on each member separately; returns the (E,) norms before clipping."""
        norms = self.grad_norms()
        scale = (max_norm / (norms + 1e-6)).clamp(max=1.0)  # the same rule as torch's, per member
        for p in self.stacked:
            if p.grad is not None:
                p.grad.mul_(scale.view(-1, *[1] * (p.dim() - 1)))
        return norms

    def member(self, e):
        """Member e as an ordinary module (a copy of its weights), e.g. to inspect or plot one seed."""
        module = copy.deepcopy(self._template[0]).to_empty(device=self.stacked[0].device)
        state = {n: p[e].detach().clone() for n, p in zip(self.names, self.stacked)}
        state.update({n: b[e].clone() for n, b in zip(self.buffer_names, self.buffers_)})
        module.load_state_dict(state)
        return module


class Separate(nn.Module):
    """``Ensemble``'s interface for a model that ``vmap`` cannot batch (``torch.nn.LSTM``'s fused kernel
    has no batching rule): the members are ordinary modules, run one after another.

    Member e is built as in ``Ensemble``; one optimizer over ``parameters()`` steps each member as its
    own would, since the members share no parameter.
    """

    def __init__(self, make, seeds):
        super().__init__()
        members = []
        for seed in seeds:
            torch.manual_seed(seed)
            members.append(make())
        self.seeds = tuple(seeds)
        self.members = nn.ModuleList(members)

    def __len__(self):
        return len(self.seeds)

    def forward(self, *args):
        """Member e on ``args[...][e]``: every input and every output tensor have a leading axis E."""
        return _stack([m(*(a[e] for a in args)) for e, m in enumerate(self.members)])

    def clip_grad_norm_(self, max_norm):
        """``nn.utils.clip_grad_norm_`` on each member separately; returns the (E,) norms before clipping."""
        return torch.stack([nn.utils.clip_grad_norm_(m.parameters(), max_norm) for m in self.members])

    def member(self, e):
        """Member e (a copy), as ``Ensemble.member`` returns it."""
        return copy.deepcopy(self.members[e])


def _stack(outputs):
    """The members' outputs stacked on a new first axis, tuples element by element (as ``vmap`` returns them)."""
    if isinstance(outputs[0], tuple):
        return tuple(_stack(list(parts)) for parts in zip(*outputs))
    return torch.stack(outputs)
