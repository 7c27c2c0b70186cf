"""Digest: RFC test vectors, header codec, verification, nonces and nonce-count replay."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vigil.protocols.errors import SipError
from vigil.protocols.sip import (
    AuthVerdict,
    DigestChallenge,
    DigestCredentials,
    NonceCounter,
    NonceIssuer,
    NonceStatus,
    authenticate,
    authorize,
    digest_ha1,
    digest_response,
    verify_credentials,
)

SECRET = b"0123456789abcdef0123456789abcdef"


def test_rfc2617_mufasa_vector() -> None:
    assert (
        digest_response(
            username="Mufasa",
            realm="testrealm@host.com",
            password="Circle Of Life",
            method="GET",
            uri="/dir/index.html",
            nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093",
            qop="auth",
            nc="00000001",
            cnonce="0a4f113b",
        )
        == "6629fae49393a05397450978507c4ef1"
    )


RFC7616 = {
    "username": "Mufasa",
    "realm": "http-auth@example.org",
    "password": "Circle of Life",
    "method": "GET",
    "uri": "/dir/index.html",
    "nonce": "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v",
    "qop": "auth",
    "nc": "00000001",
    "cnonce": "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ",
}


def _rfc7616(algorithm: str) -> str:
    v = RFC7616
    return digest_response(
        username=v["username"],
        realm=v["realm"],
        password=v["password"],
        method=v["method"],
        uri=v["uri"],
        nonce=v["nonce"],
        qop=v["qop"],
        nc=v["nc"],
        cnonce=v["cnonce"],
        algorithm=algorithm,
    )


def test_rfc7616_vectors() -> None:
    assert _rfc7616("MD5") == "8ca523f5e9506fed4657c9700eebdbec"
    assert _rfc7616("SHA-256") == "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"


def _base(
    algorithm: str = "MD5",
    qop: str | None = None,
    nc: str | None = None,
    cnonce: str | None = None,
    body: bytes = b"",
) -> str:
    return digest_response(
        username="u",
        realm="r",
        password="p",
        method="REGISTER",
        uri="sip:r",
        nonce="n",
        algorithm=algorithm,
        qop=qop,
        nc=nc,
        cnonce=cnonce,
        body=body,
    )


def test_no_qop_session_and_auth_int_variants() -> None:
    plain = _base()
    assert len(plain) == 32
    assert _base(algorithm="md5") == plain
    assert _base(algorithm="MD5-sess", cnonce="c") != plain
    int1 = _base(qop="auth-int", nc="00000001", cnonce="c", body=b"a")
    assert int1 != _base(qop="auth-int", nc="00000001", cnonce="c", body=b"b")
    with pytest.raises(SipError, match="unsupported digest algorithm 'SHA-512-256'"):
        _base(algorithm="SHA-512-256")
    with pytest.raises(SipError, match="unsupported qop 'auth-conf'"):
        _base(qop="auth-conf")


GB_AUTHORIZATION = (
    'Digest username="34020000001320000001", realm="3402000000", '
    'nonce="44010b73623249f6916a6acf7c316b8e", uri="sip:34020000002000000001@3402000000", '
    'response="9c2bd5fbd0c1bd2cb27ee4bb5a1c2ec1", algorithm=MD5'
)


def test_parse_gb28181_authorization() -> None:
    creds = DigestCredentials.parse(GB_AUTHORIZATION)
    assert creds.username == "34020000001320000001"
    assert creds.realm == "3402000000"
    assert creds.uri == "sip:34020000002000000001@3402000000"
    assert creds.algorithm == "MD5" and creds.qop is None and creds.nc is None
    assert DigestCredentials.parse(str(creds)) == creds


def test_parse_tolerates_quoted_tokens_case_and_escapes() -> None:
    creds = DigestCredentials.parse(
        'digest USERNAME="a\\"b",realm="r",nonce="n",uri="sip:x",response="AB",'
        'algorithm="MD5",qop="auth",nc=00000002,cnonce="c"'
    )
    assert creds.username == 'a"b' and creds.algorithm == "MD5" and creds.qop == "auth"
    assert creds.nonce_count == 2
    assert DigestCredentials.parse(str(creds)) == creds


def test_challenge_codec() -> None:
    text = 'Digest realm="3402000000", nonce="abc", algorithm=MD5, qop="auth,auth-int", stale=TRUE'
    ch = DigestChallenge.parse(text)
    assert ch == DigestChallenge("3402000000", "abc", "MD5", ("auth", "auth-int"), None, True)
    assert (
        str(ch)
        == 'Digest realm="3402000000", nonce="abc", algorithm=MD5, qop="auth,auth-int", stale=true'
    )
    assert DigestChallenge.parse(str(ch)) == ch


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('Basic realm="x"', "authentication scheme 'Basic' is not Digest"),
        ('Digest realm="x", nonce', "digest parameter 'nonce' has no '='"),
        ('Digest realm="x', "unterminated quoted string in digest parameters"),
        ('Digest realm="x", realm="y", nonce="n"', "digest parameter 'realm' appears twice"),
        ('Digest nonce="n"', "digest parameter 'realm' is missing"),
        ('Digest re alm="x"', "digest parameter name 're alm' is not a token"),
    ],
)
def test_challenge_errors(text: str, message: str) -> None:
    with pytest.raises(SipError) as info:
        DigestChallenge.parse(text)
    assert str(info.value) == message


def test_credentials_errors() -> None:
    with pytest.raises(SipError, match="digest qop given without nc and cnonce"):
        DigestCredentials.parse(
            'Digest username="u", realm="r", nonce="n", uri="u", response="x", qop=auth'
        )
    bad_nc = DigestCredentials("u", "r", "n", "sip:x", "x", qop="auth", nc="zz", cnonce="c")
    with pytest.raises(SipError, match="digest nc 'zz' is not 8 hex digits"):
        _ = bad_nc.nonce_count


@pytest.mark.parametrize("qop", [(), ("auth",), ("auth-int", "auth")])
@pytest.mark.parametrize("algorithm", [None, "MD5", "SHA-256", "MD5-sess"])
def test_client_authorize_then_server_verifies(qop: tuple[str, ...], algorithm: str | None) -> None:
    challenge = DigestChallenge("3402000000", "nonce1", algorithm, qop)
    creds = authorize(
        challenge,
        username="34020000001320000001",
        password="12345678",
        method="REGISTER",
        uri="sip:34020000002000000001@3402000000",
    )
    assert creds.qop == ("auth" if qop else None)
    parsed = DigestCredentials.parse(str(creds))
    assert verify_credentials(parsed, method="REGISTER", password="12345678")
    assert not verify_credentials(parsed, method="REGISTER", password="wrong")
    assert not verify_credentials(parsed, method="INVITE", password="12345678")


def test_ha1_is_the_rfc2617_value_and_verifies_like_the_password() -> None:
    assert digest_ha1("Mufasa", "testrealm@host.com", "Circle Of Life") == (
        "939e7578ed9e3c518a452acee763bce9"
    )
    ha1 = digest_ha1("34020000001320000001", "3402000000", "12345678")
    for algorithm, qop in (("MD5", ("auth",)), ("MD5", ()), ("MD5-sess", ("auth",))):
        challenge = DigestChallenge("3402000000", "abc", algorithm, qop)
        creds = authorize(
            challenge,
            username="34020000001320000001",
            password="12345678",
            method="REGISTER",
            uri="sip:34020000002000000001@3402000000",
        )
        assert verify_credentials(creds, method="REGISTER", ha1=ha1)
        assert verify_credentials(creds, method="REGISTER", ha1=ha1.upper())
        wrong = digest_ha1("34020000001320000001", "3402000000", "wrong")
        assert not verify_credentials(creds, method="REGISTER", ha1=wrong)
        other_realm = digest_ha1("34020000001320000001", "3402000001", "12345678")
        assert not verify_credentials(creds, method="REGISTER", ha1=other_realm)


def test_an_md5_ha1_never_verifies_sha256_credentials() -> None:
    challenge = DigestChallenge("3402000000", "abc", "SHA-256", ("auth",))
    creds = authorize(challenge, username="u", password="p", method="REGISTER", uri="sip:x")
    assert verify_credentials(creds, method="REGISTER", password="p")
    assert not verify_credentials(creds, method="REGISTER", ha1=digest_ha1("u", "3402000000", "p"))


def test_verify_without_a_secret_is_false() -> None:
    creds = DigestCredentials("u", "r", "n", "sip:x", "x")
    assert not verify_credentials(creds, method="REGISTER")


def test_verify_never_raises_on_garbage() -> None:
    creds = DigestCredentials("u", "r", "n", "sip:x", "x", algorithm="BOGUS")
    assert not verify_credentials(creds, method="REGISTER", password="p")


def test_nonce_issuer_valid_stale_invalid() -> None:
    issuer = NonceIssuer(SECRET)
    nonce = issuer.issue(now=1000.0)
    assert issuer.check(nonce, now=1000.0, max_age=300) is NonceStatus.VALID
    assert issuer.check(nonce, now=1299.0, max_age=300) is NonceStatus.VALID
    assert issuer.check(nonce, now=1301.0, max_age=300) is NonceStatus.STALE
    assert NonceIssuer(b"x" * 32).check(nonce, now=1000.0, max_age=300) is NonceStatus.INVALID
    tampered = ("0" if nonce[0] != "0" else "1") + nonce[1:]
    assert issuer.check(tampered, now=1000.0, max_age=300) is NonceStatus.INVALID
    assert issuer.check("zz" * 32, now=1000.0, max_age=300) is NonceStatus.INVALID
    assert issuer.check("short", now=1000.0, max_age=300) is NonceStatus.INVALID
    assert issuer.issue(1000.0) != nonce
    with pytest.raises(ValueError, match="nonce secret must be at least 16 bytes"):
        NonceIssuer(b"short")


def test_nonce_counter_rejects_replays_and_is_bounded() -> None:
    counter = NonceCounter(max_nonces=2)
    assert counter.accept("a", 1) and counter.accept("a", 2)
    assert not counter.accept("a", 2) and not counter.accept("a", 1)
    assert counter.accept("b", 1) and counter.accept("c", 1)
    assert len(counter) == 2
    assert counter.accept("a", 1)
    counter.forget("c")
    assert counter.accept("c", 1)


def _register_creds(
    issuer: NonceIssuer, now: float, password: str = "pw", nc: int = 1
) -> DigestCredentials:
    challenge = issuer.challenge("3402000000", now)
    return authorize(
        challenge,
        username="dev",
        password=password,
        method="REGISTER",
        uri="sip:3402000000",
        nc=nc,
        cnonce="cn",
    )


def test_authenticate_verdicts() -> None:
    issuer, counter = NonceIssuer(SECRET), NonceCounter()

    def verdict(creds: DigestCredentials, now: float) -> AuthVerdict:
        return authenticate(
            creds,
            method="REGISTER",
            password="pw",
            realm="3402000000",
            issuer=issuer,
            now=now,
            max_age=60.0,
            counter=counter,
        )

    creds = _register_creds(issuer, 0.0)
    assert verdict(creds, 10.0) is AuthVerdict.OK
    assert verdict(creds, 11.0) is AuthVerdict.FAILED
    assert verdict(_register_creds(issuer, 0.0), 61.0) is AuthVerdict.STALE
    assert verdict(_register_creds(issuer, 0.0, password="nope"), 61.0) is AuthVerdict.FAILED
    foreign = DigestCredentials("dev", "3402000000", "f" * 64, "sip:x", "0" * 32)
    assert verdict(foreign, 1.0) is AuthVerdict.FAILED
    other_realm = authorize(
        DigestChallenge("other", issuer.issue(0.0)),
        username="d",
        password="pw",
        method="REGISTER",
        uri="sip:x",
    )
    assert verdict(other_realm, 1.0) is AuthVerdict.FAILED


QUOTABLE = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), max_size=20)


@given(
    QUOTABLE,
    QUOTABLE,
    st.sampled_from([None, "MD5", "SHA-256"]),
    st.lists(st.sampled_from(["auth", "auth-int"]), max_size=2, unique=True),
    st.none() | QUOTABLE,
    st.booleans(),
)
def test_challenge_round_trip(
    realm: str, nonce: str, alg: str | None, qop: list[str], opaque: str | None, stale: bool
) -> None:
    ch = DigestChallenge(realm, nonce, alg, tuple(qop), opaque, stale)
    assert DigestChallenge.parse(str(ch)) == ch


@given(
    QUOTABLE,
    QUOTABLE,
    QUOTABLE,
    QUOTABLE,
    st.from_regex(r"[0-9a-f]{32}", fullmatch=True),
    st.booleans(),
)
def test_credentials_round_trip(
    user: str, realm: str, nonce: str, uri: str, response: str, qop: bool
) -> None:
    creds = DigestCredentials(
        user,
        realm,
        nonce,
        uri,
        response,
        "MD5",
        "auth" if qop else None,
        "0000000a" if qop else None,
        "cn" if qop else None,
    )
    assert DigestCredentials.parse(str(creds)) == creds
