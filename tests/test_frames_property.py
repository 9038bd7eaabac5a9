"""FrameConverter against a straightforward reference, on random payloads for every column map of the plugins.

The converter reads payloads with generated readers and appends rows to cached empty frames; the reference
below reads every field the plain way and builds each frame with one ``volas.DataFrame`` call, as the module
did before. Payloads repeat a few shapes (which keys are present) and value types, so that the converter's
cached paths are exercised, and mix in nulls, unparseable decimals, missing nested objects, ints beyond
int64, strings in int columns and other oddities. Every frame must be the same: columns, dtypes, index,
values (``DataFrame.equals``).
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from typing import Any

import pytest
from volas import DataFrame

from binance_core.handlers import FrameConverter, HandlerBase

try:  # every map the installed plugins declare; the synthetic maps below run with core alone too
    from binance_spot import columns as spot_columns
except ImportError:  # pragma: no cover - a core-only environment
    spot_columns = None
try:
    from binance_futures import columns as futures_columns
except ImportError:  # pragma: no cover
    futures_columns = None

# Spot's trade map and futures' mark price map (with its USDⓈ-M-only `ap`), as the focused tests below use them.
TRADE_MAP = {
    'e': ('type', 'str'),
    'E': ('event_time', 'time'),
    's': ('symbol', 'str'),
    't': ('trade_id', 'int'),
    'p': ('price', 'float'),
    'q': ('quantity', 'float'),
    'T': ('trade_time', 'time'),
    'm': ('is_buyer_maker', 'bool'),
}
MARK_PRICE_MAP = {
    'e': ('type', 'str'),
    'E': ('event_time', 'time'),
    's': ('symbol', 'str'),
    'p': ('mark_price', 'float'),
    'ap': ('mark_price_avg', 'float'),
    'i': ('index_price', 'float'),
    'P': ('estimated_settle_price', 'float'),
    'r': ('funding_rate', 'float'),
    'T': ('next_funding_time', 'time'),
}

# A synthetic map with every structure at once: flat fields of each kind, a nested object, an exploded array.
EVERYTHING = {
    'e': ('type', 'str'),
    'E': ('event_time', 'time'),
    'p': ('price', 'float'),
    'n': ('count', 'int'),
    'x': ('flag', 'bool'),
    'k': {'t': ('open_time', 'time'), 'c': ('close', 'float'), 's': ('symbol', 'str'), 'X': ('closed', 'bool')},
    'B': [{'a': ('asset', 'str'), 'f': ('free', 'float'), 'i': ('id', 'int'), 'w': ('working', 'bool')}],
}
NESTED_ONLY = {k: v for k, v in EVERYTHING.items() if k != 'B'}


def plugin_maps() -> dict[str, Mapping[str, Any]]:
    maps: dict[str, Mapping[str, Any]] = {'EVERYTHING': EVERYTHING, 'NESTED_ONLY': NESTED_ONLY, 'TRADE': TRADE_MAP}
    for module in (spot_columns, futures_columns):
        for name, value in vars(module).items() if module is not None else ():
            if name.isupper() and not name.startswith(('_', 'BY_MARKET')) and isinstance(value, dict) and value:
                maps[f'{module.__name__.rsplit(".", 2)[-2]}.{name}'] = value
    return maps


MAPS = plugin_maps()


# -- the reference ----------------------------------------------------------------------------------------------


def ref_float(value: Any) -> Any:
    if value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def ref_fields(columns: Mapping[str, Any]) -> list[tuple[str | None, str, str, str, bool]]:
    """(parent, key, column, kind, exploded) in map order."""
    fields = []
    for key, spec in columns.items():
        if isinstance(spec, dict):
            fields += [(key, k, name, kind, False) for k, (name, kind) in spec.items()]
        elif isinstance(spec, list):
            fields += [(key, k, name, kind, True) for k, (name, kind) in spec[0].items()]
        else:
            fields.append((None, key, spec[0], spec[1], False))
    return fields


def ref_read(fields: list[Any], source: Any) -> dict[str, Any]:
    """{column: value} of *fields* present in *source* (the payload, or an element of the exploded array)."""
    out = {}
    for parent, key, name, kind, exploded in fields:
        where = source if parent is None or exploded else (source.get(parent) or {})
        if key in where:
            out[name] = ref_float(where[key]) if kind == 'float' else where[key]
    return out


def ref_table(columns: Mapping[str, Any], payload: Any) -> tuple[list[str], list[dict[str, Any]]]:
    """The columns a payload's own frame has, in map order, and its rows (a key missing from a row is NA)."""
    fields = ref_fields(columns)
    outer = [f for f in fields if not f[4]]
    inner = [f for f in fields if f[4]]
    if isinstance(payload, dict) and not inner:
        row = ref_read(fields, payload)
        return [f[2] for f in fields if f[2] in row], [row]
    if isinstance(payload, dict):
        shared = ref_read(outer, payload)
        items = [ref_read(inner, item) for item in payload.get(inner[0][0]) or []]
        # An element's column is there when some element has it, or when there is no element at all.
        present = set(shared) | {f[2] for f in inner if not items or any(f[2] in item for item in items)}
        return [f[2] for f in fields if f[2] in present], [{**shared, **item} for item in items]
    rows = [ref_read(fields, item) for item in payload]
    return [f[2] for f in fields if not rows or any(f[2] in row for row in rows)], rows


def ref_frame(columns: Mapping[str, Any], payloads: list[Any]) -> DataFrame:
    """One frame of the rows of every payload, under every column any payload's frame has (in map order),
    built with one ``volas.DataFrame`` call; an all-null str/bool column is cast to its kind."""
    fields = ref_fields(columns)
    kinds = {f[2]: f[3] for f in fields}
    names: set[str] = set()
    rows: list[dict[str, Any]] = []
    for payload in payloads:
        own, own_rows = ref_table(columns, payload)
        names.update(own)
        rows += own_rows
    data = {f[2]: tuple(row.get(f[2]) for row in rows) for f in fields if f[2] in names}
    df = DataFrame(data)
    casts = {n: kinds[n] for n, col in data.items() if kinds[n] in ('str', 'bool') and all(v is None for v in col)}
    return df.astype(casts) if casts else df


def check(convert: Any, arg: Any, columns: Mapping[str, Any], payloads: list[Any]) -> None:
    """``convert(arg)`` gives the reference frame of *payloads*, or fails as building it fails (volas refuses a column
    that mixes strings and numbers, which odd values can make)."""
    try:
        want = ref_frame(columns, payloads)
    except Exception as exc:
        with pytest.raises(type(exc)):
            convert(arg)
        return
    assert_same(convert(arg), want)


def assert_same(got: DataFrame, want: DataFrame) -> None:
    assert got.columns == want.columns
    assert got.dtypes == want.dtypes
    assert got.shape == want.shape
    assert got.index.tolist() == want.index.tolist()
    for name in want.columns:
        a, b = got[name].to_list(), want[name].to_list()
        assert [_cell(v) for v in a] == [_cell(v) for v in b], name
    assert got.equals(want)


def _cell(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return 'NaN'
    return repr(value)


# -- random payloads --------------------------------------------------------------------------------------------

ODD = {
    'float': ['n/a', '', 'NaN', '-0.0', '1e400', 7, 2.5, True],
    'int': [2**63, -(2**63) - 1, 'abc', 1.5, True],
    'time': [2**63 + 5, '1672515782136', 0.5],
    'str': ['', 'None', '2021-01-04 09:30:00', 'ÿ€😀', 5, 1.25, False],
    'bool': [0, 1, 'true', 2.0],
}


def value(rng: random.Random, kind: str, odd: bool) -> Any:
    if odd:
        return rng.choice(ODD[kind])
    if kind == 'float':
        return rng.choice(['0.00100000', '100', '-3.25', '0', f'{rng.random() * 1e4:.8f}'])
    if kind in ('int', 'time'):
        return rng.choice([0, 1, 12345, 1672515782136, rng.randrange(-(2**63), 2**63)])
    if kind == 'str':
        return rng.choice(['trade', 'BNBBTC', 'x', f's{rng.randrange(100)}'])
    return rng.choice([True, False])


class Profile:
    """A payload shape: which keys are sent, which are null, which get odd values. Payloads drawn from a
    profile differ only in their values, so the converter meets the same shape and types again."""

    def __init__(self, rng: random.Random, columns: Mapping[str, Any]) -> None:
        self.rng = rng
        self.columns = columns
        self.state: dict[tuple[str | None, str], str] = {}
        self.parents: dict[str, str] = {}
        for parent, key, _, _, exploded in ref_fields(columns):
            if parent is not None and parent not in self.parents:
                self.parents[parent] = rng.choices(
                    ['dict', 'absent', 'null', 'empty', 'unmapped'], weights=[80, 5, 5, 5, 5]
                )[0]
            self.state[parent, key] = rng.choices(['value', 'absent', 'null', 'odd'], weights=[70, 15, 10, 5])[0]
            if exploded:
                self.parents[parent] = 'list'

    def fill(self, spec: Mapping[str, Any], parent: str | None) -> dict[str, Any]:
        out: dict[str, Any] = {'zz': 'an unmapped key'}
        for key, sub in spec.items():
            if isinstance(sub, tuple):
                state = self.state[parent, key]
                if state == 'value':
                    out[key] = value(self.rng, sub[1], odd=False)
                elif state == 'null':
                    out[key] = None
                elif state == 'odd':
                    out[key] = value(self.rng, sub[1], odd=True)
        return out

    def payload(self) -> dict[str, Any]:
        flat = {k: v for k, v in self.columns.items() if isinstance(v, tuple)}
        payload = self.fill(flat, None)
        for parent, how in self.parents.items():
            spec = self.columns[parent]
            if how == 'list':
                payload[parent] = [self.fill(spec[0], parent) for _ in range(self.rng.randrange(4))]
            elif how == 'dict':
                payload[parent] = self.fill(spec, parent)
            elif how == 'null':
                payload[parent] = None
            elif how == 'empty':
                payload[parent] = {}
            elif how == 'unmapped':
                payload[parent] = {'zz': 1}
        return payload


def draw(rng: random.Random, profiles: list[Profile]) -> dict[str, Any]:
    return rng.choice(profiles).payload()


# -- the properties ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize('seed', range(4))
@pytest.mark.parametrize('name', sorted(MAPS))
def test_one_payload_gives_the_reference_frame(name, seed):
    columns = MAPS[name]
    rng = random.Random(f'{name}/{seed}')
    convert = FrameConverter(columns)
    profiles = [Profile(rng, columns) for _ in range(3)]
    for _ in range(60):
        payload = draw(rng, profiles)
        check(convert, payload, columns, [payload])


@pytest.mark.parametrize('seed', range(4))
@pytest.mark.parametrize('name', sorted(MAPS))
def test_many_payloads_give_the_reference_frame(name, seed):
    columns = MAPS[name]
    rng = random.Random(f'many/{name}/{seed}')
    convert = FrameConverter(columns)
    explodes = any(isinstance(v, list) for v in columns.values())
    profiles = [Profile(rng, columns) for _ in range(3)]
    for _ in range(25):
        one = rng.choice(profiles)  # mostly one shape per batch, as a stream sends; sometimes mixed
        batch: list[Any] = [
            (one if rng.random() < 0.8 else rng.choice(profiles)).payload() for _ in range(rng.randrange(1, 12))
        ]
        if not explodes and rng.random() < 0.2:  # an all-market array among them
            batch.insert(rng.randrange(len(batch) + 1), [draw(rng, profiles) for _ in range(rng.randrange(3))])
        check(convert.many, batch, columns, batch)
        if all(isinstance(p, dict) for p in batch) and not explodes:
            check(convert, batch, columns, batch)  # the same as an @arr payload of them
    check(convert.many, [], columns, [[]])  # every column, no rows: as an empty @arr payload


# A map with an exploded array (one row per element of a list field) takes dict payloads only: no list case.
@pytest.mark.parametrize('name', sorted(n for n, m in MAPS.items() if not any(isinstance(v, list) for v in m.values())))
def test_list_payloads_give_the_reference_frame(name):
    columns = MAPS[name]
    rng = random.Random(f'list/{name}')
    convert = FrameConverter(columns)
    profiles = [Profile(rng, columns) for _ in range(3)]
    for size in (0, 1, 2, 7):
        payload = [draw(rng, profiles) for _ in range(size)]
        check(convert, payload, columns, [payload])


def test_the_reference_agrees_with_the_docs_examples():
    # The reference itself, on the rules the module docstring states.
    trade = {'e': 'trade', 'E': 1, 's': 'X', 't': 2, 'p': '0.5', 'q': 'bad', 'T': 3, 'm': None, 'M': True}
    df = ref_frame(TRADE_MAP, [trade])
    assert df.dtypes['is_buyer_maker'] == 'bool' and df['is_buyer_maker'].isna().to_list() == [True]
    assert math.isnan(df['quantity'][0]) and df['price'][0] == 0.5
    assert 'trade_id' not in ref_frame(TRADE_MAP, [{'e': 'trade'}]).columns


# -- what the fast path keeps -----------------------------------------------------------------------------------

TRADE = {'e': 'trade', 'E': 1672515782136, 's': 'BNBBTC', 't': 12345, 'p': '0.001', 'q': '100', 'T': 1, 'm': True}


def test_the_frames_handed_out_are_independent_of_the_cached_empty_frame():
    convert = FrameConverter(TRADE_MAP)
    first = convert(TRADE)
    second = convert(TRADE)  # appended to a copy of the cached empty frame
    second.append({**{c: second[c][0] for c in second.columns}, 'trade_id': 7})
    second['extra'] = [1.0, 2.0]
    second.iat[0, 3] = 99
    third = convert(TRADE)
    assert_same(third, first)
    assert third['trade_id'].to_list() == [12345] and 'extra' not in third.columns


def test_an_int_beyond_int64_after_the_cache_is_made_still_types_as_the_constructor_does():
    convert = FrameConverter(TRADE_MAP)
    convert(TRADE)
    convert(TRADE)
    for t in (2**63, 2**64, -(2**63) - 1, 2**63 - 1):
        payload = {**TRADE, 't': t}
        assert_same(convert(payload), ref_frame(TRADE_MAP, [payload]))
    assert_same(convert(TRADE), ref_frame(TRADE_MAP, [TRADE]))


def test_shapes_alternating_on_one_converter_each_give_their_own_columns():
    # One converter serves a class's handlers on every client: USDⓈ-M's mark price has `ap`, COIN-M's has not.
    convert = FrameConverter(MARK_PRICE_MAP)
    um = {'e': 'markPriceUpdate', 'E': 1, 's': 'BTCUSDT', 'p': '1', 'ap': '1.5', 'i': '1', 'P': '1', 'r': '0', 'T': 2}
    cm = {k: v for k, v in um.items() if k != 'ap'}
    delivery = {**cm, 'r': '', 'T': 0}
    for payload in [um, cm, um, delivery, cm, um, delivery, delivery] * 3:
        assert_same(convert(payload), ref_frame(MARK_PRICE_MAP, [payload]))
    assert len(convert._shapes) == 2


def test_bad_payloads_fail_as_before():
    convert = FrameConverter(NESTED_ONLY)
    good = {'e': 'kline', 'E': 1, 'k': {'t': 1, 'c': '1'}}
    convert(good)
    with pytest.raises(AttributeError):
        convert({'e': 'kline', 'k': ['t']})  # a nested object that is not one
    with pytest.raises(TypeError, match='expected a dict or a list'):
        convert('kline')
    with pytest.raises(TypeError, match='expected a dict or a list'):
        convert.many([good, 'kline'])
    exploding = FrameConverter(EVERYTHING)
    with pytest.raises(TypeError, match='expected a dict$'):
        exploding.many([{'e': 'outboundAccountPosition'}, []])


def test_a_converter_learns_a_bounded_number_of_shapes():
    columns = {f'k{i}': (f'c{i}', 'int') for i in range(8)}
    convert = FrameConverter(columns)
    rng = random.Random(5)
    for _ in range(300):
        payload = {f'k{i}': i for i in range(8) if rng.random() < 0.5}
        assert_same(convert(payload), ref_frame(columns, [payload]))
    assert len(convert._shapes) <= 32


def test_receive_batch_is_many_and_receive_is_unchanged():
    class Trades(HandlerBase):
        columns = TRADE_MAP

    payloads = [{**TRADE, 't': i} for i in range(5)]
    assert_same(Trades().receive_batch(payloads), ref_frame(TRADE_MAP, payloads))
    assert_same(Trades().receive(payloads[0]), ref_frame(TRADE_MAP, payloads[:1]))


def test_the_next_frames_of_a_shape_are_appended_to_a_cached_empty_frame(monkeypatch):
    convert = FrameConverter(NESTED_ONLY)
    kline = {'e': 'kline', 'E': 1, 'k': {'t': 1, 'c': '1.5', 's': 'BNBBTC', 'X': False}}
    first = convert(kline)

    def refuse(self: Any, row: Any) -> Any:
        raise AssertionError('built with the constructor')

    monkeypatch.setattr(FrameConverter, '_built', refuse)
    assert_same(convert({**kline, 'E': 2}).head(0), first.head(0))
    assert_same(convert.many([kline]), first)  # a batch of one takes the same path
    with pytest.raises(AssertionError, match='constructor'):
        convert({**kline, 'k': {**kline['k'], 's': None}})  # a null str: other dtypes, built the general way


def test_the_fused_one_row_path_serves_the_same_frames_and_hands_over_what_it_cannot(monkeypatch):
    # After a frame appended to a template, the next ones of that shape and those value types take one generated
    # function (FrameConverter._fast); a payload it cannot take (another type in a column, another shape, a
    # decimal `float` refuses, an int volas refuses) goes the way before, and gets the same frame as ever.
    convert = FrameConverter(TRADE_MAP)
    convert(TRADE)
    convert({**TRADE, 't': 2})  # the second of its types: appended to the template, which is now fused
    assert convert._fast is not None

    def refuse(self: Any, payload: Any) -> Any:
        raise AssertionError('not the fused path')

    with monkeypatch.context() as m:
        m.setattr(FrameConverter, '_one_row', refuse)
        for i in range(3):
            payload = {**TRADE, 't': 100 + i, 'p': f'{i}.5'}
            assert_same(convert(payload), ref_frame(TRADE_MAP, [payload]))
    others = [
        {**TRADE, 't': 1.5},  # a float in an int column: float64, not 1 in an int64 column
        {**TRADE, 'm': None},  # a null bool
        {**TRADE, 's': 7},  # an int in a str column
        {**TRADE, 'p': 'x'},  # a decimal `float` refuses: NA
        {k: v for k, v in TRADE.items() if k != 'q'},  # another shape
        {**TRADE, 'M': True, 'x': 1},  # keys the map does not name: the same shape
        {**TRADE, 't': 2**63},  # beyond int64
    ]
    for payload in others + others[::-1] + [TRADE]:
        assert_same(convert(payload), ref_frame(TRADE_MAP, [payload]))


@pytest.mark.parametrize(
    'use',
    [
        repr,
        lambda df: df.to_numpy(dtype='object').tolist(),
        lambda df: repr(df.copy().append({c: df[c][0] for c in df.columns})),
        lambda df: repr(DataFrame(df).append(df)),
        lambda df: repr(df.set_index('event_time')),
        lambda df: df['trade_id'].shift(1).to_list(),
        lambda df: df.to_csv(),
        lambda df: df.iloc[0].to_dict(),
        lambda df: (df.ready, df._physical_height, df.index.tolist()),
    ],
    ids=['repr', 'to_numpy', 'append_row', 'append_frame', 'set_index', 'shift', 'to_csv', 'row', 'state'],
)
def test_an_appended_frame_behaves_as_a_constructed_one(use):
    convert = FrameConverter(TRADE_MAP)
    constructed = convert(TRADE)  # the first of its shape: built by the constructor
    appended = convert(TRADE)
    assert use(appended) == use(constructed)
