r"""The constant error carousel alone: the product of an LSTM's forget gates along a trajectory.

With $h_{t-1}$ held fixed, {eq}`eq-lstm-cell` gives $\partial c_t / \partial c_{t-1} = \operatorname{diag}(f_t)$,
so over a lag k the path along the cell alone contributes

$$\prod_{s=T-k+1}^{T} \operatorname{diag}(f_s),$$

a diagonal matrix whose spectral norm is its largest entry. ``jacobians.state_jacobian_norms`` measures the
whole derivative $\partial c_T / \partial c_{T-k}$, every path (also through $h$ and the gates); with
$W_h = 0$ and no peepholes the two are equal.
"""
import torch


def forget_gates(cell, x, state0):
    r"""The forget gates of an ``LSTMCell`` run over x, recomputed from its own weights.

    Inputs: cell, a ``course_rnn.torch.LSTMCell``; x (N, T, D); state0 = (h_0, c_0), each (N, H).
    Returns f (N, T, H): ``f[:, t - 1]`` is $f_t = \sigma(a^f_t)$ ($+\, w_{cf} \odot c_{t-1}$ with peepholes).
    """
    if x.dim() != 3 or len(state0) != 2:
        raise ValueError(f"x must have shape (N, T, D) and state0 must be (h_0, c_0); got x of shape "
                         f"{tuple(x.shape)} and a state of {len(state0)} tensors")
    h, c = state0
    H = h.shape[1]
    block = slice(H, 2 * H)                                    # the forget block of [i | f | g | o]
    gates = []
    with torch.no_grad():
        for t in range(x.shape[1]):
            a_f = x[:, t] @ cell.W_x[:, block] + cell.b_x[block] + h @ cell.W_h[:, block] + cell.b_h[block]
            gates.append(torch.sigmoid(a_f + (cell.w_cf * c if cell.peepholes else 0.0)))   # (N, H)
            h, c = cell(x[:, t], h, c)
    return torch.stack(gates, dim=1)                           # (N, T, H)


def carousel_norms(cell, x, state0):
    r"""Mean over the batch of $\lVert \prod_{s=T-k+1}^{T} \operatorname{diag}(f_s) \rVert_2 = \max_j \prod_s f_{s,j}$
    for k = 1, ..., T: the carousel path alone.

    Inputs as ``forget_gates``. Returns a tensor (T,), entry k - 1 for lag k (as ``state_jacobian_norms``).
    """
    f = forget_gates(cell, x, state0)                          # (N, T, H)
    products = f.flip(1).cumprod(dim=1)                        # (N, T, H): [:, k - 1] = f_T ... f_(T-k+1)
    return products.amax(dim=2).mean(dim=0)                    # (T,)
