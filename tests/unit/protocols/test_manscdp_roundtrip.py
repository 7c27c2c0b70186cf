"""Property: decode(encode(m, charset)) == m for every MANSCDP model, with CJK text.

Strategies are derived from each model's type hints independently of the codec's own schema, so
a field the schema mishandles shows up as a mismatch rather than being skipped by both.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from datetime import datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vigil.protocols.manscdp import COMMANDS, UnknownCommand, decode, encode
from vigil.protocols.manscdp.message import ROOTS

# Text a device might send: letters (hanzi included), digits, punctuation (markup characters
# included, to exercise escaping) and spaces inside, none at the ends (readers strip them).
TEXT = (
    st.text(
        st.characters(categories=("L", "N", "P", "S", "Zs"), codec="gb18030"),
        min_size=1,
        max_size=12,
    )
    .map(str.strip)
    .filter(bool)
)
CJK = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), min_size=1, max_size=8)
SCALARS: dict[object, st.SearchStrategy[Any]] = {
    str: st.one_of(TEXT, CJK),
    int: st.integers(min_value=-(2**63), max_value=2**63),
    float: st.floats(allow_nan=False, allow_infinity=False),
    datetime: st.datetimes(),
}
CHARSETS = st.sampled_from(["GB2312", "GB18030", "UTF-8"])


def strategy_for(hint: object) -> st.SearchStrategy[Any]:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        (inner,) = [a for a in typing.get_args(hint) if a is not type(None)]
        return st.none() | strategy_for(inner)
    if origin is tuple:
        return st.lists(strategy_for(typing.get_args(hint)[0]), max_size=3).map(tuple)
    if hint in SCALARS:
        return SCALARS[hint]
    assert isinstance(hint, type) and dataclasses.is_dataclass(hint), hint
    return model(hint)


def model(cls: type) -> st.SearchStrategy[Any]:
    hints = typing.get_type_hints(cls)
    fields = {f.name: strategy_for(hints[f.name]) for f in dataclasses.fields(cls)}
    return st.builds(cls, **fields)


def unknown_commands() -> st.SearchStrategy[UnknownCommand]:
    return st.builds(
        UnknownCommand,
        sn=SCALARS[int],
        root=st.sampled_from(ROOTS),
        cmd_type=TEXT,
        device_id=st.none() | TEXT,
    ).filter(lambda m: (m.root.lower(), m.cmd_type.lower()) not in COMMANDS)


MODELS = sorted(COMMANDS.values(), key=lambda cls: (cls.ROOT, cls.CMD_TYPE))


@pytest.mark.parametrize("cls", MODELS, ids=[f"{c.ROOT}-{c.CMD_TYPE}" for c in MODELS])
@settings(max_examples=20, deadline=None)
@given(data=st.data())
def test_round_trip(cls: type, data: st.DataObject) -> None:
    message = data.draw(model(cls))
    charset = data.draw(CHARSETS)
    assert decode(encode(message, charset)) == message


@settings(max_examples=50, deadline=None)
@given(message=unknown_commands(), charset=CHARSETS)
def test_unknown_command_round_trip(message: UnknownCommand, charset: str) -> None:
    assert decode(encode(message, charset)) == message
