r"""How strongly a recurrent cell's final state depends on each earlier state, measured by autograd.

For a cell called as ``cell(x_t, *state)`` (``RNNCell``, ``GRUCell``: state (h,); ``LSTMCell``: (h, c)),
run over x, this returns, for every lag k = 1, ..., T, the spectral norm of

$$\frac{\partial s_T}{\partial s_{T-k}}$$

for one component s of the state (h, or the LSTM's cell state c), averaged over the batch. The derivative
is the total one: every path from $s_{T-k}$ to $s_T$ counts (for c, also the path through $h$).
"""
import torch


def state_jacobian_norms(cell, x, state0, component=0):
    """Mean spectral norm of ∂s_T/∂s_(T-k) for k = 1..T.

    Inputs: cell (a module, float64 recommended); x (N, T, D); state0 a tuple of (N, H) tensors;
    component: which part of the state, 0 for h, 1 for the LSTM's c.
    Returns a float64 tensor (T,), entry k - 1 for lag k. Costs H backward passes.
    """
    state = tuple(s.clone().requires_grad_() for s in state0)
    trail = [state[component]]  # s_0, s_1, ..., s_T
    for t in range(x.shape[1]):
        out = cell(x[:, t], *state)
        state = out if isinstance(out, tuple) else (out,)
        trail.append(state[component])
    final, earlier = trail[-1], trail[:-1]
    H = final.shape[1]
    rows = [torch.autograd.grad(final[:, j].sum(), earlier, retain_graph=True) for j in range(H)]
    jac = torch.stack([torch.stack(row) for row in rows], dim=2)  # (T, N, H, H): [t, n, j, :] = ∂s_T[j]/∂s_t
    norms = torch.linalg.matrix_norm(jac, ord=2).mean(dim=1)  # (T,) over t = 0..T-1
    return norms.flip(0).detach()  # lag k = T - t
