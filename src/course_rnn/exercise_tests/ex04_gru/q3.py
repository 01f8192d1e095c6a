from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = 2

@test_case(points=0, hidden=False, 
    failure_message="One layer, one direction: 3 (D H + H H + 2 H).")
def test_gru_parameter_count_public(gru_parameter_count):
    assert gru_parameter_count(10, 20, 1, False) == 3 * (10 * 20 + 20 * 20 + 2 * 20)

