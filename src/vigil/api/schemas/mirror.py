"""Response models that show a domain dataclass as it is: its fields, in order, named and typed
as the dataclass declares them, so that the schema does not repeat them. A field added to the
dataclass is thereby added to the API: the OpenAPI snapshot (tests/unit/test_openapi_snapshot.py)
shows it, and a field the API must not show goes in ``drop``.

In a model's class body, ``__annotations__ = fields_of(Source)`` declares the fields; a field
annotated after that line keeps its place and takes the new type (a ``Literal`` for a state, a
``Field`` with a description), and a field the dataclass lacks comes after the mirrored ones::

    class JobOut(BaseModel):
        __annotations__ = fields_of(Job, drop={"directory"})
        state: Literal["running", "done"]
        approver: str | None
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Collection
from typing import Any

__all__ = ["fields_of"]


def fields_of(source: type, *, drop: Collection[str] = ()) -> dict[str, Any]:
    """The field annotations of the dataclass ``source``, in order, less those named in
    ``drop`` (internal ones the API does not show). No default is taken: every mirrored field
    is required, as a response model's fields are."""
    hints = typing.get_type_hints(source)
    return {f.name: hints[f.name] for f in dataclasses.fields(source) if f.name not in drop}
