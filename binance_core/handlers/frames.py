"""Stream payload -> ``volas.DataFrame``: a handler base's column map is compiled once into a
:class:`FrameConverter`, which turns each payload (or a batch of them) into renamed, typed columns.

A column map (``columns.py`` of a plugin) is data::

    {'e': ('type', 'str'), 'p': ('price', 'float'),      # wire key -> (column, kind)
     'k': {'t': ('open_time', 'time'), ...},              # a nested object: flattened in place
     'B': [{'a': ('asset', 'str'), ...}]}                 # a nested array: one row per element

Kinds: ``'float'`` (Binance's decimal strings -> float), ``'int'`` and ``'time'`` (integers,
times in ms), ``'str'``, ``'bool'``. Wire keys absent from a payload produce no column (Binance
sends some fields only under conditions); ``null`` becomes NA. Keys the map does not name are
left out: the raw payload keeps everything, with Binance's exact decimal strings.

How a one-row frame is built fast. A payload's *shape* is the set of columns it fills (all of the
map's, or fewer when Binance leaves optional keys out). For each shape met, the converter generates
(``exec``, once, as attrs and dataclasses do) a reader that indexes exactly those keys, converts
the decimals with ``float`` and raises if a key of another column is present: one Python call, no
per-frame loop over specs. The frame is then not built by ``volas.DataFrame(columns)``, which
infers each column's dtype (~2 us a column here), but by appending the row to a copy of an empty
frame with the right dtypes (``copy()`` is ~0.3 us; ``append(dict)`` is volas's documented fast
live path). That empty frame is made once per (shape, Python types of the values) from the
constructor's own frame, and kept only if a copy plus the append gives a frame ``equals`` to it,
with the same columns, dtypes and index, and each dtype is what the constructor infers for that
type whatever the value (``int`` -> int64, ``float`` -> float64, ``str``, ``bool``). Anything else
(a null in a str/bool column, an int beyond int64, a value the strict reader cannot take) goes
the general way, which is the code this module had before, so the frames are the same. Once a row
has been appended to a template, reading, checking the value types and appending are fused into one
generated function (:meth:`_Shape.maker`), tried first for the next payload; whatever it cannot take
goes the way just described. Per trade frame that is about 9k instructions of ours around volas's
``copy().append(row)`` (48k, of which ``append`` 45k); before fusing, about 13k.

Batches (:meth:`FrameConverter.many`): the same readers return tuples, ``zip(*rows)`` turns them
into column tuples in C, and ``volas.DataFrame`` builds the frame in one call, whose cost per row
falls fast with the batch size.

Measured with ``benchmarks/bench_frames.py -n 50000``: CPU microseconds per frame, the median of 3
runs (each the best of 3), on the 2-core machine while other jobs ran, so about 2x a quiet
machine's figures (the issue's 8 us one-row frame takes ~19 here); compare within a run:

==============================================  =====  =====
stage                                           trade  kline
==============================================  =====  =====
before: payload -> columns (``to_columns``)       3.0    7.7
before: ``volas.DataFrame(columns as tuples)``   18.7   46.2
before: whole payload -> one-row DataFrame       20.2   48.1
after: payload -> row (generated reader)          0.9    2.8
after: ``empty.copy().append(row)``               6.1   15.3
after: whole ``receive()`` (runs: 9-14, 22-32)   12.6   31.9
``many()``, batches of 10, per frame              4.3    8.2
``many()``, batches of 100, per frame             1.7    3.7
``many()``, batches of 1000, per frame            1.4    3.6
==============================================  =====  =====

(trade: 8 flat columns; kline: 18 columns, 16 of them nested in ``k``.) Alternatives measured for
the trade frame in one run: one row as tuples 16.4, lists 22.9, numpy arrays for the numbers
17.3 (all columns 23.5), ``copy()`` of an empty frame + ``append(row)`` 6.0,
``DataFrame(empty frame)`` + ``append`` 6.0, ``copy()`` of a one-row frame + ``iat`` per cell 6.0
(8 calls); per row of a 100-row batch: tuples 0.34, numpy for the numbers 0.48, numpy everywhere
1.27, lists 4.3 (volas converts a list far slower than a tuple).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from volas import DataFrame

__all__ = ['KINDS', 'FrameConverter', 'compile_columns', 'levels_frame']

KINDS = ('float', 'int', 'time', 'str', 'bool')

# The dtype to cast a column to when every value in it is null (volas would infer float64).
# int/time stay float64 NaN: volas cannot cast an all-NaN column to int64.
_NULL_DTYPES = {'str': 'str', 'bool': 'bool'}

# What volas.DataFrame infers for a column of one value of each type, whatever the value (a None is float64,
# unless the kind casts it; an int beyond int64 gives float64, which the template check refuses).
_DTYPE_OF_TYPE: dict[type, str] = {int: 'int64', float: 'float64', str: 'str', bool: 'bool'}

# Bounds on what a converter learns from payloads: shapes (sets of columns present) and, per shape, empty frames
# (one per tuple of value types). Real streams have a handful of each; past the bound, frames are still right,
# built the general way.
_MAX_SHAPES = 32
_MAX_TEMPLATES = 16

_MISSING = object()
_EMPTY: Mapping[str, Any] = {}
_NONE_TYPE = type(None)


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


def _frame(data: dict[str, tuple[Any, ...]], nulls: dict[str, str] | None) -> DataFrame:
    df = DataFrame(data)
    if nulls:
        df = df.astype(nulls)
    return df


def _same(a: DataFrame, b: DataFrame) -> bool:
    return (
        a.columns == b.columns
        and a.dtypes == b.dtypes
        and a.shape == b.shape
        and a.index.tolist() == b.index.tolist()
        and a.equals(b)
    )


class _Shape:
    """One set of columns a payload fills, with the readers generated for it and its empty frames.

    ``row(payload)`` returns ``{column: value}`` and ``values(payload)`` the same values as a tuple, in
    map order; both raise when the payload has another shape (a key of an absent column is present, a
    present one is missing) or a value ``float`` cannot take, which the general path then handles.
    """

    __slots__ = ('_source', 'makers', 'names', 'nulls', 'row', 'templates', 'tolerant', 'values')

    def __init__(self, fields: Sequence[_Field], names: tuple[str, ...]) -> None:
        self.names = names
        present = set(names)
        # (index, column, dtype) of the columns an all-null value casts (str/bool kinds).
        self.nulls = tuple((names.index(f[2]), f[2], f[4]) for f in fields if f[2] in present and f[4] is not None)
        self._source = _reader_source(fields, present)
        self.row, self.values = _generate(self._source, float)
        self.tolerant = False
        # Value types -> the fused one-row function of that template (see :meth:`maker`).
        self.makers: dict[tuple[type, ...], Callable[[Any], DataFrame | None]] = {}
        # Python types of the values -> the empty frame a row of them is appended to (None: build it instead).
        self.templates: dict[tuple[type, ...], DataFrame | None] = {}

    def tolerate(self) -> None:
        """A present value ``float`` refused (a null, an unparseable decimal): read decimals the lenient way
        from now on, as the general path does (NA for what is not a number)."""
        if not self.tolerant:
            self.row, self.values = _generate(self._source, _float)
            self.tolerant = True
            self.makers = {}

    def maker(self, key: tuple[type, ...], template: DataFrame) -> Callable[[Any], DataFrame | None]:
        """The one-row path of the value types *key*, fused into one generated function: it reads the payload
        as :attr:`row` does, returns ``None`` when a value has another type than *key* says (its frame may have
        other dtypes) and appends the row to a copy of *template*. It raises as :attr:`row` does, and as
        ``append`` does for a value volas refuses (an int beyond int64)."""
        make = self.makers.get(key)
        if make is None:
            make = _generate_maker(self._source, _float if self.tolerant else float, key, template)
            if len(self.makers) < _MAX_TEMPLATES:
                self.makers[key] = make
        return make


# A reader's source: its body lines, and (column, value expression) for each column it fills.
_Source = tuple[tuple[str, ...], tuple[tuple[str, str], ...]]


def _reader_source(fields: Sequence[_Field], present: set[str]) -> _Source:
    """The body of a reader for the shape whose columns are *present*: read those keys, and raise when a
    key of another column is there (the general path would give that column)."""
    lines: list[str] = []
    guards: list[str] = []
    parents: dict[str, str] = {}
    for nested in dict.fromkeys(f[0] for f in fields if f[0] is not None):
        var = parents[nested] = f'_{len(parents)}'
        own = [f for f in fields if f[0] == nested]
        if any(f[2] in present for f in own):
            lines.append(f'{var} = p[{nested!r}]')
            guards += [f'{f[1]!r} in {var}' for f in own if f[2] not in present]
        else:
            # As the general path reads it: an absent, null or empty object fills none of its columns.
            lines.append(f'{var} = p.get({nested!r})')
            keys = ' or '.join(f'{f[1]!r} in {var}' for f in own)
            guards.append(f'({var} and (type({var}) is not dict or {keys}))')
    columns: list[tuple[str, str]] = []
    for parent, key, name, convert, _, _ in fields:
        if name not in present:
            if parent is None:
                guards.append(f'{key!r} in p')
            continue
        read = f'{"p" if parent is None else parents[parent]}[{key!r}]'
        columns.append((name, f'_f({read})' if convert is not None else read))
    if guards:
        lines += [f'if {" or ".join(guards)}:', '    raise LookupError']
    return tuple(lines), tuple(columns)


def _generate(source: _Source, convert: Callable[[Any], Any]) -> tuple[Any, Any]:
    """``row(payload) -> {column: value}`` and ``values(payload) -> (value, ...)`` for *source*, with *convert*
    (``float``, or the lenient ``_float``) for decimals."""
    lines, columns = source
    body = ''.join(f'    {line}\n' for line in lines)
    row = ', '.join(f'{name!r}: {value}' for name, value in columns)
    values = ''.join(f'{value}, ' for _, value in columns)
    code = f'def row(p):\n{body}    return {{{row}}}\n\ndef values(p):\n{body}    return ({values})\n'
    namespace: dict[str, Any] = {'_f': convert}
    exec(compile(code, '<binance_core.handlers.frames reader>', 'exec'), namespace)
    return namespace['row'], namespace['values']


def _generate_maker(
    source: _Source, convert: Callable[[Any], Any], key: tuple[type, ...], template: DataFrame
) -> Callable[[Any], DataFrame | None]:
    """See :meth:`_Shape.maker`. A decimal read with ``float`` needs no type check: it is a float or raised."""
    lines, columns = source
    body = ''.join(f'    {line}\n' for line in lines)
    body += ''.join(f'    v{i} = {value}\n' for i, (_, value) in enumerate(columns))
    checks = [
        f'type(v{i}) is not _t{i}'
        for i, (_, value) in enumerate(columns)
        if not (convert is float and value.startswith('_f('))
    ]
    if checks:
        body += f'    if {" or ".join(checks)}:\n        return None\n'
    row = ', '.join(f'{name!r}: v{i}' for i, (name, _) in enumerate(columns))
    code = f'def make(p):\n{body}    return _copy().append({{{row}}})\n'
    namespace: dict[str, Any] = {'_f': convert, '_copy': template.copy}
    namespace.update((f'_t{i}', kind) for i, kind in enumerate(key))
    exec(compile(code, '<binance_core.handlers.frames maker>', 'exec'), namespace)
    return namespace['make']  # type: ignore[no-any-return]


class FrameConverter:
    """A compiled column map; call it with a payload to get a ``volas.DataFrame``.

    A dict payload gives one row (or one row per element of the exploded array); a list
    payload (``!miniTicker@arr``, ``!ticker_1h@arr``) gives one row per element.
    :meth:`many` makes one frame of several payloads (batched delivery).

    A converter learns, from the payloads it converts, readers and empty frames that make the next
    ones fast (see the module docstring); it is shared by every handler of its class.

    Attributes:
        columns: the column map it was compiled from.
        names: the column names, in map order.
    """

    __slots__ = ('_explode', '_fast', '_fields', '_nulls', '_shape', '_shapes', 'columns', 'names')

    def __init__(self, columns: Mapping[str, Any]) -> None:
        self.columns = columns
        self._fields, self._explode = _compile(columns)
        self.names = tuple(f[2] for f in self._fields)
        self._nulls = {f[2]: f[4] for f in self._fields if f[4] is not None}
        # Shapes met so far (column names -> shape), and the one the last payload had: tried first.
        # Readers are generated on first use, so that importing a plugin compiles nothing.
        self._shapes: dict[tuple[str, ...], _Shape] = {}
        self._shape: _Shape | None = None
        # The fused one-row function of the template the last frame was appended to (see _Shape.maker): tried
        # first; when it refuses a payload (another shape, other value types), the path below decides.
        self._fast: Callable[[Any], DataFrame | None] | None = None

    def __repr__(self) -> str:
        return f'FrameConverter({", ".join(self.names)})'

    def __call__(self, payload: Any) -> DataFrame:
        fast = self._fast
        if fast is not None and type(payload) is dict:  # the hot path: one event, one row, as the last one
            try:
                frame = fast(payload)
            except Exception:  # another shape, a value `float` or volas refused: the path below decides
                frame = None
            if frame is not None:
                return frame
        return self._one_row(payload)

    def _one_row(self, payload: Any) -> DataFrame:
        if type(payload) is not dict or self._explode is not None:
            data, nulls = self.to_columns(payload)
            return _frame(data, nulls)
        shape = self._shape
        try:
            row = shape.row(payload) if shape is not None else None
        except Exception:  # another shape, or a value `float` refused: learnt below
            row = None
        if row is None or shape is None:
            row, shape = self._learn(payload)
            if shape is None:
                return self._built(row)
        key = tuple(map(type, row.values()))
        templates = shape.templates
        template = templates.get(key)
        if template is not None:
            try:
                frame = template.copy().append(row)
            except Exception:  # a value volas types otherwise (an int beyond int64): built the general way
                return self._built(row)
            self._fast = shape.maker(key, template)
            return frame
        if key not in templates:
            return self._first(shape, key, row)
        return self._built(row)

    def many(self, payloads: Sequence[Any]) -> DataFrame:
        """One ``volas.DataFrame`` of the rows of every payload, in order: the rows ``self(payload)`` gives for
        each, under the columns any of them has (in map order), NA where a payload's own frame has no such
        column, each column's dtype inferred over all its values as for one payload. For dict payloads of a
        map without an exploded array, that is the frame of the list of them (an ``@arr`` payload); list
        payloads contribute their elements. ``many([])`` has every column of the map and no rows, as an
        empty ``@arr`` payload.

        Raises ``TypeError`` for a payload ``self(payload)`` refuses."""
        if not payloads:
            return _frame(*self._rows(()))
        if self._explode is not None:
            data, nulls = self._merged(payloads)
            return _frame(data, nulls)
        if len(payloads) == 1 and type(payloads[0]) is dict:
            return self(payloads[0])  # a batch of one: the one-row path, with its template
        shape = self._shape
        if shape is not None and all(type(p) is dict for p in payloads):
            try:
                columns = tuple(zip(*map(shape.values, payloads), strict=True))
            except Exception:
                pass
            else:
                return _frame(*self._shaped(shape, columns))
        items: list[Any] = []
        empty = False
        for payload in payloads:
            if type(payload) is dict:
                items.append(payload)
            elif isinstance(payload, Sequence) and not isinstance(payload, str | bytes):
                items.extend(payload)
                empty = empty or not payload
            else:
                raise TypeError(f'cannot make a frame of a {type(payload).__name__} payload; expected a dict or a list')
        data, nulls = self._rows(items)
        if empty and len(data) < len(self.names):
            # An empty array's own frame has every column: NA in the rows of the others.
            data, nulls = self._padded(data, len(items))
        # Learn the shape of the latest payload, so that the next batches of it take the path above.
        if type(payloads[-1]) is dict:
            try:
                self._learn(payloads[-1])
            except Exception:  # only a hint; the frame is built above
                pass
        return _frame(data, nulls)

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

    # -- one row: shapes and templates --------------------------------------------------------------------------

    def _learn(self, payload: dict[str, Any]) -> tuple[dict[str, Any], _Shape | None]:
        """Read *payload* with another known shape's reader, or the general way; make its shape the first tried.
        Raises as the general path does for a payload that is no frame."""
        for shape in tuple(self._shapes.values()):  # a copy: a handler class may serve loops in other threads
            if shape is not self._shape:
                try:
                    row = shape.row(payload)
                except Exception:
                    continue
                self._shape = shape
                return row, shape
        row = self._row(payload)
        names = tuple(row)
        known = self._shapes.get(names)
        if known is None:
            if len(self._shapes) >= _MAX_SHAPES:
                return row, None
            known = self._shapes[names] = _Shape(self._fields, names)
        elif known is self._shape:
            known.tolerate()  # the same columns, but a value `float` refused
        self._shape = known
        return row, known

    def _row(self, payload: dict[str, Any]) -> dict[str, Any]:
        # The general path for one row: what _one() gives, as {column: value}.
        row: dict[str, Any] = {}
        for parent, key, name, convert, _, _ in self._fields:
            source = payload if parent is None else (payload.get(parent) or _EMPTY)
            value = source.get(key, _MISSING)
            if value is _MISSING:
                continue
            if value is not None and convert is not None:
                value = convert(value)
            row[name] = value
        return row

    def _built(self, row: dict[str, Any]) -> DataFrame:
        """The one-row frame of *row* built by the constructor, as it always was."""
        nulls = {name: self._nulls[name] for name, value in row.items() if value is None and name in self._nulls}
        return _frame({name: (value,) for name, value in row.items()}, nulls)

    def _first(self, shape: _Shape, key: tuple[type, ...], row: dict[str, Any]) -> DataFrame:
        """Build the frame of the first row of these value types, and keep an empty frame to append the next
        ones to when that gives the very same frame."""
        frame = self._built(row)
        if len(shape.templates) >= _MAX_TEMPLATES:
            return frame
        expected = {}
        for name, kind in zip(row, key, strict=True):
            dtype = 'float64' if kind is _NONE_TYPE and name not in self._nulls else _DTYPE_OF_TYPE.get(kind)
            if dtype is None:  # a null cast to str/bool, or a type volas may type by value (list, dict, ...)
                shape.templates[key] = None
                return frame
            expected[name] = dtype
        if frame.dtypes != expected:  # this value is typed otherwise (an int beyond int64): maybe the next one
            return frame
        template = frame[0:0]
        try:
            same = _same(template.copy().append(row), frame)
        except Exception:
            same = False
        shape.templates[key] = template if same else None
        return frame

    # -- many rows ----------------------------------------------------------------------------------------------

    @staticmethod
    def _shaped(shape: _Shape, columns: tuple[tuple[Any, ...], ...]) -> tuple[dict[str, tuple[Any, ...]], Any]:
        nulls = None
        for index, name, dtype in shape.nulls:
            column = columns[index]
            if column.count(None) == len(column):
                nulls = nulls or {}
                nulls[name] = dtype
        return dict(zip(shape.names, columns, strict=True)), nulls

    def _padded(
        self, data: dict[str, tuple[Any, ...]], height: int
    ) -> tuple[dict[str, tuple[Any, ...]], dict[str, str] | None]:
        blank = (None,) * height
        data = {name: data.get(name, blank) for name in self.names}
        return data, self._null_casts(data)

    def _null_casts(self, data: dict[str, tuple[Any, ...]]) -> dict[str, str] | None:
        nulls = None
        for name, column in data.items():
            dtype = self._nulls.get(name)
            if dtype is not None and column.count(None) == len(column):
                nulls = nulls or {}
                nulls[name] = dtype
        return nulls

    def _merged(self, payloads: Sequence[Any]) -> tuple[dict[str, tuple[Any, ...]], dict[str, str] | None]:
        # Exploded maps: each payload's own columns, concatenated; NA where a payload has no such column.
        parts = [self.to_columns(payload)[0] for payload in payloads]
        if len(parts) == 1:
            data = parts[0]
        else:
            data = {}
            for name in self.names:
                if any(name in part for part in parts):
                    merged: list[Any] = []
                    for part in parts:
                        own = part.get(name)
                        merged.extend(own if own is not None else (None,) * _height(part))
                    data[name] = tuple(merged)
        return data, self._null_casts(data)

    # -- the general path ---------------------------------------------------------------------------------------

    def _one(self, payload: dict[str, Any]) -> tuple[dict[str, tuple[Any, ...]], dict[str, str] | None]:
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


def _height(columns: dict[str, tuple[Any, ...]]) -> int:
    for column in columns.values():
        return len(column)
    return 0


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
