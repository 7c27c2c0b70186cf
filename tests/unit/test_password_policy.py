"""The password policy refuses repetitive, sequential, low-variety and common passwords, accepts
the ones Vigil's own tests and fixtures use, and generated passwords always meet it."""

from __future__ import annotations

import pytest

from vigil.errors import Invalid
from vigil.governance.password_policy import (
    PASSWORD_RULE,
    check_policy,
    effective_length,
    generate_password,
)

REFUSED = [
    "aaaaaaaaaa",  # one character repeated
    "aaaaaaaaaaaaaaaaaaaa",  # long, but still one character
    "abcdefghij",  # the alphabet
    "qwertyuiop",  # a keyboard row
    "1234567890",
    "Abcdefgh-1",  # a run padded to ten characters and three kinds
    "Password123456",
    "Password123!",  # a common word dressed up
    "P@ssw0rd-2024",
    "Aa1!Aa1!Aa1!",  # four kinds, but only four different characters
    "alllowercase",  # one kind, twelve characters
    "zhang.wei2024",  # the username with digits
    "short",
]
ACCEPTED = [
    "Correct-Horse-42",
    "Long-Enough-Pw1",
    "Another-Long-Secret-9",
    "Auditor-Pass-12345",  # the run 12345 counts as one: still 14
    "hefei-viewer-Pass-12345",
    "correct horse battery staple",  # a passphrase: 16 or more of any kind
]


@pytest.mark.parametrize("password", REFUSED)
def test_refused(password: str) -> None:
    with pytest.raises(Invalid) as refused:
        check_policy("zhang.wei", password)
    assert PASSWORD_RULE in str(refused.value)


@pytest.mark.parametrize("password", ACCEPTED)
def test_accepted(password: str) -> None:
    check_policy("zhang.wei", password)


def test_runs_count_as_one_character() -> None:
    assert effective_length("aaaaaaaaaa") == 1
    assert effective_length("0987654321") == 1
    assert effective_length("Auditor-Pass-12345") == 14
    assert effective_length("ab-ab-ab") == 8  # pairs are not runs


def test_generated_passwords_always_meet_the_policy() -> None:
    passwords = {generate_password() for _ in range(2000)}
    assert len(passwords) == 2000
    for password in passwords:
        check_policy("admin", password)
