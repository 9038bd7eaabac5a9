"""Command line: ``python -m binance plugins`` lists the installed markets and plugins;
``python -m binance demo`` runs the demo against the simulated exchange of the test kit
(``binance-sdk-testing``, which the runtime does not need); ``python -m binance stubs`` writes the editor
stubs of the first-party clients and of the facade (``--check``: fail if a committed one is stale)."""

from __future__ import annotations

import argparse
import importlib
import pathlib
import sys

# The first-party markets and libraries: their exports are in the committed stubs. (A third-party plugin
# ships its own stub: binance_core.stubs.rows_protocol.)
FIRST_PARTY = ('binance_core', 'binance_spot', 'binance_usdm', 'binance_coinm', 'binance_futures', 'volas')
MARKET_PACKAGES = {'spot': 'binance_spot', 'usdm': 'binance_usdm', 'coinm': 'binance_coinm'}
# Markets whose client stubs live together in a shared library's ``clients.pyi``.
SHARED_STUBS = {'usdm': 'binance_futures', 'coinm': 'binance_futures'}


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


def stub_files() -> dict[pathlib.Path, str]:
    """Path -> text of every stub ``python -m binance stubs`` writes, from the installed first-party plugins."""
    import binance
    from binance_core import stubs

    files: dict[pathlib.Path, str] = {}
    shared: dict[str, list[str]] = {library: [] for library in set(SHARED_STUBS.values())}
    modules = {'TimeFrame': 'volas'}
    for name, ma in binance.assembly.markets.items():
        package = MARKET_PACKAGES.get(name)
        if package is None:
            continue
        own = [row for n, row in ma.endpoints.items() if ma.sources[f'endpoint:{n}'] == ma.plugin]
        where = pathlib.Path(importlib.import_module(package).__file__ or '').parent
        text = stubs.client_stub(ma, own)
        library = SHARED_STUBS.get(name)
        if library is not None:
            # The futures markets' stubs sit together in their shared library (they share most methods); the
            # market's own stub re-exports its class from there.
            shared[library].append(text)
            text = (
                f'{stubs.HEADER}from {library}.clients import {ma.spec.client_name} as {ma.spec.client_name}\n\n'
                f'__all__ = [{ma.spec.client_name!r}]\n'
            )
        files[where / 'client.pyi'] = text
        modules[ma.spec.client_name] = f'{package}.client'
    for library, texts in shared.items():
        where = pathlib.Path(importlib.import_module(library).__file__ or '').parent
        head, _, first = texts[0].partition('\nclass ')
        classes = [first, *(t.partition('\nclass ')[2] for t in texts[1:])]
        names = [c.split('(', 1)[0] for c in classes]
        head = head.replace(head[head.index('__all__') :], f'__all__ = {names!r}\n\n')
        head = head.replace(head.splitlines()[1], f'"""Types of the futures clients ({", ".join(names)})."""')
        files[where / 'clients.pyi'] = head + '\n'.join(f'\nclass {c}' for c in classes)
    from binance_core.catalog import SUB_TYPES

    sub_types = set(SUB_TYPES)
    for ma in binance.assembly.markets.values():
        sub_types.update(n for n in ma.stream_types if ma.sources[f'stream type:{n}'] == ma.plugin)
    facade = pathlib.Path(binance.__file__ or '').with_suffix('.pyi')
    files[facade] = stubs.facade_stub(binance, modules=modules, first_party=FIRST_PARTY, sub_types=sorted(sub_types))
    return files


def _stubs(check: bool) -> int:
    import binance

    missing = sorted(set(MARKET_PACKAGES) - set(binance.assembly.markets))
    if missing:
        sys.stderr.write(f'stubs are written with every first-party market installed; missing: {missing}\n')
        return 2
    stale = []
    for path, text in stub_files().items():
        if path.exists() and path.read_text(encoding='utf-8') == text:
            continue
        stale.append(path)
        if not check:
            path.write_text(text, encoding='utf-8')
    for path in stale:
        sys.stdout.write(f'{"stale" if check else "wrote"}: {path}\n')
    return 1 if check and stale else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog='python -m binance', description=__doc__)
    sub = parser.add_subparsers(dest='command', required=True)
    sub.add_parser('plugins', help='list installed markets and plugins')
    stubs = sub.add_parser(
        'stubs', help="repository tool: write the first-party clients' and the facade's editor stubs beside their code"
    )
    stubs.add_argument('--check', action='store_true', help='write nothing; exit 1 if a committed stub is stale')
    # The demo's options belong to the test kit: everything after ``demo`` is handed to it.
    sub.add_parser('demo', add_help=False, help='run the demo on a simulated exchange (needs binance-sdk-testing)')
    args, rest = parser.parse_known_args(argv)
    if args.command in ('plugins', 'stubs'):
        if rest:
            parser.error(f'unrecognized arguments: {" ".join(rest)}')
        return _plugins() if args.command == 'plugins' else _stubs(args.check)
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
