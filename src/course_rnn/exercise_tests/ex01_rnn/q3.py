from otter.test_files import test_case

OK_FORMAT = False

name = "q3"
points = 2

@test_case(points=0, hidden=False, 
    failure_message="For one layer, one direction: out is (N, T, H) and h_n is (1, N, H).")
def test_rnn_shapes_public(rnn_shapes):
    out_shape, h_n_shape = rnn_shapes(4, 7, 3, 5, 1, False)
    assert tuple(out_shape) == (4, 7, 5) and tuple(h_n_shape) == (1, 4, 5)

