"""Observation programs: `lynx run` executes `python -m minimodel.programs.<name>`.

Each one is small, runs in seconds, and prints what a learner should look at. A crash is
an observation too: an uncaught exception prints its traceback and exits non-zero.
"""
