"""JSON for every transport: ``orjson`` when it is installed (the ``binance-sdk-core[speed]`` extra), else the
standard library, behind two functions that behave the same either way.

- :func:`loads` takes ``str``, ``bytes``, ``bytearray`` or ``memoryview`` (UTF-8) and raises ``ValueError``
  (a ``json.JSONDecodeError``; orjson's is a subclass) for anything that is not one JSON document.
- :func:`dumps` returns compact text (no spaces), for a WebSocket text frame or a request body. It takes what
  Binance's wire carries: dicts, lists, tuples, strings, ints, bools and ``None`` (floats too, though request
  params never are). Keys that are not strings are written as strings, as ``json`` does.

Where the two differ, only on what Binance never sends: orjson refuses integers beyond 64 bits, ``NaN`` and
``Infinity`` and nesting deeper than 1024 (all ``ValueError``, so a stream skips and reports such a frame),
and writes non-ASCII characters as UTF-8 where ``json`` escapes them (both are the same JSON).

``BINANCE_JSON=json`` in the environment (read once, at first import) keeps the standard library although
orjson is installed: the benchmarks compare the two with it. :data:`NAME` says which one is in use.
"""

from __future__ import annotations

import importlib
import json
import os
from collections.abc import Callable
from typing import Any

__all__ = ['NAME', 'dumps', 'loads']

loads: Callable[[str | bytes | bytearray | memoryview], Any]
dumps: Callable[[Any], str]

# Imported by name, so that type checking works with and without the optional orjson installed.
orjson: Any = None
if os.environ.get('BINANCE_JSON', '').strip().lower() != 'json':
    try:
        orjson = importlib.import_module('orjson')
    except ImportError:  # the [speed] extra is not installed
        orjson = None

if orjson is not None:
    NAME = 'orjson'
    _dumps = orjson.dumps
    _NON_STR_KEYS = orjson.OPT_NON_STR_KEYS
    loads = orjson.loads

    def dumps(obj: Any) -> str:
        """*obj* as compact JSON text."""
        text: str = _dumps(obj, option=_NON_STR_KEYS).decode()
        return text

else:
    NAME = 'json'
    _encoder = json.JSONEncoder(separators=(',', ':'))
    _decode = json.JSONDecoder().decode

    def loads(data: str | bytes | bytearray | memoryview) -> Any:
        """Parse one JSON document; ``ValueError`` when *data* is not one (``RecursionError`` included)."""
        if not isinstance(data, str):
            try:
                data = bytes(data).decode()
            except UnicodeDecodeError as exc:
                raise json.JSONDecodeError(f'not UTF-8: {exc.reason}', '', 0) from None
        try:
            return _decode(data)
        except RecursionError:  # absurdly nested: orjson says ValueError for the same input
            raise json.JSONDecodeError('nested too deeply', '', 0) from None

    # The C encoder that JSONEncoder.encode builds on every call, built once (about 4% of a plain WS-API request).
    # Without the circular-reference check (markers=None: a markers dict kept between calls could hold the ids of a
    # call that failed), which nothing Binance takes needs: a circular or absurdly deep object ends in a
    # RecursionError at the interpreter's recursion limit, said as the ValueError json gave for it before (orjson
    # says TypeError). c_make_encoder is CPython's private accelerator: where it is missing or takes other arguments,
    # JSONEncoder.encode as before.
    _c_make_encoder = getattr(json.encoder, 'c_make_encoder', None)
    _ascii = json.encoder.encode_basestring_ascii
    try:
        _iterencode = _c_make_encoder(None, _encoder.default, _ascii, None, ':', ',', False, False, True)  # type: ignore[misc]
    except TypeError:  # None (another interpreter), or another signature
        _iterencode = None
    if _iterencode is None:
        dumps = _encoder.encode
    else:

        def dumps(obj: Any) -> str:
            """*obj* as compact JSON text."""
            if isinstance(obj, str):
                return _ascii(obj)
            try:
                return ''.join(_iterencode(obj, 0))
            except RecursionError:
                raise ValueError('cannot write a circular or too deeply nested object as JSON') from None
