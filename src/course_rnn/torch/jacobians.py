r"""How strongly a recurrent network's final state or output depends on earlier states and inputs, by autograd.

For a cell called as ``cell(x_t, *state)`` (``RNNCell``, ``GRUCell``: state (h,); ``LSTMCell``: (h, c)),
run over x, this returns, for every lag k = 1, ..., T, the spectral norm of

$$\frac{\partial s_T}{\partial s_{T-k}}$$

for one component s of the state (h, or the LSTM's cell state c), averaged over the batch. The derivative
is the total one: every path from $s_{T-k}$ to $s_T$ counts (for c, also the path through $h$).
``input_reach`` asks the same of a whole network: how much its last output depends on each input
$x_{T-k}$ (chapter 7).
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


def input_reach(network, x, direction):
    r"""How much the last output depends on each input: the mean over the batch of

    $$\left\lVert \frac{\partial\, (r \cdot o_T)}{\partial x_{T-k}} \right\rVert, \qquad k = 0, \dots, T-1.$$

    Inputs: network, a batch-first module called as ``network(x)`` whose first result is the outputs
    (N, T, H); x (N, T, D); direction r (N, H), the fixed random direction the last output is read along.
    Returns a NumPy array (T,), entry k for lag k. The network's parameters get no gradient.
    """
    x = x.detach().clone().requires_grad_()
    last = network(x)[0][:, -1]                          # (N, H): o_T
    (dx,) = torch.autograd.grad((last * direction).sum(), x)
    return dx.norm(dim=2).mean(0).flip(0).numpy()        # (T,): t = T-1-k
