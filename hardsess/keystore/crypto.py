"""Secrets at rest: Fernet (AES-128-CBC + HMAC-SHA256, from the ``cryptography`` package)
under the key-encryption key (KEK). Several KEKs, comma-separated, rotate the KEK itself
(:class:`cryptography.fernet.MultiFernet`: the first encrypts, any decrypts)."""

from __future__ import annotations

import base64
import secrets
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from hardsess.keystore.options import KEK_ENV, SETTING

#: Bytes of a generated key secret (the same strength as ``keys generate``).
SECRET_BYTES = 48


class WrongKek(ImproperlyConfigured):
    """The KEK does not decrypt the store's keys."""


def fernet(kek: str | None) -> Any:
    try:
        from cryptography.fernet import Fernet, MultiFernet
    except ImportError as exc:  # pragma: no cover - the extra is missing
        raise ImproperlyConfigured(
            f"{SETTING} needs the 'cryptography' package: pip install 'hardsess[keystore]'"
        ) from exc
    if not kek:
        raise ImproperlyConfigured(f"{SETTING}: no key-encryption key (KEK or ${KEK_ENV})")
    try:
        return MultiFernet([Fernet(part.strip()) for part in kek.split(",") if part.strip()])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            f"{SETTING}: the key-encryption key is not a Fernet key (32 url-safe base64-encoded "
            "bytes; make one with `manage.py hardsess keys generate-kek`)"
        ) from exc


def new_kek() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii")


def new_secret() -> str:
    return secrets.token_urlsafe(SECRET_BYTES)


def encrypt(box: Any, secret: str) -> str:
    token: bytes = box.encrypt(secret.encode("utf-8"))
    return token.decode("ascii")


def decrypt(box: Any, token: str, key_id: str) -> bytes:
    from cryptography.fernet import InvalidToken

    try:
        secret: bytes = box.decrypt(token.encode("ascii"))
    except InvalidToken:
        raise WrongKek(
            f"{SETTING}: the key-encryption key does not decrypt stored key {key_id}: wrong KEK "
            f"(check KEK / ${KEK_ENV}; during a KEK change list the new KEK first, then the old)"
        ) from None
    return secret
