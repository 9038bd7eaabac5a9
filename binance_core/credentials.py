"""API credentials and request signing: HMAC-SHA256, RSA (PKCS#1 v1.5, SHA-256) and
Ed25519, the three key types Binance accepts. One instance may serve every client."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from pathlib import Path
from typing import Any

from binance_core.exceptions import CredentialsException

__all__ = ['Credentials']

_PEM_MARK = b'-----BEGIN'


class Credentials:
    """An API key plus optional signing material.

    Args:
        api_key: the Binance API key.
        api_secret: an HMAC secret (Binance deprecates HMAC; prefer asymmetric keys).
        private_key: an RSA or Ed25519 private key: a path to a PEM file, or the PEM
            itself as ``str`` or ``bytes``. The key type is detected from the key.
        private_key_pass: the password of an encrypted PEM (``str`` or ``bytes``).

    Attributes:
        api_key: the API key (sent in headers / params, never logged in full).
        kind: ``'hmac'``, ``'rsa'``, ``'ed25519'`` or ``None`` (key only, cannot sign).
    """

    __slots__ = ('_key', '_secret', 'api_key', 'kind')

    def __init__(
        self,
        api_key: str,
        api_secret: str | bytes | None = None,
        private_key: str | bytes | os.PathLike[str] | None = None,
        private_key_pass: str | bytes | None = None,
    ) -> None:
        if not isinstance(api_key, str) or not api_key:
            raise CredentialsException('api_key must be a non-empty string')
        if api_secret is not None and private_key is not None:
            raise CredentialsException('give either api_secret (HMAC) or private_key (RSA/Ed25519), not both')
        self.api_key = api_key
        self._secret: bytes | None = None
        self._key: Any = None
        self.kind: str | None = None
        if api_secret is not None:
            self._secret = api_secret.encode() if isinstance(api_secret, str) else bytes(api_secret)
            if not self._secret:
                raise CredentialsException('api_secret must not be empty')
            self.kind = 'hmac'
        elif private_key is not None:
            self._key, self.kind = _load_private_key(private_key, private_key_pass)

    @property
    def can_sign(self) -> bool:
        return self.kind is not None

    @property
    def can_logon(self) -> bool:
        """Only Ed25519 keys may authenticate a WS-API session (``session.logon``)."""
        return self.kind == 'ed25519'

    def sign(self, payload: str) -> str:
        """Sign a UTF-8 payload as Binance expects: hex for HMAC, base64 for RSA/Ed25519."""
        data = payload.encode('utf-8')
        if self._secret is not None:
            return hmac.new(self._secret, data, hashlib.sha256).hexdigest()
        if self.kind == 'ed25519':
            return base64.b64encode(self._key.sign(data)).decode('ascii')
        if self.kind == 'rsa':
            from cryptography.hazmat.primitives import hashes
            from cryptography.hazmat.primitives.asymmetric import padding

            return base64.b64encode(self._key.sign(data, padding.PKCS1v15(), hashes.SHA256())).decode('ascii')
        raise CredentialsException('these credentials hold only an API key; give api_secret or private_key to sign')

    def public_key_pem(self) -> bytes | None:
        """The public half of an asymmetric key in PEM (what you register with Binance)."""
        if self._key is None:
            return None
        from cryptography.hazmat.primitives import serialization

        pem: bytes = self._key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        return pem

    def __repr__(self) -> str:
        return f'Credentials(api_key={_mask(self.api_key)!r}, kind={self.kind!r})'

    __str__ = __repr__

    def __reduce__(self) -> Any:
        raise TypeError('Credentials cannot be pickled: that would copy secrets')


def _mask(key: str) -> str:
    return key[:4] + '…' if len(key) > 8 else '…'


_WHAT_TO_PASS = (
    "the whole PEM, its '-----BEGIN ... PRIVATE KEY-----' and '-----END ...' lines included "
    '(str or bytes), or the path of the PEM file'
)
_BEGIN_HINT = f'pass {_WHAT_TO_PASS}'
# What a key body (base64, maybe wrapped or spaced) or a hex seed is made of: text made only of these
# characters is never echoed back, even if it was meant as a path.
_KEY_ALPHABET = re.compile(r'[A-Za-z0-9+/=\s]*')


def _load_private_key(source: Any, password: str | bytes | None) -> tuple[Any, str]:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

    if isinstance(source, str) and ('-----' in source or '\n' in source or '\r' in source or len(source) > 1024):
        # Key text, never a path (BOMs and openssl "Bag Attributes" headers included): it must not be
        # echoed back as a file name in an error message.
        data = source.lstrip('\ufeff').encode('utf-8')
    elif isinstance(source, bytes | bytearray):
        # bytes are always the key itself (a path is a str or a PathLike).
        data = bytes(source).removeprefix(b'\xef\xbb\xbf')
    elif isinstance(source, str | os.PathLike):
        problem = None
        try:
            data = Path(source).expanduser().read_bytes()
        except (OSError, ValueError) as exc:  # ValueError: a NUL in the text
            problem = _unreadable(os.fspath(source), exc)
        if problem is not None:
            # Raised outside the except block: the OSError, which holds the text as its filename,
            # must not ride along as __context__ (the text may be a key pasted without armour).
            raise CredentialsException(problem)
    else:
        raise CredentialsException(f'private_key must be {_WHAT_TO_PASS}')
    pw = password.encode() if isinstance(password, str) else password
    try:
        key = serialization.load_pem_private_key(data, password=pw)
    except TypeError as exc:
        # cryptography raises TypeError both for "encrypted but no password" and the reverse.
        if pw is None:
            raise CredentialsException('the private key is encrypted; pass private_key_pass') from None
        raise CredentialsException('the private key is not encrypted; drop private_key_pass') from exc
    except ValueError:
        if _PEM_MARK not in data:
            raise CredentialsException(
                f'cannot parse the private key: it has no -----BEGIN line; {_BEGIN_HINT}'
            ) from None
        if pw is not None:
            raise CredentialsException(
                'cannot decrypt the private key: wrong private_key_pass or damaged PEM'
            ) from None
        raise CredentialsException('cannot parse the private key: not a valid PEM private key') from None
    except Exception:  # unsupported algorithm and the like
        raise CredentialsException('cannot load the private key: unsupported key format') from None
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return key, 'ed25519'
    if isinstance(key, rsa.RSAPrivateKey):
        return key, 'rsa'
    raise CredentialsException(f'unsupported key type {type(key).__name__}; Binance accepts RSA and Ed25519')


def _unreadable(text: str | bytes, exc: OSError | ValueError) -> str:
    """The error for a private_key that is no readable file. The text itself is never shown (a key body
    with a ``/`` and a stray quote or comma looks like a path too): only its length and, when its folder
    exists, the file name it asks for. A key body without its BEGIN line gets told what to pass."""
    name = text if isinstance(text, str) else text.decode('utf-8', 'replace')
    reason = getattr(exc, 'strerror', None) or 'not a valid path'
    if _KEY_ALPHABET.fullmatch(name) and len(name.strip()) >= 40:
        return f'private_key is not a readable file and looks like a key without its -----BEGIN line; {_BEGIN_HINT}'
    where = f'a path of {len(name)} characters'
    try:
        path = Path(name).expanduser()
        if path.parent != Path('.') and path.parent.is_dir():
            where = f'{path.name!r} in an existing folder'
    except (OSError, ValueError):
        pass
    return f'cannot read private key file ({where}): {reason}; {_BEGIN_HINT}'
