"""The form of a five-character quatrain (五言绝句), checked on text and imposed on a sampler.

A quatrain of the shipped corpus is 24 characters: two couplets, each 5 Han characters, '，', 5 Han
characters and one of '。？！'. ``has_form`` checks a generated poem; ``allowed_at`` gives, for the
i-th character of a poem, the vocabulary ids a sampler may choose, so that the form is imposed
rather than learned; ``copied_lines`` counts the 5-character lines a poem shares with a text (the
training poems), which tells a model that recalls from one that composes.
"""
import re

import torch

HAN = "\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ffff"
COUPLET = rf"[{HAN}]{{5}}，[{HAN}]{{5}}[。？！]"
FORM = re.compile(rf"{COUPLET}{COUPLET}")
LENGTH = 24
ENDS = "。？！"


def has_form(poem):
    """True if ``poem`` (str, newline excluded) is exactly two couplets of the quatrain's form."""
    return FORM.fullmatch(poem) is not None


def allowed_at(vocab):
    """A function i -> (V,) bool: which ids of ``vocab`` (a ``CharVocabulary``) may stand at position i.

    Positions 5 and 17 take '，', 11 and 23 a mark from '。？！', position 24 the newline that ends the
    poem, every other position a Han character.
    """
    chars = vocab.itos
    han = torch.tensor([re.fullmatch(f"[{HAN}]", ch) is not None for ch in chars])
    comma = torch.tensor([ch == "，" for ch in chars])
    end = torch.tensor([ch in ENDS for ch in chars])
    newline = torch.tensor([ch == "\n" for ch in chars])
    return lambda i: {5: comma, 17: comma, 11: end, 23: end, 24: newline}.get(i % (LENGTH + 1), han)


def lines_of(text):
    """The 5-character lines of every poem in ``text`` (one poem a line), as a set."""
    return {line for poem in text.split("\n") for line in re.findall(f"[{HAN}]{{5}}", poem)}


def copied_lines(poem, known):
    """How many of the poem's 5-character lines are in ``known`` (a set from ``lines_of``)."""
    return sum(line in known for line in re.findall(f"[{HAN}]{{5}}", poem))
