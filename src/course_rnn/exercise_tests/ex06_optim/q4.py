from otter.test_files import test_case

OK_FORMAT = False

name = "q4"
points = 2

@test_case(points=0, hidden=False, 
    failure_message="Compare each path's first step with -lr times the gradient, with lr per coordinate, and with 10 lr per coordinate.")
def test_which_optimizer_public(which_optimizer):
    import numpy as np
    from course_rnn import trajectories
    from course_rnn.numpy import optim
    f = lambda xy: trajectories.elongated_quadratic(xy, b=20.0)
    made = {'A': (optim.Adam, {}), 'B': (optim.SGD, {'momentum': 0.9}), 'C': (optim.SGD, {}), 'D': (optim.RMSprop, {})}
    paths = {k: trajectories.path(f, Opt, (-3.0, 1.0), 30, lr=0.02, **options) for k, (Opt, options) in made.items()}
    assert list(which_optimizer(paths, 0.02, 20.0)) == ['adam', 'momentum', 'gd', 'rmsprop']

