"""Command line: ``python -m binance_testing demo`` runs the demo against the simulated exchange
(``python -m binance demo`` delegates here)."""

from __future__ import annotations

import argparse
import sys

from binance_testing.demo import add_arguments, run_demo


def main(argv: list[str] | None = None, prog: str = 'python -m binance_testing') -> int:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__)
    sub = parser.add_subparsers(dest='command', required=True)
    add_arguments(sub.add_parser('demo', help='run the demo against the simulated exchange on 127.0.0.1'))
    args = parser.parse_args(argv)
    return run_demo(markets=args.markets, seconds=args.seconds)


if __name__ == '__main__':
    sys.exit(main())
