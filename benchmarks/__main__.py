"""``python -m benchmarks``: run every benchmark and write ``benchmarks/RESULTS.md`` (see ``benchmarks/run.py``)."""

from benchmarks.run import main

main()
