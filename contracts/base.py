"""The base of every contract model."""

from pydantic import BaseModel, ConfigDict


class Contract(BaseModel):
    """Pydantic, strict about unknown fields, through the pydantic data converter."""

    model_config = ConfigDict(extra="forbid")
