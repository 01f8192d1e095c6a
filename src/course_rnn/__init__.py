"""course-rnn: recurrent neural networks from the gradient up.

Subpackages: ``course_rnn.numpy`` (models with hand-written backward passes),
``course_rnn.torch`` (the same models with autograd), ``course_rnn.data``
(synthetic tasks), ``course_rnn.plots``, ``course_rnn.show``. Importing this
package imports nothing heavy and changes no global state.
"""
__version__ = "0.1.0"
