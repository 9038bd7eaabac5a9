"""Command line: ``python -m binance plugins`` lists the installed markets and plugins;
``python -m binance demo`` runs the demo against the built-in simulated exchange."""

from __future__ import annotations

import argparse
import sys


def _plugins() -> int:
    from binance_core.assembly import assemble

    a = assemble()
    out = sys.stdout
    kinds = (('endpoint', 'endpoints'), ('stream type', 'stream types'), ('handler base', 'handler bases'))
    for info in a.pm.binance_info.values():
        label = repr(info)
        defined = [ma.spec for ma in a.markets.values() if ma.plugin == label]
        what = ', '.join(f'market {s.name!r} ({s.client_name})' for s in defined) or 'extension'
        out.write(f'{info.name}  [{info.group}]  distribution {info.distribution}: {what}\n')
        for name, ma in a.markets.items():
            counts = [sum(1 for k, who in ma.sources.items() if k.startswith(kind + ':') and who == label)
                      for kind, _ in kinds]
            if any(counts):
                text = ', '.join(f'{n} {plural}' for n, (_, plural) in zip(counts, kinds, strict=True))
                out.write(f'    {name}: {text}\n')
    if not a.markets:
        out.write('no market plugins installed: pip install binance-market-spot (or -usdm, -coinm)\n')
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='python -m binance', description=__doc__)
    sub = parser.add_subparsers(dest='command', required=True)
    sub.add_parser('plugins', help='list installed markets and plugins')
    demo = sub.add_parser('demo', help='run the demo against the built-in simulated exchange')
    demo.add_argument('--markets', default=None, help='comma-separated markets to show (default: all installed)')
    demo.add_argument('--seconds', type=float, default=20.0, help='how long the demo runs')
    args = parser.parse_args(argv)
    if args.command == 'plugins':
        return _plugins()
    from binance_core.demo import run_demo

    return run_demo(markets=args.markets, seconds=args.seconds)


if __name__ == '__main__':
    sys.exit(main())
