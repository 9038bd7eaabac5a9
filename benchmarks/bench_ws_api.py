"""WS-API round trips per second through SpotClient, 1 and 100 in flight, next to a bare aiohttp + json client
sending the same signed ``account.status`` requests, with the exchange in its own process: the WS-API rows of
``python -m benchmarks``, printed without writing ``RESULTS.md``.

    python benchmarks/bench_ws_api.py [--reps 5] [--requests 4000] [--configs plain,speed]
"""

from __future__ import annotations

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from benchmarks.run import main

if __name__ == '__main__':
    main(['--sections=ws_api', '--no-write', *sys.argv[1:]])
