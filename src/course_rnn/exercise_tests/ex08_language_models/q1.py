from otter.test_files import test_case

OK_FORMAT = False

name = "q1"
points = 3

@test_case(points=0, hidden=False, 
    failure_message="Uniform logits give perplexity V; one position with p = 3/4 gives 4/3; adding a constant to every logit changes nothing; NLLs of 0 and 800 nats give log perplexity 400 (use the log-sum-exp shift, not the log of a softmax).")
def test_perplexity_public(perplexity):
    import numpy as np
    assert np.isclose(perplexity(np.zeros((2, 3, 5)), np.zeros((2, 3), dtype=int)), 5), 'uniform logits: perplexity V = 5'
    logits = np.log(np.array([[[1.0, 3.0]]]))
    assert np.isclose(perplexity(logits, np.array([[1]])), 4 / 3), 'one position, p = 3/4: perplexity 4/3'
    rng = np.random.default_rng(0)
    logits, targets = (rng.standard_normal((2, 4, 6)), rng.integers(0, 6, size=(2, 4)))
    ppl = perplexity(logits, targets)
    for shift in (1000.0, -1000.0):
        assert np.isclose(perplexity(logits + shift, targets), ppl), f'logits + {shift}: subtract each max first'
    confident = np.array([[[1000.0, 0.0], [0.0, 800.0]]])
    assert np.isclose(np.log(perplexity(confident, np.array([[0, 0]]))), 400.0), 'NLLs 0 and 800: log perplexity 400'

