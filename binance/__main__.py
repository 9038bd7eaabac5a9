"""Command line: ``python -m binance plugins`` lists the installed markets and plugins;
``python -m binance demo`` runs the demo against the simulated exchange of the test kit
(``binance-sdk-testing``, which the runtime does not need)."""

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
            counts = [
                sum(1 for k, who in ma.sources.items() if k.startswith(kind + ':') and who == label)
                for kind, _ in kinds
            ]
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
    # The demo's options belong to the test kit: everything after ``demo`` is handed to it.
    sub.add_parser('demo', add_help=False, help='run the demo on a simulated exchange (needs binance-sdk-testing)')
    args, rest = parser.parse_known_args(argv)
    if args.command == 'plugins':
        if rest:
            parser.error(f'unrecognized arguments: {" ".join(rest)}')
        return _plugins()
    return _demo(rest)


def _demo(argv: list[str]) -> int:
    try:
        from binance_testing.__main__ import main as testing_main
    except ModuleNotFoundError as exc:
        if not (exc.name or '').startswith('binance_testing'):
            raise
        sys.stderr.write('the demo comes with the test kit: pip install binance-sdk-testing\n')
        return 2
    return testing_main(['demo', *argv], prog='python -m binance')


if __name__ == '__main__':
    sys.exit(main())
