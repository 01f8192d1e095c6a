r"""What the papers report on the long-lag tasks, for chapters 3, 5 and 7 to set beside our own runs.

Plain data, nothing computed, nothing plotted. Every entry carries ``bibkey`` (a key of
``book/references.bib``) and ``source`` (the section, table or figure of the paper that states it). A
number is here only if the paper's own text or a table states it; where a paper shows a result only as a
curve, the entry is a ``claim`` string in our words (never the paper's sentence), with no number read off
the figure. What we looked for and could not check against the papers' text is listed in ``UNVERIFIED``:
a chapter must not quote those from memory either.

Units
-----
- ``T``: the minimal sequence length in time steps (Hochreiter & Schmidhuber: sequences are T to
  T + T/10 steps long; ``minimal_lag`` is T/2 steps).
- ``wrong_predictions``: test sequences whose absolute error at the end exceeds ``tolerance``, out of
  ``test_size`` sequences; a mean over ``trials`` runs.
- ``training_sequences``: training sequences presented until the stopping criterion held; a mean over
  ``trials`` runs (on-line learning, one sequence per weight update).
- ``tolerance``, ``mean_error_below``: absolute errors, in the units of the target (which lies in [0, 1]).
- ``error_rate_below``: a fraction in [0, 1] (0.01 is 1%).

Sources were read in these copies: Hochreiter & Schmidhuber 1997 in three independent text extractions of
the paper (their section 5.4 and Table 7 agree word for word and digit for digit); the abstracts of Le et
al. 2015 (arXiv 1504.00941), Arjovsky et al. 2016 (arXiv 1511.06464) and Linzen et al. 2016 (TACL, doi
10.1162/tacl_a_00115). Page numbers in the journal are not given: we could not see them.
"""

# Hochreiter & Schmidhuber 1997, Experiment 4 (the adding problem), section 5.4.
HOCHREITER1997_ADDING_TASK = {
    "bibkey": "hochreiter1997long",
    "source": "Hochreiter & Schmidhuber 1997, section 5.4 (Experiment 4: Adding Problem), paragraph 'Task'",
    "value_range": (-1.0, 1.0),       # the first component of each pair, uniform on this interval
    "marker_values": (1.0, 0.0, -1.0),  # the second component: 1 marks a pair, -1 the first and last pair
    "first_mark_within": 10,           # X1: one of the first ten pairs
    "second_mark_within": "T/2 - 1",   # X2: one of the first T/2 - 1 pairs still unmarked
    "length_range": ("T", "T + T/10"),  # each sequence's length is drawn between these
    "x1_if_first_pair_marked": 0.0,    # if the very first pair is the one marked, X1 is set to zero
    "target_offset": 0.5,              # target = 0.5 + (X1 + X2) / 4.0, the sum scaled into [0, 1]
    "target_scale": 0.25,
    "tolerance": 0.04,                 # a sequence counts as processed correctly below this absolute error
    "claim": "The error signal comes only at the end of the sequence; the target is the sum of the two "
             "marked values mapped affinely onto [0, 1].",
}

HOCHREITER1997_ADDING_SETUP = {
    "bibkey": "hochreiter1997long",
    "source": "Hochreiter & Schmidhuber 1997, section 5.4, paragraphs 'Architecture', 'State drift versus "
              "initial bias' and 'Training/Testing'",
    "inputs": 2,
    "outputs": 1,
    "cell_blocks": 2,
    "cells_per_block": 2,
    "weights": 93,                       # also the '# weights' column of Table 7
    "weight_init_range": (-0.1, 0.1),    # all weights, bias weights included
    "input_gate_biases": (-3.0, -6.0),   # the first and the second block's input gate
    "learning_rate": 0.5,
    "stop_mean_training_error_below": 0.01,
    "stop_recent_sequences_all_correct": 2000,  # and the 2000 most recent training sequences all correct
    "claim": "Training stops once the average training error is under 0.01 and each of the 2000 most "
             "recent training sequences was processed correctly (absolute error under 0.04).",
}

_TABLE7 = {"bibkey": "hochreiter1997long", "trials": 10, "tolerance": 0.04, "weights": 93, "test_size": 2560,
           "source": "Hochreiter & Schmidhuber 1997, Table 7 (Experiment 4: results for the adding problem), "
                     "section 5.4; every value is a mean of 10 trials"}
HOCHREITER1997_TABLE7 = [
    {**_TABLE7, "T": 100, "minimal_lag": 50, "wrong_predictions": 1, "training_sequences": 74_000},
    {**_TABLE7, "T": 500, "minimal_lag": 250, "wrong_predictions": 0, "training_sequences": 209_000},
    {**_TABLE7, "T": 1000, "minimal_lag": 500, "wrong_predictions": 1, "training_sequences": 853_000},
]

HOCHREITER1997_ADDING_RESULTS = {
    "bibkey": "hochreiter1997long",
    "source": "Hochreiter & Schmidhuber 1997, section 5.4, paragraph 'Results', and the caption of Table 7",
    "test_size": 2560,
    "mean_error_below": 0.01,          # the average test-set error, in every run
    "wrong_predictions_at_most": 3,    # in every run
    "T1000_training_sequences_range": (370_000, 2_020_000),  # over the 10 trials at T = 1000
    "T1000_trials_above_700000": 3,
    "claim": "On 2560 random test sequences the average error stayed under 0.01 in every run and no run "
             "processed more than 3 sequences wrongly; at T = 1000 the training sequences needed ranged "
             "from 370,000 to 2,020,000 and passed 700,000 in only 3 of the 10 trials.",
}

# Le, Jaitly & Hinton 2015. Only the abstract could be read; see UNVERIFIED.
LE2015_CLAIMS = [
    {"bibkey": "le2015simple",
     "source": "Le, Jaitly & Hinton 2015 (arXiv 1504.00941), Abstract",
     "claim": "A recurrent net of ReLUs whose recurrent matrix starts as the identity (or a scaled "
              "identity) performs comparably to an LSTM on the paper's four benchmarks, two of which are "
              "toy problems with long-range temporal structure."},
]

# Arjovsky, Shah & Bengio 2016. Only the abstract could be read; see UNVERIFIED.
ARJOVSKY2016_CLAIMS = [
    {"bibkey": "arjovsky2016unitary",
     "source": "Arjovsky, Shah & Bengio 2016 (arXiv 1511.06464), Abstract",
     "claim": "The unitary-evolution RNN (its recurrent matrix is kept unitary, so every eigenvalue has "
              "modulus 1, and its hidden state is complex) is said to beat the best earlier results on "
              "several difficult tasks that need memory over very many steps."},
]

# Linzen, Dupoux & Goldberg 2016. Only the abstract could be read; see UNVERIFIED.
LINZEN2016_CLAIMS = [
    {"bibkey": "linzen2016assessing",
     "source": "Linzen, Dupoux & Goldberg 2016, TACL 4, Abstract",
     "setting": "strongly supervised (number prediction, grammaticality judgement)",
     "error_rate_below": 0.01,
     "claim": "With strong supervision the LSTM's overall error rate on English subject-verb number "
              "agreement is under 1%; its errors become more frequent where the sequential and the "
              "structural cues disagree, and much more frequent when it is trained as a language model."},
]

# Graves 2013, section 3.2 and Table 2: a character-level LSTM on the Hutter Prize Wikipedia data (chapter 8).
# Read in a re-typed copy of the paper and in a forum post that quotes Table 2 with its headings.
GRAVES2013_WIKIPEDIA = {
    "bibkey": "graves2013generating",
    "source": "Graves 2013, section 3.2 (Wikipedia) and Table 2",
    "corpus": "Hutter Prize Wikipedia: 96M bytes for training, 4M for validation, 205 symbols",
    "training_bytes": 96_000_000,
    "hidden_layers": 7,
    "cells_per_layer": 700,
    "weights": 21_300_000,
    "train_bits_per_character": 1.42,
    "validation_bits_per_character": 1.67,          # static evaluation
    "validation_bits_per_character_dynamic": 1.33,  # dynamic evaluation: the weights keep learning on the validation text
    "claim": "A deep LSTM predicting raw Wikipedia text one byte at a time reaches 1.67 bits per character "
             "on held-out text, and fewer when it keeps adapting to the text it evaluates.",
}

# Bahdanau, Cho & Bengio 2015: attention against the fixed-length encoder (chapter 8).
BAHDANAU2015_CLAIMS = [
    {"bibkey": "bahdanau2015neural",
     "source": "Bahdanau, Cho & Bengio 2015, section 5.1 and Figure 2",
     "claim": "The encoder-decoder without attention translates worse and worse as the source sentence "
              "grows longer, while the attention model trained on sentences of up to 50 words shows no "
              "such drop, even for sentences of 50 words or more."},
    {"bibkey": "bahdanau2015neural",
     "source": "Bahdanau, Cho & Bengio 2015, section 3.1 and Appendix A.1.2",
     "claim": "The alignment score of decoder state s and annotation h is a one-hidden-layer network, "
              "v_a' tanh(W_a s + U_a h), trained jointly with the rest; U_a h does not depend on the "
              "output step and can be computed once per source."},
]

# Ranzato, Chopra, Auli & Zaremba 2016: the name of the train/test mismatch of teacher forcing (chapter 8).
RANZATO2016_CLAIMS = [
    {"bibkey": "ranzato2016sequence",
     "source": "Ranzato et al. 2016, Section 1",
     "claim": "A model trained only on the true previous words but run on its own predictions meets, at "
              "test time, inputs unlike those it was trained on; the paper calls this mismatch exposure bias."},
]

ENTRIES = ([HOCHREITER1997_ADDING_TASK, HOCHREITER1997_ADDING_SETUP, HOCHREITER1997_ADDING_RESULTS]
           + HOCHREITER1997_TABLE7 + LE2015_CLAIMS + ARJOVSKY2016_CLAIMS + LINZEN2016_CLAIMS
           + [GRAVES2013_WIKIPEDIA] + BAHDANAU2015_CLAIMS + RANZATO2016_CLAIMS)

# Looked for and not found in any copy of the paper's text we could read: not to be quoted as the paper's.
UNVERIFIED = (
    "le2015simple: the adding problem's details (sequence lengths, the baseline MSE of always answering "
    "1, any success criterion, training and test set sizes, hidden size, optimiser, learning rates, "
    "gradient clipping) and which model converged at which length.",
    "arjovsky2016unitary: the copying memory problem's layout (number of symbols and categories, the "
    "delays T), the memoryless baseline and its formula, hidden sizes, what the LSTM and the tanh RNN "
    "reached at each T, and the adding-problem results.",
    "linzen2016assessing: any number beyond the abstract's (error rates against the distance between "
    "subject and verb and against the number of attractors; the noun-only baseline).",
    "hochreiter1997long: the page numbers of section 5.4 and Table 7 in Neural Computation 9(8).",
    "karpathy2015visualizing: the table of test cross-entropies of RNN, GRU and LSTM on War and Peace and "
    "the Linux kernel, its units, the model sizes and the data splits: no copy of the paper's body could be read.",
    "graves2013generating: Table 1 (Penn Treebank) and the size of its character network, whose copy we read "
    "is garbled.",
    "ranzato2016sequence: the sentence that names exposure bias was read in a verbatim quotation, not in the PDF.",
)
