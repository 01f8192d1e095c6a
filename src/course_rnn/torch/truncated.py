r"""Truncated backpropagation through time, TBPTT(k1, k2), with autograd.

Each step's graph starts from a detached copy of the previous state, so the chain between
steps is ours to follow: every $k_1$ steps, the losses of the last $k_1$ steps are
backpropagated through the last $k_2 \ge k_1$ steps and no further. Gradients accumulate in
``.grad`` like ``loss.backward()``; the caller steps the optimizer.
"""
import torch

from ..numpy.truncated import windows


def truncated_backward(cell, x, h0, loss_fn, k1, k2):
    """Run ``cell`` over ``x`` and backpropagate TBPTT(k1, k2); parameters are held fixed.

    Inputs:
    - cell: maps (x_t (N, D), h_prev (N, H)) -> h (N, H), e.g. ``RNN(...).cells[0]``.
    - x: (N, T, D); h0: (N, H). Leading axes are kept: an ``Ensemble``'s cell takes x (E, N, T, D)
      and h0 (E, N, H), and its loss_fn returns the sum of the members' losses.
    - loss_fn(t, h_t) -> scalar loss of step t (0-based), or None for no loss at t.

    Returns the list of states (N, H), detached, and the total loss (a float).
    """
    states = [h0.detach().requires_grad_()]  # states[t + 1] is h_t, a leaf that feeds step t + 1
    outputs = []                             # outputs[t] is h_t inside step t's own graph
    total = 0.0
    for t in range(x.shape[-2]):
        outputs.append(cell(x[..., t, :], states[-1]))
        states.append(outputs[-1].detach().requires_grad_())
    for end, first_loss, first_step in windows(x.shape[-2], k1, k2):
        for s in states:
            s.grad = None
        losses = [loss_fn(t, states[t + 1]) for t in range(first_loss, end + 1)]
        loss = sum(l for l in losses if l is not None)
        if not torch.is_tensor(loss):
            continue
        loss.backward()  # dL/dh_t for the window's losses, into states[t + 1].grad
        total += loss.item()
        for t in reversed(range(first_step, end + 1)):  # chain back through k2 steps, then stop
            grad = states[t + 1].grad
            if grad is not None:
                outputs[t].backward(grad, retain_graph=True)  # adds to the parameters and states[t].grad
    return [s.detach() for s in states[1:]], total
