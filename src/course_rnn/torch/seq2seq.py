r"""An encoder-decoder with optional Bahdanau attention (Bahdanau, Cho & Bengio 2015).

The encoder, a bidirectional GRU, reads the source $x_1 \dots x_S$ into states $h_j$ (2H). The decoder
is a GRU whose state $s_i$ starts at $s_0 = \tanh([\overrightarrow h_S; \overleftarrow h_1] W_s)$ and
reads, at output step i, the previous target token and a context $c_i$:

$$e_{ij} = v_a^\top \tanh(s_{i-1} W_a + h_j U_a), \qquad \alpha_{ij} = \frac{\exp e_{ij}}{\sum_k \exp e_{ik}},
\qquad c_i = \sum_j \alpha_{ij} h_j ,$$

$$s_i = \mathrm{GRU}([E[y_{i-1}]; c_i], s_{i-1}), \qquad o_i = [s_i; c_i] W_o + b_o .$$

Without attention (``attention=False``) the context is the same fixed vector at every step,
$c_i = [\overrightarrow h_S; \overleftarrow h_1]$: the encoder must squeeze the whole source into it (the
"RNN encoder-decoder" Bahdanau et al. compare with). Source pads (id 0) are masked: they get weight 0.
"""
import torch
from torch import nn


class AdditiveAttention(nn.Module):
    """(s_prev (N, H_s), hs (N, S, H_h), mask (N, S) bool) -> (context (N, H_h), weights (N, S))."""

    def __init__(self, query_size, key_size, attention_size):
        super().__init__()
        self.W_a = nn.Linear(query_size, attention_size, bias=False)
        self.U_a = nn.Linear(key_size, attention_size, bias=False)
        self.v_a = nn.Linear(attention_size, 1, bias=False)

    def forward(self, s_prev, hs, mask, keys=None):
        """keys: hs U_a (N, S, A) if already computed (it does not change from one output step to the next)."""
        keys = self.U_a(hs) if keys is None else keys
        e = self.v_a(torch.tanh(self.W_a(s_prev)[:, None] + keys))[..., 0]  # (N, S): e_ij
        alpha = torch.softmax(e.masked_fill(~mask, float("-inf")), dim=-1)  # pads get exactly 0
        return (alpha[:, :, None] * hs).sum(dim=1), alpha  # c_i (N, H_h)


class Seq2Seq(nn.Module):
    """Source ids (N, S) with lengths -> target logits (N, T, V_t); the decoder reads target ids."""

    def __init__(self, V_source, V_target, embedding_size=32, hidden_size=64, attention=True):
        super().__init__()
        H = hidden_size
        self.attention = AdditiveAttention(H, 2 * H, H) if attention else None
        self.source_embedding = nn.Embedding(V_source, embedding_size, padding_idx=0)
        self.target_embedding = nn.Embedding(V_target, embedding_size, padding_idx=0)
        self.encoder = nn.GRU(embedding_size, H, batch_first=True, bidirectional=True)
        self.W_s = nn.Linear(2 * H, H)
        self.decoder = nn.GRUCell(embedding_size + 2 * H, H)
        self.W_o = nn.Linear(3 * H, V_target)

    def encode(self, src, lengths):
        """src (N, S), lengths (N,) -> (hs (N, S, 2H), summary (N, 2H), mask (N, S) bool)."""
        lengths = torch.as_tensor(lengths, dtype=torch.int64).cpu()
        packed = nn.utils.rnn.pack_padded_sequence(self.source_embedding(src), lengths, batch_first=True,
                                                   enforce_sorted=False)
        out, h_n = self.encoder(packed)  # h_n (2, N, H): forward state after x_S, backward after x_1
        hs, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=src.shape[1])
        mask = torch.arange(src.shape[1])[None, :] < lengths[:, None]
        return hs, torch.cat([h_n[0], h_n[1]], dim=1), mask

    def step(self, y_prev, s_prev, memory):
        """One output step: y_prev (N,), s_prev (N, H) -> (logits (N, V_t), s (N, H), weights (N, S) or None)."""
        hs, summary, mask, keys = memory
        if self.attention is None:
            c, alpha = summary, None
        else:
            c, alpha = self.attention(s_prev, hs, mask, keys)
        s = self.decoder(torch.cat([self.target_embedding(y_prev), c], dim=1), s_prev)
        return self.W_o(torch.cat([s, c], dim=1)), s, alpha

    def start(self, src, lengths):
        """The decoder's first state s_0 (N, H) and what every step reads from the encoder."""
        hs, summary, mask = self.encode(src, lengths)
        keys = None if self.attention is None else self.attention.U_a(hs)
        return torch.tanh(self.W_s(summary)), (hs, summary, mask, keys)

    def forward(self, src, lengths, tgt_in):
        """Teacher forcing: step i reads the true tgt_in[:, i]. Returns (logits (N, T, V_t), weights (N, T, S) or None)."""
        s, memory = self.start(src, lengths)
        logits, weights = [], []
        for i in range(tgt_in.shape[1]):
            out, s, alpha = self.step(tgt_in[:, i], s, memory)
            logits.append(out)
            weights.append(alpha)
        return torch.stack(logits, dim=1), (None if self.attention is None else torch.stack(weights, dim=1))

    @torch.no_grad()
    def greedy(self, src, lengths, max_len, bos=1):
        """Free running: step i reads the model's own previous output. Returns (ids (N, max_len), weights)."""
        s, memory = self.start(src, lengths)
        y = torch.full((src.shape[0],), bos, dtype=torch.int64)
        ids, weights = [], []
        for _ in range(max_len):
            out, s, alpha = self.step(y, s, memory)
            y = out.argmax(dim=1)
            ids.append(y)
            weights.append(alpha)
        return torch.stack(ids, dim=1), (None if self.attention is None else torch.stack(weights, dim=1))


def train(model, batches, lr=3e-3, clip=1.0):
    """Adam with teacher forcing over ``batches`` of (src, lengths, tgt_in, tgt_out) tensors; pads not scored.

    Returns the training loss (nats per target token) of every step.
    """
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses = []
    for src, lengths, tgt_in, tgt_out in batches:
        logits, _ = model(src, lengths, tgt_in)
        loss = nn.functional.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt_out.reshape(-1), ignore_index=0)
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), clip)
        opt.step()
        losses.append(loss.item())
    return losses
