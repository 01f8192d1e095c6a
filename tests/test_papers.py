"""The papers' reported numbers: each names its source and a real bib entry, sits in plausible units, and
agrees with what the same paper says elsewhere (a table against its caption and its Results paragraph)."""
import re
from pathlib import Path

import pytest

from course_rnn.experiments import papers

ROOT = Path(__file__).resolve().parent.parent
BIB_KEYS = set(re.findall(r"^@\w+\{([^,\s]+),", (ROOT / "book/references.bib").read_text(), re.M))
WHERE = re.compile(r"\b(?:[Ss]ection \d+(?:\.\d+)*|Table \d+|Figure \d+|Abstract)\b")


@pytest.mark.parametrize("entry", papers.ENTRIES, ids=lambda e: e["source"][:60])
def test_every_entry_names_a_bib_key_of_the_book_and_where_in_the_paper_it_is_stated(entry):
    assert entry["bibkey"] in BIB_KEYS, f"{entry['bibkey']!r} is not a key of book/references.bib"
    assert WHERE.search(entry["source"]), f"source names no section, table, figure or abstract: {entry['source']!r}"


def test_every_claim_is_our_paraphrase_of_a_bounded_length():
    claims = [e["claim"] for e in papers.ENTRIES if "claim" in e]
    assert claims and all(20 <= len(c) <= 400 for c in claims)
    assert not any('"' in c or "\u201c" in c for c in claims), "a claim must not quote the paper"


def test_the_papers_of_the_long_lag_and_language_model_chapters_are_all_present():
    assert {e["bibkey"] for e in papers.ENTRIES} == {
        "hochreiter1997long", "le2015simple", "arjovsky2016unitary", "linzen2016assessing",
        "graves2013generating", "bahdanau2015neural", "ranzato2016sequence"}


def test_graves_table2_is_in_bits_per_character_and_dynamic_evaluation_is_better():
    g = papers.GRAVES2013_WIKIPEDIA
    assert 0 < g["validation_bits_per_character_dynamic"] < g["validation_bits_per_character"] < 8
    assert g["train_bits_per_character"] < g["validation_bits_per_character"]


def test_table7_minimal_lag_is_half_the_minimal_length_as_its_caption_says():
    assert [row["T"] for row in papers.HOCHREITER1997_TABLE7] == [100, 500, 1000]
    assert all(row["minimal_lag"] * 2 == row["T"] for row in papers.HOCHREITER1997_TABLE7)


def test_table7_agrees_with_the_results_paragraph_and_the_setup():
    results, setup = papers.HOCHREITER1997_ADDING_RESULTS, papers.HOCHREITER1997_ADDING_SETUP
    for row in papers.HOCHREITER1997_TABLE7:
        assert row["test_size"] == results["test_size"] == 2560
        assert 0 <= row["wrong_predictions"] <= results["wrong_predictions_at_most"]
        assert row["weights"] == setup["weights"]
        assert row["tolerance"] == papers.HOCHREITER1997_ADDING_TASK["tolerance"]
    low, high = results["T1000_training_sequences_range"]
    (t1000,) = [row for row in papers.HOCHREITER1997_TABLE7 if row["T"] == 1000]
    assert low <= t1000["training_sequences"] <= high, "a mean of 10 trials lies within their range"
    assert results["T1000_trials_above_700000"] <= t1000["trials"]


def test_table7_error_rates_are_fractions_of_the_test_set():
    for row in papers.HOCHREITER1997_TABLE7:
        rate = row["wrong_predictions"] / row["test_size"]
        assert 0.0 <= rate < 0.002, f"T = {row['T']}: {rate:.4f} wrong is not what the table says (at most 3 in 2560)"


def test_hochreiter_target_scaling_maps_every_possible_sum_onto_0_1():
    task = papers.HOCHREITER1997_ADDING_TASK
    lo, hi = task["value_range"]
    ends = [task["target_offset"] + task["target_scale"] * s for s in (2 * lo, 2 * hi)]
    assert ends == [0.0, 1.0], "0.5 + (X1 + X2)/4 takes [-2, 2] exactly onto [0, 1]"
    assert task["tolerance"] < 0.5 * (hi - lo) * task["target_scale"], "the tolerance is finer than the target's range"


def test_stopping_criterion_is_the_one_in_the_training_paragraph():
    setup = papers.HOCHREITER1997_ADDING_SETUP
    assert setup["stop_mean_training_error_below"] == 0.01
    assert setup["stop_recent_sequences_all_correct"] == 2000
    assert setup["cell_blocks"] * setup["cells_per_block"] == 4
    assert len(setup["input_gate_biases"]) == setup["cell_blocks"]


def test_linzen_error_rate_is_a_fraction():
    (entry,) = papers.LINZEN2016_CLAIMS
    assert 0.0 < entry["error_rate_below"] <= 1.0


def test_the_le_and_arjovsky_gaps_are_declared_rather_than_filled():
    # Their task numbers could not be checked against the papers' text: no entry may carry one.
    numeric = {k for e in papers.LE2015_CLAIMS + papers.ARJOVSKY2016_CLAIMS for k, v in e.items()
               if isinstance(v, (int, float))}
    assert not numeric
    assert any(u.startswith("le2015simple") for u in papers.UNVERIFIED)
    assert any(u.startswith("arjovsky2016unitary") for u in papers.UNVERIFIED)


def test_the_module_is_data_only():
    source = Path(papers.__file__).read_text()
    assert not re.search(r"^\s*(?:import|from)\s", source, re.M), "papers.py imports nothing and plots nothing"
    assert not re.search(r"^def |^class ", source, re.M)
