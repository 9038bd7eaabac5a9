"""The examples in ``docs/`` run, so none of them rots.

A runnable example is a fenced ``python`` block that starts with two comment lines::

    # example: <name>
    # exchange: <expression>

and defines ``async def main(exchange)``. The test evaluates the expression (``FakeExchange('spot')``,
``SimulatedExchange('spot', {'BTCUSDT': '100.00'}, paused=True)``, ...; in the example's own names, so a plugin
example can hand its plugin manager to the exchange), starts that exchange on 127.0.0.1, runs ``main`` with it
under ``asyncio.timeout`` and lets the example's own ``assert`` statements decide. Every page must hold at least
one runnable example, the index must link every page, and no example may reach anything but 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import inspect
import pathlib
import re
import sys
from typing import Any

import attrs
import pytest

from binance_testing import FakeExchange, SimulatedExchange

DOCS = pathlib.Path(__file__).resolve().parents[1] / 'docs'
PAGES = ('credentials', 'requests', 'streams', 'orderbooks', 'rate-limits', 'user-data', 'plugins', 'testing')
TIMEOUT = 30.0
LOOPBACK = ('127.0.0.1', b'127.0.0.1')

_FENCE = re.compile(r'^```python[ \t]*\n(?P<body>.*?)^```[ \t]*$', re.MULTILINE | re.DOTALL)
_HEADER = re.compile(r'# example: (?P<name>[a-z0-9][a-z0-9-]*)\n# exchange: (?P<exchange>[^\n]+)\n')


@attrs.frozen
class Example:
    """One runnable block: the page it is on, its name, the exchange it runs against, its code and first line."""

    page: str
    name: str
    exchange: str
    code: str
    line: int

    @property
    def id(self) -> str:
        return f'{self.page}:{self.name}'


def examples_on(page: pathlib.Path) -> list[Example]:
    """The runnable examples of a page, in order; a block that starts ``# example:`` without a valid header
    fails loudly rather than being skipped."""
    text = page.read_text(encoding='utf-8')
    found = []
    for block in _FENCE.finditer(text):
        body = block['body']
        if not body.startswith('# example:'):
            continue
        line = text.count('\n', 0, block.start('body')) + 1
        header = _HEADER.match(body)
        if header is None:
            raise ValueError(f'{page.name}:{line}: a runnable example starts "# example: <name>\\n# exchange: <expr>"')
        found.append(Example(page.stem, header['name'], header['exchange'].strip(), body, line))
    return found


def all_examples() -> list[Example]:
    return [example for page in sorted(DOCS.glob('*.md')) if page.name != 'README.md' for example in examples_on(page)]


# -- nothing but 127.0.0.1 ------------------------------------------------------------------------------------------

_guard: dict[str, Any] = {'on': False, 'refused': []}


def _audit(event: str, args: tuple[Any, ...]) -> None:
    """Refuse (and record) any connection or name lookup an example makes to another host than 127.0.0.1."""
    if not _guard['on']:
        return
    if event == 'socket.connect':
        address = args[1]
        host = address[0] if isinstance(address, tuple) else None  # a Unix socket path is local
    elif event == 'socket.getaddrinfo':
        host = args[0]
    else:
        return
    if host is not None and host not in LOOPBACK:
        _guard['refused'].append((event, host))
        raise ConnectionRefusedError(f'a docs example tried to reach {host!r}; examples talk to 127.0.0.1 only')


sys.addaudithook(_audit)  # audit hooks cannot be removed: it does nothing unless an example runs


# -- the pages --------------------------------------------------------------------------------------------------


# The pages there must be, and any page added since: each needs a runnable example and a link in the index.
ALL_PAGES = sorted((set(PAGES) | {p.stem for p in DOCS.glob('*.md')}) - {'README'})


@pytest.mark.parametrize('page', ALL_PAGES)
def test_every_page_has_a_runnable_example(page: str) -> None:
    path = DOCS / f'{page}.md'
    assert path.is_file(), f'docs/{page}.md is missing'
    examples = examples_on(path)
    assert examples, f'docs/{page}.md has no runnable example (a python block starting "# example: <name>")'
    names = [e.name for e in examples]
    assert len(names) == len(set(names)), f'docs/{page}.md repeats an example name: {names}'


def test_the_index_links_every_page() -> None:
    index = (DOCS / 'README.md').read_text(encoding='utf-8')
    linked = set(re.findall(r'\]\(([\w-]+)\.md\)', index))
    assert linked == set(ALL_PAGES), f'docs/README.md links {sorted(linked)}, the pages are {ALL_PAGES}'


def test_the_guard_refuses_any_host_but_loopback() -> None:
    import socket

    _guard['on'] = True
    try:
        with pytest.raises(ConnectionRefusedError, match='example.com'):
            socket.getaddrinfo('example.com', 443)
    finally:
        _guard['on'] = False
        _guard['refused'].clear()


# -- the examples -----------------------------------------------------------------------------------------------

EXAMPLES = all_examples()


@pytest.mark.parametrize('example', EXAMPLES, ids=[e.id for e in EXAMPLES])
async def test_the_example_runs(example: Example) -> None:
    # Blank lines first, so a traceback names the line of the page; dont_inherit: none of this module's
    # __future__ imports, so the example runs exactly as a user's script would.
    source = '\n' * (example.line - 1) + example.code
    code = compile(source, f'docs/{example.page}.md', 'exec', dont_inherit=True)
    namespace: dict[str, Any] = {'__name__': f'docs_{example.page}_{example.name}'.replace('-', '_')}
    exec(code, namespace)
    main = namespace.get('main')
    assert inspect.iscoroutinefunction(main), f'{example.id}: define async def main(exchange)'
    assert list(inspect.signature(main).parameters) == ['exchange'], f'{example.id}: main takes (exchange)'
    kit = {'FakeExchange': FakeExchange, 'SimulatedExchange': SimulatedExchange}
    exchange = eval(example.exchange, {**kit, **namespace})
    assert isinstance(exchange, FakeExchange), f'{example.id}: "# exchange:" makes a FakeExchange or SimulatedExchange'
    _guard['refused'].clear()
    async with exchange:
        _guard['on'] = True
        try:
            async with asyncio.timeout(TIMEOUT):
                await main(exchange)
        finally:
            _guard['on'] = False
    assert not _guard['refused'], f'{example.id} tried to leave 127.0.0.1: {_guard["refused"]}'
