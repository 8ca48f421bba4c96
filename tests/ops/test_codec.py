"""The payload codec (``qaward.codec``): sealed with the current key, opened with any kept
key, old plain payloads read as they are, and a bad or placeholder key refused at start."""

from __future__ import annotations

import os

import pytest
from pydantic import SecretStr, ValidationError
from temporalio.api.common.v1 import Payload

from qaward import preflight
from qaward.codec import ENCODING, KEY_ID, CodecError, codec
from qaward.settings import DEVELOPMENT_PAYLOAD_KEY, Settings, get_settings

OLD = "11" * 32
NEW = "22" * 32
PLAIN = Payload(metadata={"encoding": b"json/plain"}, data='{"name":"欧阳明远"}'.encode())


def _settings(**values: object) -> Settings:
    return Settings(_env_file=None, environment="test", **values)  # type: ignore[arg-type]


async def test_a_sealed_payload_hides_its_data_and_names_its_key() -> None:
    sealer = codec(_settings(payload_key=SecretStr(NEW), payload_key_id="k2"))

    [sealed] = await sealer.encode([PLAIN])

    assert sealed.metadata["encoding"] == ENCODING
    assert sealed.metadata[KEY_ID] == b"k2"
    assert "欧阳明远".encode() not in sealed.SerializeToString()
    assert await sealer.decode([sealed]) == [PLAIN]


async def test_rotated_keys_still_open_old_payloads_and_seal_with_the_new_one() -> None:
    before = codec(_settings(payload_key=SecretStr(OLD), payload_key_id="k1"))
    [old] = await before.encode([PLAIN])
    after = codec(
        _settings(
            payload_key=SecretStr(NEW), payload_key_id="k2", payload_old_keys=SecretStr(f"k1:{OLD}")
        )
    )

    assert await after.decode([old]) == [PLAIN]
    [new] = await after.encode([PLAIN])
    assert new.metadata[KEY_ID] == b"k2"
    with pytest.raises(CodecError, match="k2"):
        await before.decode([new])  # the old deployment does not know k2


async def test_plain_payloads_from_before_the_codec_pass_through() -> None:
    assert await codec(_settings()).decode([PLAIN]) == [PLAIN]


async def test_an_altered_or_relabelled_payload_fails_to_open() -> None:
    both = codec(
        _settings(
            payload_key=SecretStr(NEW), payload_key_id="k2", payload_old_keys=SecretStr(f"k1:{OLD}")
        )
    )
    [sealed] = await both.encode([PLAIN])
    altered = Payload()
    altered.CopyFrom(sealed)
    altered.data = sealed.data[:-1] + bytes([sealed.data[-1] ^ 1])
    relabelled = Payload()
    relabelled.CopyFrom(sealed)
    relabelled.metadata[KEY_ID] = b"k1"

    for bad in (altered, relabelled):
        with pytest.raises(CodecError, match="无法解密"):
            await both.decode([bad])


def test_the_placeholder_means_the_development_key_outside_production() -> None:
    current, keys = _settings().payload_keys
    assert keys == {current: DEVELOPMENT_PAYLOAD_KEY}
    base64_key = "ESIzRFVmd4iZqrvM3e7/ABEiM0RVZneImaq7zN3u/wA="
    assert len(_settings(payload_key=SecretStr(base64_key)).payload_keys[1]["k1"]) == 32


@pytest.mark.parametrize(
    ("field", "value", "setting"),
    [
        ("payload_key", "too-short", "QAWARD_PAYLOAD_KEY"),
        ("payload_key", "ab" * 31, "QAWARD_PAYLOAD_KEY"),
        ("payload_old_keys", "k0:nothex", "QAWARD_PAYLOAD_OLD_KEYS (k0)"),
    ],
)
def test_a_malformed_key_is_refused_naming_the_setting(
    field: str, value: str, setting: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        _settings(**{field: SecretStr(value)})

    line = preflight.settings_error(caught.value).line
    assert setting in line
    assert "256" in line
    assert value not in line


def test_production_refuses_the_placeholder_payload_key_in_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for key in list(os.environ):
        if key.startswith("QAWARD_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("QAWARD_ENVIRONMENT", "production")
    for name in ("SECRET_KEY", "AUDIT_KEY", "BOOTSTRAP_OFFICE_PASSWORD"):
        monkeypatch.setenv(f"QAWARD_{name}", "a-real-secret-value")
    get_settings.cache_clear()
    try:
        with pytest.raises(preflight.ConfigError) as caught:
            preflight.load_settings()
        monkeypatch.setenv("QAWARD_PAYLOAD_KEY", NEW)
        get_settings.cache_clear()
        assert preflight.load_settings().payload_keys[1] == {"k1": bytes.fromhex(NEW)}
    finally:
        get_settings.cache_clear()

    assert caught.value.line == (
        "错误：QAWARD_PAYLOAD_KEY 仍为占位值，生产环境必须设置 / "
        "error: QAWARD_PAYLOAD_KEY is still a placeholder; set it in production"
    )
