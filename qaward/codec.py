"""Payload encryption for everything the service hands Temporal (issue #17, item 2).

Objectors' names and contacts, contact details and free-text reports travel in workflow
inputs, updates and results; Temporal stores them in histories and shows them in its UI.
Every payload is sealed with AES-256-GCM before it leaves this process, with the key id in
the payload's metadata, so a key can be replaced: new payloads use the current key, old
histories decode with the older keys kept in settings (``QAWARD_PAYLOAD_OLD_KEYS``).

A payload without the ``binary/encrypted`` encoding passes through unchanged when decoding:
histories recorded before the codec existed (the saved replay baseline, an upgraded data
folder) keep replaying and reading.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping, Sequence
from functools import cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from temporalio.api.common.v1 import Payload
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter, PayloadCodec

from qaward.settings import Settings

ENCODING = b"binary/encrypted"
KEY_ID = "encryption-key-id"
NONCE_BYTES = 12


class CodecError(ValueError):
    """A sealed payload this process cannot open (unknown key id, or altered bytes)."""


class AesGcmCodec(PayloadCodec):
    """AES-256-GCM over the whole serialized payload; the key id is also the associated
    data, so a payload relabelled with another key id fails to open."""

    def __init__(self, current_key_id: str, keys: Mapping[str, bytes]) -> None:
        if current_key_id not in keys:
            raise ValueError(f"no key for the current key id {current_key_id!r}")
        self.key_id = current_key_id
        self._ciphers = {key_id: AESGCM(key) for key_id, key in keys.items()}

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.seal(p) for p in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.open(p) for p in payloads]

    def seal(self, payload: Payload) -> Payload:
        nonce = os.urandom(NONCE_BYTES)
        key_id = self.key_id.encode()
        sealed = self._ciphers[self.key_id].encrypt(nonce, payload.SerializeToString(), key_id)
        return Payload(metadata={"encoding": ENCODING, KEY_ID: key_id}, data=nonce + sealed)

    def open(self, payload: Payload) -> Payload:
        if payload.metadata.get("encoding") != ENCODING:
            return payload  # written before the codec existed
        key_id = payload.metadata.get(KEY_ID, b"").decode(errors="replace")
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise CodecError(
                f"没有编号为 {key_id} 的负载密钥（QAWARD_PAYLOAD_OLD_KEYS）/ "
                f"no payload key with id {key_id} (QAWARD_PAYLOAD_OLD_KEYS)"
            )
        nonce, sealed = payload.data[:NONCE_BYTES], payload.data[NONCE_BYTES:]
        try:
            plain = cipher.decrypt(nonce, sealed, key_id.encode())
        except InvalidTag:
            raise CodecError(
                "负载无法解密（数据被改动或密钥不符）/ payload fails to open"
            ) from None
        return Payload.FromString(plain)


@cache
def _codec(current_key_id: str, keys: tuple[tuple[str, bytes], ...]) -> AesGcmCodec:
    return AesGcmCodec(current_key_id, dict(keys))


def codec(settings: Settings) -> AesGcmCodec:
    """The codec of these settings (one per distinct key set, so ciphers are made once)."""
    current, keys = settings.payload_keys
    return _codec(current, tuple(sorted(keys.items())))


def data_converter(settings: Settings) -> DataConverter:
    """The pydantic data converter with the payload codec: every client and worker uses it."""
    return dataclasses.replace(pydantic_data_converter, payload_codec=codec(settings))
