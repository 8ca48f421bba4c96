"""The data converter every test client and worker uses: the service's own (``qaward.codec``)."""

from __future__ import annotations

from temporalio.converter import DataConverter

from qaward.codec import data_converter
from qaward.settings import Settings

CONVERTER: DataConverter = data_converter(Settings(environment="test"))
"""Pydantic plus the payload codec with the development key, which the ``qaward worker``
processes that tests start derive too (they run with the placeholder key)."""
