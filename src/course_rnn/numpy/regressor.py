r"""An LSTM regressor in NumPy: the last hidden state through a linear read-out, squared error.

The model of the adding problem (``course_rnn.data.adding_problem``), small enough to train with
the NumPy optimizers of ``course_rnn.numpy.optim``. With $h_T$ the LSTM's last state (N, H):

$$\hat y = h_T W_{hy} + b_y, \qquad L = \frac{1}{N} \sum_{n=1}^{N} (\hat y_n - y_n)^2 .$$

Params: the LSTM's ``W_x`` (D, 4H), ``W_h`` (H, 4H), ``b_x``, ``b_h`` (4H,) and the read-out's
``W_hy`` (H, 1), ``b_y`` (1,). The LSTM starts from zero states.
"""
import numpy as np

from . import lstm

LSTM_KEYS = ("W_x", "W_h", "b_x", "b_h")


def init_params(D, H, rng, forget_bias=1.0, dtype=np.float64):
    """LSTM params as ``lstm.init_params`` (forget-gate bias raised by ``forget_bias``) and a read-out
    U(-1/sqrt(H), 1/sqrt(H)), as ``torch.nn.Linear``."""
    rng = np.random.default_rng(rng)
    params = lstm.init_params(D, H, rng, forget_bias=forget_bias, dtype=dtype)
    k = 1.0 / np.sqrt(H)
    params["W_hy"] = rng.uniform(-k, k, size=(H, 1)).astype(dtype)
    params["b_y"] = rng.uniform(-k, k, size=(1,)).astype(dtype)
    return params


def predict(params, x):
    """x (N, T, D) -> (y_hat (N,), cache): the read-out of the last state."""
    N, H = x.shape[0], params["W_h"].shape[0]
    zeros = np.zeros((N, H), dtype=x.dtype)
    hs, lstm_cache = lstm.forward(x, zeros, zeros, {k: params[k] for k in LSTM_KEYS})  # (N, T, H)
    y_hat = hs[:, -1] @ params["W_hy"][:, 0] + params["b_y"][0]  # (N,)
    return y_hat, (hs, lstm_cache)


def loss_and_grads(params, x, y):
    """x (N, T, D), y (N,) -> (L, grads): the mean squared error and its gradient for every param."""
    y_hat, (hs, lstm_cache) = predict(params, x)
    err = y_hat - y  # (N,)
    dy_hat = 2 * err / len(y)  # dL/dy_hat
    dhs = np.zeros_like(hs)  # (N, T, H): the loss reads h_T only
    dhs[:, -1] = np.outer(dy_hat, params["W_hy"][:, 0])
    grads = lstm.backward(dhs, lstm_cache)[3]
    grads["W_hy"] = hs[:, -1].T @ dy_hat[:, None]  # (H, 1)
    grads["b_y"] = dy_hat.sum(keepdims=True)  # (1,)
    return float(np.mean(err ** 2)), grads


def from_torch(lstm_module, linear):
    """Params (float64) copied from a one-layer ``torch.nn.LSTM`` and a ``torch.nn.Linear(H, 1)``."""
    params = lstm.from_torch(lstm_module)
    params["W_hy"] = linear.weight.detach().double().numpy().T.copy()  # (H, 1)
    params["b_y"] = linear.bias.detach().double().numpy().copy()  # (1,)
    return params
