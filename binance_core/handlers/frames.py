"""Stream payload -> ``volas.DataFrame``: a handler base's column map is compiled once into a
:class:`FrameConverter`, which turns each payload into renamed, typed columns.

A column map (``columns.py`` of a plugin) is data::

    {'e': ('type', 'str'), 'p': ('price', 'float'),      # wire key -> (column, kind)
     'k': {'t': ('open_time', 'time'), ...},              # a nested object: flattened in place
     'B': [{'a': ('asset', 'str'), ...}]}                 # a nested array: one row per element

Kinds: ``'float'`` (Binance's decimal strings -> float), ``'int'`` and ``'time'`` (integers,
times in ms), ``'str'``, ``'bool'``. Wire keys absent from a payload produce no column (Binance
sends some fields only under conditions); ``null`` becomes NA. Keys the map does not name are
left out: the raw payload keeps everything, with Binance's exact decimal strings.

Speed notes (measured with ``benchmarks/bench_frames.py``): volas builds a column from a tuple
far faster than from a list (a 1000-row float list costs ~80x a tuple), so every column is
handed over as a tuple; a column costs ~1 us in volas whatever we do, so the Python side is a
plain loop over pre-split field tuples, with no per-frame dict of specs rebuilt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from operator import itemgetter
from typing import Any

from volas import DataFrame

__all__ = ['KINDS', 'FrameConverter', 'compile_columns', 'levels_frame']

KINDS = ('float', 'int', 'time', 'str', 'bool')

# The dtype to cast a column to when every value in it is null (volas would infer float64).
# int/time stay float64 NaN: volas cannot cast an all-NaN column to int64.
_NULL_DTYPES = {'str': 'str', 'bool': 'bool'}

_MISSING = object()
_EMPTY: Mapping[str, Any] = {}


def _float(value: Any) -> float | None:
    # Binance sends decimals as strings ("0.00100000"); a value that is not a number (never
    # documented) becomes NA rather than failing the whole frame. The payload keeps the raw value.
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


# One field: (parent key or None, wire key, column name, converter or None, dtype if all-null
# or None, exploded). `parent` names a nested object (flattened) or the exploded array.
_Field = tuple[str | None, str, str, Any, str | None, bool]


def _check_kind(key: str, spec: Any) -> tuple[str, str]:
    if (
        not isinstance(spec, tuple)
        or len(spec) != 2
        or not isinstance(spec[0], str)
        or not spec[0]
        or spec[1] not in KINDS
    ):
        raise ValueError(f'column map entry {key!r}: expected (column name, kind) with kind in {KINDS}, got {spec!r}')
    return spec


def _compile(columns: Mapping[str, Any]) -> tuple[tuple[_Field, ...], str | None]:
    fields: list[_Field] = []
    explode: str | None = None

    def add(parent: str | None, key: str, spec: Any, exploded: bool) -> None:
        name, kind = _check_kind(key, spec)
        fields.append((parent, key, name, _float if kind == 'float' else None, _NULL_DTYPES.get(kind), exploded))

    for key, spec in columns.items():
        if isinstance(spec, Mapping):
            for sub_key, sub_spec in spec.items():
                add(key, sub_key, sub_spec, False)
        elif isinstance(spec, list):
            if len(spec) != 1 or not isinstance(spec[0], Mapping):
                raise ValueError(f'column map entry {key!r}: a nested array is written [{{key: (name, kind)}}]')
            if explode is not None:
                raise ValueError(f'column map explodes both {explode!r} and {key!r}; a frame has one row source')
            explode = key
            for sub_key, sub_spec in spec[0].items():
                add(key, sub_key, sub_spec, True)
        else:
            add(None, key, spec, False)
    names = [f[2] for f in fields]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ValueError(f'column map names columns {dupes} more than once')
    return tuple(fields), explode


class FrameConverter:
    """A compiled column map; call it with a payload to get a ``volas.DataFrame``.

    A dict payload gives one row (or one row per element of the exploded array); a list
    payload (``!miniTicker@arr``, ``!ticker_1h@arr``) gives one row per element.

    Attributes:
        columns: the column map it was compiled from.
        names: the column names, in map order.
    """

    __slots__ = ('_explode', '_fields', 'columns', 'names')

    def __init__(self, columns: Mapping[str, Any]) -> None:
        self.columns = columns
        self._fields, self._explode = _compile(columns)
        self.names = tuple(f[2] for f in self._fields)

    def __repr__(self) -> str:
        return f'FrameConverter({", ".join(self.names)})'

    def __call__(self, payload: Any) -> DataFrame:
        data, nulls = self.to_columns(payload)
        df = DataFrame(data)
        if nulls:
            df = df.astype(nulls)
        return df

    def to_columns(self, payload: Any) -> tuple[dict[str, tuple[Any, ...]], dict[str, str] | None]:
        """The columns handed to ``volas.DataFrame`` (each a tuple), and the casts needed for
        all-null columns (``None`` when there are none)."""
        if type(payload) is dict and self._explode is None:
            return self._one(payload)
        if type(payload) is dict:
            return self._exploded(payload)
        if isinstance(payload, Sequence) and not isinstance(payload, str | bytes) and self._explode is None:
            return self._rows(payload)
        raise TypeError(
            f'cannot make a frame of a {type(payload).__name__} payload; expected a dict'
            + ('' if self._explode else ' or a list')
        )

    def _one(self, payload: dict[str, Any]) -> tuple[dict[str, tuple[Any, ...]], dict[str, str] | None]:
        # The hot path: one event, one row.
        data: dict[str, tuple[Any, ...]] = {}
        nulls = None
        for parent, key, name, convert, null_dtype, _ in self._fields:
            source = payload if parent is None else (payload.get(parent) or _EMPTY)
            value = source.get(key, _MISSING)
            if value is _MISSING:
                continue
            if value is None:
                if null_dtype is not None:
                    nulls = nulls or {}
                    nulls[name] = null_dtype
            elif convert is not None:
                value = convert(value)
            data[name] = (value,)
        return data, nulls

    def _rows(self, items: Sequence[Any]) -> tuple[dict[str, tuple[Any, ...]], dict[str, str] | None]:
        data: dict[str, tuple[Any, ...]] = {}
        nulls = None
        for parent, key, name, convert, null_dtype, _ in self._fields:
            try:
                # Fast path, in C: every row has the key and a convertible value.
                raw = map(itemgetter(key), items) if parent is None else (item[parent][key] for item in items)
                column = tuple(map(float, raw)) if convert is not None else tuple(raw)
            except (KeyError, TypeError, ValueError):
                if parent is None:
                    values = [item.get(key, _MISSING) for item in items]
                else:
                    values = [(item.get(parent) or _EMPTY).get(key, _MISSING) for item in items]
                tolerant = self._column(values, convert)
                if tolerant is None:
                    continue
                column = tolerant
            if null_dtype is not None and (not column or column[0] is None) and all(v is None for v in column):
                nulls = nulls or {}
                nulls[name] = null_dtype
            data[name] = column
        return data, nulls

    def _exploded(self, payload: dict[str, Any]) -> tuple[dict[str, tuple[Any, ...]], dict[str, str] | None]:
        items = payload.get(self._explode) or ()  # type: ignore[arg-type]
        n = len(items)
        data: dict[str, tuple[Any, ...]] = {}
        nulls = None
        for parent, key, name, convert, null_dtype, exploded in self._fields:
            if exploded:
                values = self._column([item.get(key, _MISSING) for item in items], convert)
                if values is None:
                    continue
                column = values
            else:
                source = payload if parent is None else (payload.get(parent) or _EMPTY)
                value = source.get(key, _MISSING)
                if value is _MISSING:
                    continue
                if value is not None and convert is not None:
                    value = convert(value)
                column = (value,) * n
            if null_dtype is not None and all(v is None for v in column):
                nulls = nulls or {}
                nulls[name] = null_dtype
            data[name] = column
        return data, nulls

    @staticmethod
    def _column(values: list[Any], convert: Any) -> tuple[Any, ...] | None:
        # A key absent from every row gives no column; absent from some rows gives NA there.
        if values and all(v is _MISSING for v in values):
            return None
        if convert is None:
            return tuple(None if v is _MISSING else v for v in values)
        return tuple(None if v is _MISSING or v is None else convert(v) for v in values)


def compile_columns(columns: Mapping[str, Any]) -> FrameConverter:
    """Compile a column map (see the module docstring); raises ``ValueError`` for a malformed one."""
    return FrameConverter(columns)


def levels_frame(levels: Sequence[Sequence[str]]) -> DataFrame:
    """Order-book levels ``[["0.0024", "10"], ...]`` -> a frame with float ``price`` and ``quantity``."""
    return DataFrame(
        {
            'price': tuple(float(level[0]) for level in levels),
            'quantity': tuple(float(level[1]) for level in levels),
        }
    )
