"""Benchmarks: every capability measures itself beside a baseline run at the same time."""
