"""Benchmarks, run as ``python -m bench <name>`` (``make bench`` lists them)."""
