from otter.test_files import test_case

OK_FORMAT = False

name = "q4"
points = 2

@test_case(points=0, hidden=False, 
    failure_message="A norm that falls with the lag vanishes; one that grows explodes.")
def test_vanish_or_explode_public(vanish_or_explode):
    import numpy as np
    lags = np.arange(30)
    assert vanish_or_explode(0.5 ** lags) == 'vanish'
    assert vanish_or_explode(1.5 ** lags) == 'explode'

