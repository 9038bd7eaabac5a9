"""Parameter checks and encoding shared by every transport.

Floats are refused everywhere (also inside lists and dicts), before anything is sent.
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

from binance_core.exceptions import FloatParamException, MissingParamException
from binance_core.specs import Endpoint

__all__ = ['encode_value', 'normalize', 'prepare', 'query_string', 'signature_payload', 'text']


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


def prepare(endpoint: Endpoint, params: Mapping[str, Any]) -> dict[str, Any]:
    """Normalise *params* for *endpoint* and check its required params."""
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
    return '&'.join(f'{k}={text(params[k])}' for k in sorted(params) if k != 'signature')


def query_string(params: Mapping[str, Any]) -> str:
    """REST rule: params in the order given, values percent-encoded as UTF-8 (Binance signs the
    query string as sent, and needs non-ASCII encoded before signing since 2026-01-15)."""
    return '&'.join(f'{quote(k, safe="")}={quote(text(v), safe="")}' for k, v in params.items())
