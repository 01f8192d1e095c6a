"""The exercise grader: trusted code that is never installed with ``course_rnn`` and never enters the sandbox.

A submission's code runs in a bubblewrap sandbox (``sandbox``) only to turn inputs made here (``cases``)
into answers written as plain data; the verdict is computed outside (``verdict``), from references
computed here. ``harness`` grades one submission or a folder; ``gradescope`` wraps it for Gradescope.
The design and its limits are in book/instructors.md.
"""
import os

# One BLAS thread in the grader: its oracle thread may be inside numpy while another thread forks a sandbox,
# and OpenBLAS's pre-fork handler then waits for its own threads for good (a deadlock the red team found).
# Set before numpy is first imported by the grader's entry points (tools/grade.py, grader.gradescope).
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"
