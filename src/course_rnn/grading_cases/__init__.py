"""Test cases and reference answers of later exercise sets, one module per set; ``course_rnn.grading``
dispatches to them, so that its fresh-process check covers every set the same way."""
