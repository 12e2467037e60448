"""Foundations every layer stands on: errors, the clock, atomic files, the lock, child processes."""
