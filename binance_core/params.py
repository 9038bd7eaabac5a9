"""Parameter checks and encoding shared by every transport.

Floats are refused everywhere (also inside lists and dicts), before anything is sent; so is a
param Binance takes as text (``MarketSpec.text_params``, ``Endpoint.text``) given as anything else.
Values are normalised once: ``Decimal`` to plain decimal notation, enums to their value,
``None`` dropped; ints and bools stay JSON-native for the WS-API and become text only in
signature payloads and query strings.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from binance_core.exceptions import (
    FloatParamException,
    InvalidParamTypeException,
    InvalidParamValueException,
    MissingParamException,
    UnknownParamException,
)
from binance_core.specs import Endpoint

__all__ = ['check_text', 'encode_value', 'normalize', 'prepare', 'query_string', 'signature_payload', 'text']

_NO_TEXT: frozenset[str] = frozenset()


def encode_value(name: str, value: Any) -> Any:
    """One param value in its wire form (JSON-native), or raise for a float."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        raise FloatParamException(name, value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f'param {name!r} must be a finite decimal, got {value}')
        return format(value, 'f')
    if isinstance(value, enum.Enum):
        return encode_value(name, value.value)
    if isinstance(value, list | tuple):
        return [encode_value(name, v) for v in value]
    if isinstance(value, Mapping):
        return {k: encode_value(f'{name}.{k}', v) for k, v in value.items() if v is not None}
    if type(value).__name__ == 'TimeFrame':  # volas.TimeFrame: str() is Binance's interval
        return str(value)
    raise TypeError(f'param {name!r} has unsupported type {type(value).__name__}; use str, int, bool or Decimal')


def normalize(params: Mapping[str, Any]) -> dict[str, Any]:
    """Encode every value; ``None`` means "not given" and is dropped."""
    return {k: encode_value(k, v) for k, v in params.items() if v is not None}


def check_text(method: str, name: str, value: Any) -> None:
    """Refuse *value* for a param Binance takes as text, unless it is a non-empty, not
    whitespace-only ``str`` (``StrEnum`` members are), a str-valued enum member, or a
    ``volas.TimeFrame`` (intervals). ``int``, ``bool``, ``Decimal``, ``bytes``, lists and dicts
    are refused: Binance would reject them, or read them as something else."""
    if isinstance(value, enum.Enum) and not isinstance(value, str):
        if not isinstance(value.value, str):
            raise InvalidParamTypeException(method, name, value)
        value = value.value
    elif not isinstance(value, str):
        if type(value).__name__ == 'TimeFrame':  # volas.TimeFrame, as in encode_value
            return
        raise InvalidParamTypeException(method, name, value)
    if not value or value.isspace():
        raise InvalidParamValueException(method, name, value)


def prepare(endpoint: Endpoint, params: Mapping[str, Any], text_params: frozenset[str] = _NO_TEXT) -> dict[str, Any]:
    """Check and normalise *params* for *endpoint*: text params first (the market's
    *text_params* with the row's ``text``, less its ``not_text``), then floats and encodings,
    then the required params. A row that declares its params (``Endpoint.optional``) refuses any other."""
    known = endpoint.known
    if known is not None:
        for name in params:
            if name not in known:
                raise UnknownParamException(endpoint.name, name, known, refused=endpoint.refused)
    names = endpoint.text_names(text_params) if endpoint.text or endpoint.not_text else text_params
    if names:
        for name, value in params.items():
            # One set lookup per param; a text param given as a non-blank str (StrEnum members
            # are str) passes inline, anything else goes to check_text for the verdict.
            if name in names:
                if isinstance(value, str):
                    if value and not value.isspace():
                        continue
                elif value is None:
                    continue
                check_text(endpoint.name, name, value)
    out = normalize(params)
    if endpoint.required:
        missing = endpoint.missing(out)
        if missing:
            raise MissingParamException(endpoint.name, missing)
    return out


def text(value: Any) -> str:
    """A normalised value as Binance reads it in a payload: ``true``/``false``, compact JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, int):
        return str(value)
    return json.dumps(value, separators=(',', ':'), ensure_ascii=False)


def signature_payload(params: Mapping[str, Any]) -> str:
    """WS-API rule: every param but ``signature``, sorted by name, ``name=value`` joined by ``&``,
    no percent-encoding."""
    # Every signed request comes here: a plain loop (cheaper than a generator), and text() only for what is not a
    # plain str or int (which it would return as is, or as str()).
    parts = []
    for k in sorted(params):
        if k != 'signature':
            v = params[k]
            t = type(v)
            parts.append(f'{k}={v}' if t is str or t is int else f'{k}={text(v)}')
    return '&'.join(parts)


def query_string(params: Mapping[str, Any]) -> str:
    """REST rule: params in the order given, values percent-encoded as UTF-8 (Binance signs the
    query string as sent, and needs non-ASCII encoded before signing since 2026-01-15)."""
    return '&'.join(f'{quote(k, safe="")}={quote(text(v), safe="")}' for k, v in params.items())
