from otter.test_files import test_case

OK_FORMAT = False

name = "q4"
points = 2

@test_case(points=0, hidden=False, 
    failure_message="One layer, one direction: W_ih (H x D), W_hh (H x H) and two biases of H.")
def test_rnn_parameter_count_public(rnn_parameter_count):
    assert rnn_parameter_count(3, 5, 1, False) == 5 * 3 + 5 * 5 + 2 * 5

