r"""A text classifier: word embeddings, an LSTM over the words, a linear read-out of its last state.

Reviews of different lengths are padded into one (N, T) array of ids (``course_rnn.text.pad``). An
RNN that reads the array as it is also reads the pads, and its "last" state is the state after the
pads. With ``lengths`` the module packs the batch (``nn.utils.rnn.pack_padded_sequence``): the
LSTM then stops at each review's own last word, and $h_n$ is

$$h_{\ell_n} \text{ of review } n, \qquad \ell_n = \text{its length},$$

exactly what the review read alone would give. Without ``lengths`` it reads every position and
returns the read-out of the state at position T (what an RNN that ignores the mask does).
"""
import torch
from torch import nn


class ReviewClassifier(nn.Module):
    """Embedding (V, E) with id 0 (<pad>) fixed at zero -> LSTM (E -> H) -> Linear (H -> n_classes)."""

    def __init__(self, V, embedding_size, hidden_size, n_classes=2):
        super().__init__()
        self.embedding = nn.Embedding(V, embedding_size, padding_idx=0)
        self.lstm = nn.LSTM(embedding_size, hidden_size, batch_first=True)
        self.head = nn.Linear(hidden_size, n_classes)

    def forward(self, ids, lengths=None):
        """ids (N, T) int64, lengths (N,) int64 or None -> logits (N, n_classes).

        With ``lengths`` the pads are skipped (packed); without, the LSTM reads all T positions.
        """
        if ids.dim() != 2:
            raise ValueError(f"ids must have shape (N, T); got {tuple(ids.shape)}")
        vectors = self.embedding(ids)  # (N, T, E)
        if lengths is None:
            out, _ = self.lstm(vectors)  # (N, T, H): pads read like words
            return self.head(out[:, -1])
        lengths = torch.as_tensor(lengths, dtype=torch.int64).cpu()  # pack_padded_sequence wants CPU lengths
        if lengths.shape != ids.shape[:1] or int(lengths.min()) < 1 or int(lengths.max()) > ids.shape[1]:
            raise ValueError(f"lengths must be (N,) = ({ids.shape[0]},) with values in 1..T={ids.shape[1]}; "
                             f"got shape {tuple(lengths.shape)}")
        packed = nn.utils.rnn.pack_padded_sequence(vectors, lengths, batch_first=True, enforce_sorted=False)
        _, (h_n, _) = self.lstm(packed)  # h_n (1, N, H): each review's state after its own last word
        return self.head(h_n[0])
