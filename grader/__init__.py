"""The exercise grader: trusted code that is never installed with ``course_rnn`` and never enters the sandbox.

A submission's code runs in a bubblewrap sandbox (``sandbox``) only to turn inputs made here (``cases``)
into answers written as plain data; the verdict is computed outside (``verdict``), from references
computed here. ``harness`` grades one submission or a folder; ``gradescope`` wraps it for Gradescope.
The design and its limits are in book/instructors.md.
"""
