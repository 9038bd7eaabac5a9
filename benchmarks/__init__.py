"""Benchmarks: every path next to its baselines in the same run, with the exchange side in its own process.

``bash scripts/bench`` (or ``python -m benchmarks``) runs them all and writes ``benchmarks/RESULTS.md``; see
``benchmarks/run.py``. Not collected by pytest: no file or function here is named ``test_*``.
"""
