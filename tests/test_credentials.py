"""Credentials: key loading, key-type detection, Binance's documented signatures, no leaks."""

import base64

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, padding, rsa

from binance_core.credentials import Credentials
from binance_core.exceptions import CredentialsException
from binance_core.params import query_string, signature_payload

# Binance's published example key (Spot docs, "SIGNED request example (HMAC)").
DOC_SECRET = 'NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j'
DOC_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A'


def _pem(key, password=None):
    enc = serialization.BestAvailableEncryption(password) if password else serialization.NoEncryption()
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, enc)


def test_ws_api_hmac_matches_binance_documented_example():
    params = {
        'symbol': 'BTCUSDT',
        'side': 'SELL',
        'type': 'LIMIT',
        'timeInForce': 'GTC',
        'quantity': '0.01000000',
        'price': '52000.00',
        'recvWindow': 100,
        'timestamp': 1645423376532,
        'apiKey': DOC_KEY,
    }
    payload = signature_payload(params)
    assert payload == (
        f'apiKey={DOC_KEY}&price=52000.00&quantity=0.01000000&recvWindow=100&side=SELL'
        '&symbol=BTCUSDT&timeInForce=GTC&timestamp=1645423376532&type=LIMIT'
    )
    assert Credentials(DOC_KEY, api_secret=DOC_SECRET).sign(payload) == (
        'aa1b5712c094bc4e57c05a1a5c1fd8d88dcd628338ea863fec7b88e59fe2db24'
    )


def test_ws_api_hmac_non_ascii_symbol_is_signed_as_utf8_without_percent_encoding():
    params = {
        'symbol': '１２３４５６',
        'side': 'BUY',
        'type': 'LIMIT',
        'timeInForce': 'GTC',
        'quantity': '1.00000000',
        'price': '0.10000000',
        'recvWindow': 5000,
        'timestamp': 1645423376532,
        'apiKey': DOC_KEY,
    }
    assert Credentials(DOC_KEY, api_secret=DOC_SECRET).sign(signature_payload(params)) == (
        'b33892ae8e687c939f4468c6268ddd4c40ac1af18ad19a064864c47bae0752cd'
    )


@pytest.mark.parametrize(
    ('symbol', 'expected'),
    [
        ('LTCBTC', 'c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71'),
        # REST since 2026-01-15: non-ASCII is percent-encoded BEFORE signing.
        ('１２３４５６', 'e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3'),
    ],
)
def test_rest_hmac_matches_binance_documented_examples(symbol, expected):
    params = {
        'symbol': symbol,
        'side': 'BUY',
        'type': 'LIMIT',
        'timeInForce': 'GTC',
        'quantity': '1',
        'price': '0.1',
        'recvWindow': 5000,
        'timestamp': 1499827319559,
    }
    qs = query_string(params)
    assert Credentials(DOC_KEY, api_secret=DOC_SECRET).sign(qs) == expected


def test_ed25519_signature_matches_rfc8032_vector():
    # RFC 8032 section 7.1, TEST 2 (one-byte message 0x72): Ed25519 is deterministic.
    seed = bytes.fromhex('4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb')
    key = ed25519.Ed25519PrivateKey.from_private_bytes(seed)
    creds = Credentials('k', private_key=_pem(key))
    assert creds.kind == 'ed25519'
    sig = base64.b64decode(creds.sign('r'))
    assert sig.hex() == (
        '92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da'
        '085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00'
    )


def test_rsa_signature_is_pkcs1v15_sha256_base64(tmp_path):
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    path = tmp_path / 'rsa.pem'
    path.write_bytes(_pem(key))
    creds = Credentials('k', private_key=str(path))
    assert creds.kind == 'rsa'
    payload = 'symbol=BTCUSDT&side=SELL&type=LIMIT&timeInForce=GTC&quantity=1&price=0.2&timestamp=1668481559918'
    sig = base64.b64decode(creds.sign(payload))
    key.public_key().verify(sig, payload.encode(), padding.PKCS1v15(), hashes.SHA256())  # raises if wrong


@pytest.mark.parametrize('form', ['path', 'pathlike', 'str', 'bytes'])
@pytest.mark.parametrize('kind', ['rsa', 'ed25519'])
def test_key_loads_from_every_form_and_type_is_detected(tmp_path, form, kind):
    key = ed25519.Ed25519PrivateKey.generate() if kind == 'ed25519' else rsa.generate_private_key(65537, 2048)
    pem = _pem(key, b'pw')
    path = tmp_path / 'k.pem'
    path.write_bytes(pem)
    source = {'path': str(path), 'pathlike': path, 'str': pem.decode(), 'bytes': pem}[form]
    creds = Credentials('k', private_key=source, private_key_pass=b'pw')
    assert creds.kind == kind
    assert creds.can_logon is (kind == 'ed25519')
    assert creds.public_key_pem() == key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def test_wrong_password_missing_password_and_unreadable_key_are_clear(tmp_path):
    pem = _pem(ed25519.Ed25519PrivateKey.generate(), b'right')
    with pytest.raises(CredentialsException, match='wrong private_key_pass'):
        Credentials('k', private_key=pem, private_key_pass='wrong')
    with pytest.raises(CredentialsException, match='encrypted; pass private_key_pass'):
        Credentials('k', private_key=pem)
    with pytest.raises(CredentialsException, match='cannot read private key file'):
        Credentials('k', private_key=str(tmp_path / 'missing.pem'))
    with pytest.raises(CredentialsException, match='not a valid PEM'):
        Credentials('k', private_key=b'-----BEGIN PRIVATE KEY-----\ngarbage\n-----END PRIVATE KEY-----\n')
    with pytest.raises(CredentialsException):
        Credentials('k', api_secret='s', private_key=pem)


def test_secrets_never_appear_in_repr_str_or_errors():
    secret = 'S3CRET-hmac-value-0123456789'
    creds = Credentials('APIKEY-1234567890', api_secret=secret)
    for text in (repr(creds), str(creds), f'{creds}'):
        assert secret not in text
        assert 'APIKEY-1234567890' not in text
    pem = _pem(ed25519.Ed25519PrivateKey.generate(), b'topsecretpass')
    try:
        Credentials('k', private_key=pem, private_key_pass=b'nope-wrong')
    except CredentialsException as exc:
        assert 'nope-wrong' not in str(exc) and 'topsecretpass' not in str(exc)
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(creds)


def test_key_only_credentials_cannot_sign():
    creds = Credentials('k')
    assert creds.kind is None and not creds.can_sign
    with pytest.raises(CredentialsException):
        creds.sign('x')


def test_key_text_that_is_not_quite_pem_never_lands_in_an_error_message():
    pem = _pem(ed25519.Ed25519PrivateKey.generate()).decode()
    body = ''.join(pem.splitlines()[1:-1])  # the base64 body without its armour
    with pytest.raises(CredentialsException) as info:
        Credentials('k', private_key=body + '\n')
    assert body[:16] not in str(info.value)
    assert Credentials('k', private_key='Bag Attributes\n    localKeyID: 01\n' + pem).kind == 'ed25519'
    assert Credentials('k', private_key='\ufeff' + pem).kind == 'ed25519'  # a UTF-8 BOM is fine


# -- a key body without its armour is never echoed (issue 11, item 12) --------------------------


def _no_key_material(exc, body):
    """No 20-character run of *body* in the message, the repr, or anything chained to them."""
    runs = {body[i : i + 20] for i in range(len(body) - 19)}
    seen = exc
    while seen is not None:
        for text in (str(seen), repr(seen), *(str(a) for a in getattr(seen, 'args', ()))):
            assert not any(run in text for run in runs), f'key material in {type(seen).__name__}: {text[:80]}'
        seen = seen.__cause__ or seen.__context__


def _armourless(kind, password=None):
    key = ed25519.Ed25519PrivateKey.generate() if kind == 'ed25519' else rsa.generate_private_key(65537, 2048)
    lines = _pem(key, password).decode().splitlines()
    return [line for line in lines if not line.startswith('-----')]


@pytest.mark.parametrize('shape', ['one-line str', 'wrapped str', 'one-line bytes', 'wrapped bytes'])
@pytest.mark.parametrize('kind', ['ed25519', 'rsa'])
def test_a_pem_body_without_its_begin_line_is_refused_without_echoing_it(kind, shape):
    body_lines = _armourless(kind)
    body = ''.join(body_lines)
    text = body if shape.startswith('one-line') else '\n'.join(body_lines) + '\n'
    source = text.encode() if shape.endswith('bytes') else text
    with pytest.raises(CredentialsException) as info:
        Credentials('k', private_key=source)
    _no_key_material(info.value, body)
    message = str(info.value)
    assert '-----BEGIN' in message and 'the path of the PEM file' in message, message


def test_an_encrypted_pem_body_without_its_begin_line_is_refused_without_echoing_it():
    body = ''.join(_armourless('ed25519', b'pw'))
    for source in (body, body.encode()):
        with pytest.raises(CredentialsException, match='-----BEGIN line') as info:
            Credentials('k', private_key=source, private_key_pass=b'pw')
        _no_key_material(info.value, body)


@pytest.mark.parametrize('seed', ['hex', 'base64'])
def test_a_raw_seed_passed_as_private_key_is_not_echoed(seed):
    raw = bytes(range(32))
    text = raw.hex() if seed == 'hex' else base64.b64encode(raw).decode()
    with pytest.raises(CredentialsException, match='looks like a key without its -----BEGIN line') as info:
        Credentials('k', private_key=text)
    _no_key_material(info.value, text)


def test_a_wrong_path_is_named_only_by_its_file_name_in_an_existing_folder(tmp_path):
    for missing, shown in (
        (tmp_path / 'binance-ed25519.pem', "'binance-ed25519.pem' in an existing folder"),
        (tmp_path / 'nowhere' / 'binance-ed25519.pem', 'a path of '),
    ):
        for source in (str(missing), missing):
            with pytest.raises(CredentialsException) as info:
                Credentials('k', private_key=source)
            message = str(info.value)
            assert shown in message and 'No such file' in message, message
            assert str(tmp_path) not in message
            assert '-----BEGIN' in message  # and what else to pass
            assert info.value.__context__ is None and info.value.__cause__ is None


@pytest.mark.parametrize('wrap', ['"{}"', "'{}',", '{}.', "b'{}'", ' {} ;'])
def test_a_key_body_dressed_up_as_a_path_is_never_echoed(wrap):
    """Base64 has '/', so a body copied with quotes, a comma or as str(bytes) has a separator and a character
    base64 lacks: it still must not be shown."""
    body = ''.join(_armourless('ed25519'))
    with pytest.raises(CredentialsException) as info:
        Credentials('k', private_key=wrap.format(body + '/x'))  # '/x': a separator whatever the body holds
    _no_key_material(info.value, body)


def test_a_wrong_path_that_could_be_key_text_is_not_named():
    with pytest.raises(CredentialsException) as info:
        Credentials('k', private_key='mykey')
    assert 'mykey' not in str(info.value) and 'No such file' in str(info.value)
    assert 'the path of the PEM file' in str(info.value)
