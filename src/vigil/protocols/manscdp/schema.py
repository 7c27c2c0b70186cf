"""Map frozen dataclasses to MANSCDP elements and back, driven by field metadata.

Every model field names its element (``el("DeviceID")``); the Python type says how to read it:
a scalar (``str``, ``int``, ``float``, ``datetime``, each optional), a nested model (``Info``,
``BasicParam``), or a tuple of either inside a wrapper element (``<DeviceList Num="2"><Item>``).
One generic reader and writer then serve all ~60 models instead of one hand-written parser each.

Reading is liberal (GB/T 28181 devices vary): tags match without case, unknown elements are
ignored, the first occurrence of a single element wins, a list's ``Num`` attribute is not trusted
(the items are counted), and optional text that does not parse becomes None. Only a field declared
with :func:`required` turns a missing or unreadable element into :class:`ManscdpError`.

Each model class is compiled once into a tag-keyed table, so a catalog item costs one dict lookup
per child element.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from typing import Any, TypeVar

from vigil.protocols.errors import ManscdpError
from vigil.protocols.manscdp.scalars import SCALARS, Scalar
from vigil.protocols.manscdp.xmlsafe import Element

__all__ = ["el", "from_element", "item_list", "repeated", "required", "to_children"]

T = TypeVar("T")

_META = "manscdp"


@dataclasses.dataclass(frozen=True, slots=True)
class _Spec:
    """Where a field lives: its element; for lists the item tag and whether to count them, or
    ``repeated`` when the items sit directly in the parent with no wrapper."""

    tag: str
    item: str | None = None
    num: bool = True
    repeated: bool = False


def el(tag: str) -> Any:
    """An optional child element ``<tag>``; absent or unreadable reads as None."""
    return dataclasses.field(default=None, metadata={_META: _Spec(tag)})


def required(tag: str) -> dict[str, Any]:
    """Metadata for a mandatory element: ``sn: int = field(metadata=required("SN"))``.

    Spelled with ``dataclasses.field`` at the use site so type checkers see a required argument.
    """
    return {_META: _Spec(tag)}


def item_list(wrapper: str, item: str = "Item", *, num: bool = True) -> Any:
    """A repeated ``<item>`` inside ``<wrapper>``; ``num`` writes ``Num="n"`` on the wrapper."""
    return dataclasses.field(default=(), metadata={_META: _Spec(wrapper, item, num)})


def repeated(tag: str) -> Any:
    """A ``<tag>`` that may occur many times directly in the parent (ROIParam's ``<Item>``)."""
    return dataclasses.field(default=(), metadata={_META: _Spec(tag, repeated=True)})


class _Field:
    """One compiled field: how to find it, read it and write it."""

    __slots__ = (
        "item_key",
        "kind",
        "name",
        "num",
        "read",
        "repeated",
        "required",
        "scalar",
        "single",
        "spec",
    )

    def __init__(self, name: str, spec: _Spec, hint: object, has_default: bool) -> None:
        self.name = name
        self.spec = spec
        self.required = not has_default
        self.num = spec.num
        self.repeated = spec.repeated
        self.item_key = spec.item.lower() if spec.item is not None else None
        self.single = self.item_key is None and not self.repeated
        target = _unwrap_optional(hint)
        if self.item_key is not None or self.repeated:
            args = typing.get_args(target)
            if typing.get_origin(target) is not tuple or len(args) != 2 or args[1] is not ...:
                raise TypeError(f"list field {name} must be tuple[X, ...], not {hint}")
            target = args[0]
        self.scalar: Scalar | None = SCALARS.get(target) if isinstance(target, type) else None
        self.read: Callable[[Element, str], Any]
        if self.scalar is not None:
            parse = self.scalar.parse
            self.kind = self.scalar.type_name
            self.read = lambda element, _context: parse(
                element.text.strip() if element.text else ""
            )
        elif isinstance(target, type) and dataclasses.is_dataclass(target):
            model = target
            self.kind = f"a {model.__name__}"
            self.read = lambda element, context: from_element(model, element, context)
        else:
            raise TypeError(f"field {name} has unsupported type {hint}")


class _Schema:
    __slots__ = ("by_tag", "fields", "required")

    def __init__(self, cls: type) -> None:
        hints = typing.get_type_hints(cls)
        self.fields: list[_Field] = []
        for f in dataclasses.fields(cls):
            spec = f.metadata.get(_META)
            if spec is None:
                continue
            has_default = (
                f.default is not dataclasses.MISSING or f.default_factory is not dataclasses.MISSING
            )
            self.fields.append(_Field(f.name, spec, hints[f.name], has_default))
        # Exact spellings first, then lower case for devices that vary it.
        self.by_tag = {f.spec.tag.lower(): f for f in self.fields}
        self.by_tag.update({f.spec.tag: f for f in self.fields})
        self.required = [f for f in self.fields if f.required]


_SCHEMAS: dict[type, _Schema] = {}


def _schema(cls: type) -> _Schema:
    schema = _SCHEMAS.get(cls)
    if schema is None:
        schema = _SCHEMAS[cls] = _Schema(cls)
    return schema


def _unwrap_optional(hint: object) -> object:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return hint


def from_element(cls: type[T], element: Element, context: str, **fixed: Any) -> T:
    """An instance of model ``cls`` read from ``element``'s children.

    ``context`` names the message for error text ("Response Catalog"); ``fixed`` supplies fields
    that do not come from child elements (the root and CmdType of an unknown command).
    """
    schema = _schema(cls)
    by_tag = schema.by_tag
    values: dict[str, Any] = dict(fixed)
    for child in element:
        f = by_tag.get(child.tag) or by_tag.get(child.tag.lower())
        if f is not None:
            _read_into(values, f, child, context)
    for f in schema.required:
        if f.name not in values:
            raise ManscdpError(f"{context}: missing <{f.spec.tag}>")
    return cls(**values)


def _read_into(values: dict[str, Any], f: _Field, child: Element, context: str) -> None:
    """Add what ``child`` holds for field ``f`` to ``values``: a single field keeps its first
    value, a list field gains the items inside ``child``, a repeated field gains ``child``."""
    if f.single:
        if f.name in values:
            return
        one = f.read(child, context)
        if one is not None:
            values[f.name] = one
        elif f.required:
            text = (child.text or "").strip()
            raise ManscdpError(f"{context}: <{f.spec.tag}> is not {f.kind}: {text!r}")
    elif f.item_key is not None:
        key = f.item_key
        parsed = (f.read(c, context) for c in child if c.tag.lower() == key)
        found = tuple(v for v in parsed if v is not None)
        values[f.name] = values[f.name] + found if f.name in values else found
    else:
        one = f.read(child, context)
        if one is not None:
            values[f.name] = (*values.get(f.name, ()), one)


def to_children(obj: object) -> list[Element]:
    """The child elements that represent model instance ``obj``, in field order."""
    children: list[Element] = []
    for f in _schema(type(obj)).fields:
        value = getattr(obj, f.name)
        if value is None:
            continue
        if f.repeated:
            children.extend(_to_element(f, f.spec.tag, v) for v in value)
        elif f.spec.item is not None:
            if not value and not f.num:
                continue
            wrapper = Element(f.spec.tag, {"Num": str(len(value))} if f.num else {})
            wrapper.extend(_to_element(f, f.spec.item, v) for v in value)
            children.append(wrapper)
        else:
            children.append(_to_element(f, f.spec.tag, value))
    return children


def _to_element(f: _Field, tag: str, value: object) -> Element:
    element = Element(tag)
    if f.scalar is not None:
        element.text = f.scalar.format(value)
    else:
        element.extend(to_children(value))
    return element
