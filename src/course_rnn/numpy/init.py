r"""Weight initialisations for RNNs. Each takes a shape (fan_in, fan_out) and a generator.

- ``lecun``: $\mathcal N(0, 1/n_\text{in})$, the "1/n" scaling often called Xavier in course notes;
- ``xavier_uniform``: Glorot & Bengio's (2010) "normalized initialization",
  $U\big(\pm\sqrt{6/(n_\text{in} + n_\text{out})}\big)$, variance $2/(n_\text{in} + n_\text{out})$, as
  ``torch.nn.init.xavier_uniform_``;
- ``xavier``: the normal distribution with the same variance, $\mathcal N(0, 2/(n_\text{in} + n_\text{out}))$,
  as ``torch.nn.init.xavier_normal_`` (the paper itself uses the uniform form);
- ``he``: He et al. (2015), $\mathcal N(0, 2/n_\text{in})$, for ReLU;
- ``orthogonal``: Saxe et al. (2014), a random orthogonal matrix (all singular values 1);
- ``identity``: Le et al. (2015), $W_{hh} = s I$, with ReLU the IRNN.
"""
import numpy as np


def lecun(shape, rng):
    return np.random.default_rng(rng).normal(0.0, np.sqrt(1.0 / shape[0]), size=shape)


def xavier(shape, rng):
    return np.random.default_rng(rng).normal(0.0, np.sqrt(2.0 / (shape[0] + shape[1])), size=shape)


def xavier_uniform(shape, rng):
    limit = np.sqrt(6.0 / (shape[0] + shape[1]))
    return np.random.default_rng(rng).uniform(-limit, limit, size=shape)


def he(shape, rng):
    return np.random.default_rng(rng).normal(0.0, np.sqrt(2.0 / shape[0]), size=shape)


def orthogonal(shape, rng, gain=1.0):
    """A matrix with orthonormal rows or columns (QR of a Gaussian, signs fixed so it is uniform)."""
    rows, cols = shape
    a = np.random.default_rng(rng).standard_normal((max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(a)
    q *= np.sign(np.diag(r))  # makes the distribution uniform (Haar), as torch.nn.init.orthogonal_
    return gain * (q if rows >= cols else q.T)


def identity(shape, rng=None, scale=1.0):
    if shape[0] != shape[1]:
        raise ValueError(f"identity needs a square shape (H, H); got {shape}")
    return scale * np.eye(shape[0])


SCHEMES = {"lecun": lecun, "xavier": xavier, "xavier_uniform": xavier_uniform, "he": he, "orthogonal": orthogonal, "identity": identity}


def rnn_params(D, H, rng, recurrent="orthogonal", inputs="xavier", scale=1.0):
    """Elman RNN params with ``inputs`` for W_xh (D, H), ``recurrent`` for W_hh (H, H) times ``scale``, b_h = 0."""
    rng = np.random.default_rng(rng)
    for name in (recurrent, inputs):
        if name not in SCHEMES:
            raise ValueError(f"unknown initialisation {name!r}; choose from {sorted(SCHEMES)}")
    return {"W_xh": SCHEMES[inputs]((D, H), rng), "W_hh": scale * SCHEMES[recurrent]((H, H), rng),
            "b_h": np.zeros(H)}
