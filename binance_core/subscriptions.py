"""``subscribe()`` arguments -> validated :class:`Subscription` records, for any market.

Three forms are accepted (spec "Full multi-subscribe example")::

    subscribe(SubType.KLINE, 'BTCUSDT', TimeFrame.m1)                # one subscription
    subscribe((SubType.TICKER, 'BNBUSDT'), (SubType.USER,), ...)      # several, one tuple each
    subscribe([SubType.TRADE, SubType.ORDER_BOOK], ['BNBUSDT', 'BTCUSDT'], *more)   # cross product

A cross product may also appear as one tuple of the second form. Every argument is checked
before anything is sent; the wire names come from the market's stream-type rows.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from typing import Any

import attrs

from binance_core.exceptions import InvalidSubParamsException, InvalidSubTypeParamException, UnsupportedSubTypeException
from binance_core.specs import StreamType

__all__ = ['Subscription', 'depth_level', 'parse', 'signature', 'stream_symbol']

# Characters that would break a stream name (`@` separates its parts, `/` joins combined streams, `!` starts
# an all-market name) or are never part of a symbol.
_NOT_IN_SYMBOL = frozenset('@/!?&#%=') | frozenset(' \t\r\n\x0b\x0c')


# -- param converters every market can use (``SubParam(convert=...)``) ---------------------------------------


def stream_symbol(value: Any) -> str:
    """A symbol as stream names spell it: ``'BTCUSDT'`` -> ``'btcusdt'``, ``'BTCUSD_PERP'`` -> ``'btcusd_perp'``.

    Binance "General WSS information" (Spot, USDⓈ-M and COIN-M alike): symbols in stream names are lowercase.
    Everything else is kept as given, ``_`` included: futures contract codes carry it (COIN-M ``BTCUSD_PERP``,
    delivery contracts ``BTCUSDT_250926``), and since 2025-12 symbols may be non-ASCII. A market whose symbols
    never contain ``_`` may strip it first for convenience (Spot accepts ``'BNB_USDT'``).

    :raises ValueError: not a string, empty, or holding a character that would break the stream name.
    """
    if not isinstance(value, str):
        raise ValueError(f'a symbol is a string such as "BTCUSDT", got {type(value).__name__}')
    symbol = value.lower()
    if not symbol.replace('_', '').strip():
        raise ValueError('the symbol is empty')
    bad = sorted(set(symbol) & _NOT_IN_SYMBOL)
    if bad:
        raise ValueError(f'a symbol cannot contain {"".join(bad)!r}; pass it like "BTCUSDT"')
    return symbol


def depth_level(value: Any) -> str:
    """Levels of a partial book depth stream: Binance "Partial Book Depth Streams" (Spot, USDⓈ-M, COIN-M)
    offer 5, 10 and 20; an int or its string."""
    if isinstance(value, bool) or not isinstance(value, int | str) or str(value) not in ('5', '10', '20'):
        raise ValueError('level must be 5, 10 or 20')
    return str(value)


@attrs.frozen
class Subscription:
    """One stream to subscribe.

    Attributes:
        sub_type: the ``SubType`` member name.
        row: the market's stream-type row for it.
        wire: the stream name (``'bnbusdt@kline_1m'``), or ``None`` for the user-data stream.
        params: the converted params, ``(name, value)`` pairs in row order.
    """

    sub_type: str
    row: StreamType = attrs.field(repr=False)
    wire: str | None
    params: tuple[tuple[str, str], ...] = ()


def signature(row: StreamType) -> str:
    """How to call a row, for messages: ``SubType.ORDER_BOOK(symbol[, updateInterval=1000])``."""
    text = ', '.join(p.name for p in row.params if not p.optional)
    for p in row.params:
        if p.optional:
            text += f'[, {p.name}={p.default!s}]' if text else f'[{p.name}={p.default!s}]'
    return f'SubType.{row.sub_type}({text})'


def _specs(args: tuple[Any, ...]) -> tuple[tuple[Any, ...], ...]:
    if not args:
        raise InvalidSubParamsException(
            'subscribe() needs a SubType, e.g. subscribe(SubType.TRADE, "BNBUSDT"), '
            'or tuples such as subscribe((SubType.TRADE, "BNBUSDT"), (SubType.USER,))'
        )
    if not isinstance(args[0], tuple):
        return (args,)
    for spec in args:
        if not isinstance(spec, tuple) or not spec:
            raise InvalidSubParamsException(
                f'when subscribe() is given tuples, every argument must be a non-empty tuple '
                f'(SubType, *params); got {spec!r}. A SubType without params needs a trailing comma: (SubType.USER,)'
            )
    return args


def _expand(spec: tuple[Any, ...]) -> Iterator[tuple[Any, tuple[Any, ...]]]:
    """``([A, B], [s1, s2], *more)`` -> (A, (s1, *more)), (A, (s2, *more)), (B, ...), ..."""
    head, rest = spec[0], spec[1:]
    sub_types = head if isinstance(head, list) else [head]
    if not sub_types:
        raise InvalidSubParamsException('the list of SubTypes to subscribe is empty')
    if rest and isinstance(rest[0], list):
        if not rest[0]:
            raise InvalidSubParamsException(f'the list of params for {_names(sub_types)} is empty')
        param_sets = [(first, *rest[1:]) for first in rest[0]]
    else:
        param_sets = [rest]
    for sub_type in sub_types:
        for params in param_sets:
            yield sub_type, params


def _names(sub_types: list[Any]) -> str:
    return ', '.join(f'SubType.{getattr(s, "name", s)}' for s in sub_types)


def _member_name(member: Any, sub_type_enum: type[enum.Enum]) -> str:
    # Accept members of another assembly's SubType too (tests build their own): match by name.
    if isinstance(member, sub_type_enum) or (
        isinstance(member, enum.Enum) and type(member).__name__ == sub_type_enum.__name__
    ):
        return member.name
    raise InvalidSubParamsException(f'expected a SubType member (e.g. SubType.TRADE) as the first item, got {member!r}')


def _offered(name: str, sub_type_enum: type[enum.Enum]) -> str:
    """Who offers SubType *name*: the installed clients, then the spec's markets that are not installed
    (``''``: nobody)."""
    from binance_core.catalog import MARKETS, SUB_TYPES

    installed: tuple[str, ...] = getattr(sub_type_enum, '_offered_by', {}).get(name, ())
    missing = [
        f'{client} (pip install {dist})'
        for market in SUB_TYPES.get(name, ())
        for client, dist in (MARKETS[market],)
        if client not in installed
    ]
    parts = []
    if installed:
        parts.append(f'use {" or ".join(installed)}')
    if missing:
        parts.append(f'{"or " if installed else ""}install the market that offers it: {", ".join(missing)}')
    return '; '.join(parts)


def _one(
    member: Any,
    params: tuple[Any, ...],
    stream_types: Mapping[str, StreamType],
    sub_type_enum: type[enum.Enum],
    market: str | None,
) -> Subscription:
    name = _member_name(member, sub_type_enum)
    row = stream_types.get(name)
    where = f'the {market} market' if market else 'this market'
    if row is None:
        others = _offered(name, sub_type_enum)
        if not others:
            mine = ', '.join(sorted(n for n, r in stream_types.items() if not r.unsupported))
            others = 'no installed market offers it' + (f'; {where} offers: {mine}' if mine else '')
        raise UnsupportedSubTypeException(f'SubType.{name} is not offered on {where}; {others}')
    if row.unsupported:
        raise UnsupportedSubTypeException(f'SubType.{name} is not supported on {where}: {row.unsupported}')
    required = sum(1 for p in row.params if not p.optional)
    if not required <= len(params) <= len(row.params):
        raise InvalidSubParamsException(
            f'{signature(row)} takes {_count(required, len(row.params))}; got {len(params)}: {params!r}'
        )
    values: dict[str, str] = {}
    for i, p in enumerate(row.params):
        value = params[i] if i < len(params) else p.default
        try:
            values[p.name] = p.convert(value)
        except (TypeError, ValueError) as exc:
            raise InvalidSubTypeParamException(
                f'SubType.{name}: invalid {p.name}={value!r}: {exc} (call as {signature(row)})',
                sub_type=name,
                param=p.name,
                value=value,
            ) from None
    wire = row.wire_name(values) if row.connection == 'data' else None
    return Subscription(name, row, wire, tuple(values.items()))


def _count(required: int, total: int) -> str:
    if required == total:
        return f'{total} param{"s" if total != 1 else ""}'
    return f'{required} to {total} params'


def parse(
    args: tuple[Any, ...],
    stream_types: Mapping[str, StreamType],
    sub_type_enum: type[enum.Enum],
    *,
    market: str | None = None,
) -> list[Subscription]:
    """Validate ``subscribe(*args)`` against a market's rows and return its subscriptions.

    Duplicates (same SubType and stream name) are removed, keeping the first occurrence.

    :param args: the positional arguments of ``subscribe``.
    :param stream_types: the market's rows by ``SubType`` member name.
    :param sub_type_enum: the assembled ``SubType`` enum.
    :param market: the market's name, for messages.
    :raises InvalidSubParamsException: wrong shape, or wrong number of params.
    :raises UnsupportedSubTypeException: the market has no row for the SubType, or the row is
        marked ``unsupported``.
    :raises InvalidSubTypeParamException: a param value was rejected by its converter.
    """
    seen: dict[tuple[str, str | None], Subscription] = {}
    for spec in _specs(args):
        for member, params in _expand(spec):
            sub = _one(member, params, stream_types, sub_type_enum, market)
            seen.setdefault((sub.sub_type, sub.wire), sub)
    return list(seen.values())
