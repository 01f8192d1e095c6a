from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = 2

@test_case(points=0, hidden=False, 
    failure_message="One layer, one direction, no peepholes: 4 (D H + H H + 2 H), four times a plain RNN's.")
def test_lstm_parameter_count_public(lstm_parameter_count):
    assert lstm_parameter_count(10, 20, 1, False, False) == 4 * (10 * 20 + 20 * 20 + 2 * 20)

