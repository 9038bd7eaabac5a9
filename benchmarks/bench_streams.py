"""Market-stream throughput, dict and DataFrame paths (one at a time and batched), next to a bare aiohttp + json
reader and a bare picows + orjson reader of the same frames, with the exchange in its own process: the stream rows
of ``python -m benchmarks``, printed without writing ``RESULTS.md``.

    python benchmarks/bench_streams.py [--reps 5] [--frames 60000] [--configs plain,speed]
"""

from __future__ import annotations

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from benchmarks.run import main

if __name__ == '__main__':
    main(['--sections=streams', '--no-write', *sys.argv[1:]])
