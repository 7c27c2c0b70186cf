"""The password policy: one rule, stated once in ``PASSWORD_RULE``, and generated passwords that
always meet it.

Length alone is a poor measure: ``aaaaaaaaaa`` and ``abcdefghij`` are ten characters that an
attacker tries first. So the rule counts length after collapsing *runs*: three or more characters
in a row that repeat one character or follow an order (the alphabet, the digits, a keyboard row;
forwards or backwards) count as one. ``Auditor-Pass-12345`` thus counts 14, ``Password123456``
counts 9 and ``qwertyuiop`` counts 1.
"""

from __future__ import annotations

import itertools
import re
import secrets
import string

from vigil.errors import Invalid

__all__ = [
    "PASSWORD_RULE",
    "RULE_PARAMS",
    "check_policy",
    "effective_length",
    "generate_password",
]

MIN_LENGTH = 10
"""Counted length needed with three kinds of character."""
LONG_LENGTH = 16
"""Counted length that needs no variety of kinds (a passphrase)."""
MIN_KINDS = 3
MIN_DISTINCT = 6
RUN = 3
"""A run this long or longer counts as one character."""

PASSWORD_RULE = (
    f"A password needs at least {MIN_LENGTH} characters with {MIN_KINDS} of the 4 kinds "
    f"(lower-case letters, upper-case letters, digits, other characters), or at least "
    f"{LONG_LENGTH} characters of any kind, and at least {MIN_DISTINCT} different characters. "
    f"In the count, {RUN} or more characters in a row that repeat one character or follow "
    "the alphabet, the digits or a keyboard row (aaa, abc, 4321, qwer) count as one. It must not "
    "be a common password, one built on a common word (Password123!), or the username."
)
"""The rule in words: the API returns it with every refusal and at /auth/password-policy."""

_ORDERS = (
    "abcdefghijklmnopqrstuvwxyz",
    "01234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "!@#$%^&*()",
)
# (a, b) -> the kinds of step from a to b: (order, +1 or -1); equal characters step "same".
_STEPS: dict[tuple[str, str], set[tuple[int, int]]] = {}
for _index, _order in enumerate(_ORDERS):
    for _a, _b in itertools.pairwise(_order):
        _STEPS.setdefault((_a, _b), set()).add((_index, 1))
        _STEPS.setdefault((_b, _a), set()).add((_index, -1))
_SAME = frozenset({(-1, 0)})
_NONE: frozenset[tuple[int, int]] = frozenset()

_COMMON_WORDS = frozenset(
    {
        "admin",
        "administrator",
        "changeme",
        "changethis",
        "default",
        "iloveyou",
        "letmein",
        "login",
        "monkey",
        "passw0rd",
        "password",
        "qwerty",
        "root",
        "secret",
        "superuser",
        "test",
        "user",
        "vigil",
        "welcome",
    }
)
_LEET = str.maketrans({"@": "a", "4": "a", "$": "s", "5": "s", "0": "o", "1": "l", "3": "e"})
_EDGES = string.digits + string.punctuation + " "


def _steps(a: str, b: str) -> frozenset[tuple[int, int]]:
    a, b = a.lower(), b.lower()
    if a == b:
        return _SAME
    return frozenset(_STEPS.get((a, b), _NONE))


def _run_end(password: str, start: int) -> int:
    """Where the run from ``start`` ends: every step in it must be of one kind."""
    end = start + 1
    kinds: frozenset[tuple[int, int]] | None = None  # None: any kind, before the first step
    while end < len(password):
        step = _steps(password[end - 1], password[end])
        shared = step if kinds is None else kinds & step
        if not shared:
            break
        kinds, end = shared, end + 1
    return end


def effective_length(password: str) -> int:
    """Characters counted by the policy: each run of ``RUN`` or more counts as one."""
    count, i = 0, 0
    while i < len(password):
        end = _run_end(password, i)
        count += 1
        i = end if end - i >= RUN else i + 1
    return count


def _kinds(password: str) -> int:
    return sum(
        (
            any(c.islower() for c in password),
            any(c.isupper() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


def _core_word(password: str) -> str:
    """The password without digits and symbols at its ends, lower case, common swaps undone."""
    core = password.strip(_EDGES) or password
    return re.sub(r"[^a-z]", "", core.lower().translate(_LEET))


RULE_PARAMS: dict[str, int] = {
    "min_length": MIN_LENGTH,
    "min_kinds": MIN_KINDS,
    "long_length": LONG_LENGTH,
    "min_distinct": MIN_DISTINCT,
    "run": RUN,
}
"""The rule's figures: the console states the rule (code ``password.rule``) in its language."""


def _refused(why: str, *, code: str, **figures: int) -> Invalid:
    return Invalid(f"password refused: {why}. {PASSWORD_RULE}", code=code, **figures, **RULE_PARAMS)


def _problem(username: str, password: str) -> Invalid | None:
    """What is wrong, if anything: its code says what (``password.too_short``,
    ``password.few_kinds``, ``password.few_distinct``, ``password.guessable``,
    ``password.username``) and its params hold the password's figures and the rule's."""
    counted, kinds, distinct = effective_length(password), _kinds(password), len(set(password))
    if counted < MIN_LENGTH:
        return _refused(
            f"it counts {counted} characters", code="password.too_short", counted=counted
        )
    if counted < LONG_LENGTH and kinds < MIN_KINDS:
        why = f"it mixes {kinds} kinds of character and counts {counted}"
        return _refused(why, code="password.few_kinds", kinds=kinds, counted=counted)
    if distinct < MIN_DISTINCT:
        why = f"it has {distinct} different characters"
        return _refused(why, code="password.few_distinct", distinct=distinct)
    core = _core_word(password)
    if core in _COMMON_WORDS or password.lower() == username.lower():
        return _refused("it is too easy to guess", code="password.guessable")
    if username and core == re.sub(r"[^a-z]", "", username.lower()):
        return _refused("it is built on the username", code="password.username")
    return None


def check_policy(username: str, password: str) -> None:
    """``Invalid`` naming what is wrong and stating the rule, unless ``password`` meets it."""
    problem = _problem(username, password)
    if problem is not None:
        raise problem


def generate_password() -> str:
    """A random password (20 URL-safe characters, about 120 bits) that meets the policy."""
    while True:
        password = secrets.token_urlsafe(15)
        if _problem("", password) is None:
            return password
