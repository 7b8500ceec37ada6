"""Accounts over real HTTP, where the in-process Swift tests (Tests/AppTests/AccountTests.swift,
TokenTests.swift) do not reach: codes from an independent TOTP implementation (pyotp) on the real
clock, Unicode spellings, concurrent requests, tokens signed with the key the binary keeps in
DATA_DIR/keys.json."""

import base64
import re
import time
import urllib.parse
import uuid

import pyotp
import requests

from conftest import register, sign_token, token_payload, wrong_code


def post(url, path, body):
    return requests.post(url + path, json=body, timeout=10)


def detail(answer):
    return answer.json()["detail"]


# --- registration ---------------------------------------------------------------------------


def test_generate_secret_gives_base32_secret_uri_and_qr(server):
    answer = post(server.url, "/user/generate-otp-secret", {"username": "Alice Smith"})
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"].startswith("application/json")
    body = answer.json()
    secret = body["secret"]
    assert re.fullmatch(r"[A-Z2-7]+=*", secret)
    assert len(base64.b32decode(secret + "=" * (-len(secret) % 8))) * 8 >= 160
    uri = urllib.parse.urlsplit(body["uri"])
    assert uri.scheme == "otpauth" and uri.netloc == "totp"
    query = urllib.parse.parse_qs(uri.query)
    assert query["secret"] == [secret]
    assert query["issuer"] == ["STracker"]
    assert "Alice Smith" in urllib.parse.unquote(uri.path)
    # The URI is one an independent TOTP implementation understands.
    parsed = pyotp.parse_uri(body["uri"])
    assert parsed.secret == secret and parsed.digits == 6 and parsed.interval == 30
    assert body["qr_svg"].lstrip().startswith(("<svg", "<?xml"))
    assert "</svg>" in body["qr_svg"]
    # Each call gives a fresh secret.
    again = post(server.url, "/user/generate-otp-secret", {"username": "Alice Smith"}).json()["secret"]
    assert again != secret


def test_register_with_pyotp_code_then_decode(server):
    account = register(server.url, "bob")
    claims = token_payload(account.access)
    assert claims["username"] == "bob" and claims["type"] == "access"
    assert isinstance(claims["iat"], int) and isinstance(claims["exp"], int)
    assert claims["exp"] - claims["iat"] == 30 * 60
    refresh = token_payload(account.refresh)
    assert refresh["type"] == "refresh" and refresh["exp"] - refresh["iat"] == 7 * 24 * 3600
    assert refresh["sid"] == claims["sid"] and refresh["jti"] != claims["jti"]

    answer = account.get("/user/decode")
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["username"] == "bob" and body["type"] == "access"
    assert body["iat"] == claims["iat"] and body["exp"] == claims["exp"]
    assert abs(body["iat"] - time.time()) < 60


def test_usernames_that_look_the_same_are_the_same_username(server):
    """'Ärger' typed on one keyboard is NFC, pasted from elsewhere may be NFD: the same name to a
    person (and to Swift's String ==), so it must be taken, not a second account that looks identical.
    Today UserRecord.key(for:) is `username.lowercased()` with no Unicode normalisation."""
    import unicodedata

    register(server.url, unicodedata.normalize("NFC", "Ärger"))
    decomposed = unicodedata.normalize("NFD", "ärger")
    secret = post(server.url, "/user/generate-otp-secret", {"username": decomposed}).json()["secret"]
    answer = post(server.url, "/user/", {"username": decomposed, "otp_secret": secret, "otp_example": pyotp.TOTP(secret).now()})
    assert (answer.status_code, answer.json().get("detail")) == (400, "Username already taken")


# --- login and replay -----------------------------------------------------------------------


def test_login_username_is_case_insensitive(server):
    account = register(server.url, "Frank")
    answer = post(server.url, "/user/login", {"username": "fRANK", "otp": account.fresh_code()})
    assert answer.status_code == 200, answer.text
    assert token_payload(answer.json()["access"])["username"] == "Frank"


def test_wrong_code_and_unknown_user_are_403_invalid_password(server):
    account = register(server.url)
    answer = post(server.url, "/user/login", {"username": account.username, "otp": wrong_code(account.secret)})
    assert (answer.status_code, detail(answer)) == (403, "Invalid password")
    answer = post(server.url, "/user/login", {"username": "nobody-" + uuid.uuid4().hex[:6], "otp": "123456"})
    assert (answer.status_code, detail(answer)) == (403, "Invalid password")
    # Malformed codes are wrong codes too (3 more: 4 failures, one under the limit of 5).
    for otp in ("", "1234567", "abcdef"):
        answer = post(server.url, "/user/login", {"username": account.username, "otp": otp})
        assert (answer.status_code, detail(answer)) == (403, "Invalid password"), otp
    answer = account.login()
    assert answer.status_code == 200, answer.text


def test_concurrent_logins_with_one_code_only_one_wins(server):
    from concurrent.futures import ThreadPoolExecutor

    account = register(server.url)
    code = account.fresh_code()
    with ThreadPoolExecutor(10) as pool:
        answers = list(pool.map(lambda _: post(server.url, "/user/login", {"username": account.username, "otp": code}), range(10)))
    codes = sorted(a.status_code for a in answers)
    # One wins; the others are replays (403), and after 5 of those the username is throttled (429).
    assert codes.count(200) == 1 and set(codes) <= {200, 403, 429}, codes


# --- refresh rotation and reuse detection ---------------------------------------------------


def refresh(url, token):
    return post(url, "/user/refresh", {"refresh": token})


def test_spent_refresh_token_presented_concurrently_at_most_one_wins(server):
    from concurrent.futures import ThreadPoolExecutor

    account = register(server.url)
    token = account.refresh
    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: refresh(server.url, token), range(8)))
    codes = sorted(a.status_code for a in answers)
    assert codes.count(200) <= 1 and set(codes) <= {200, 403}, codes
    for answer in answers:
        if answer.status_code == 403:
            assert detail(answer) == "Refresh token is blacklisted"


def test_refresh_bad_inputs(server):
    account = register(server.url)
    for token, status, text in (
        ("garbage", 400, "Invalid token"),
        ("a.b.c", 400, "Invalid token"),
        (account.access, 400, "Invalid token"),  # an access token is not a refresh token
        ("", 400, "Invalid token"),
    ):
        answer = refresh(server.url, token)
        assert (answer.status_code, detail(answer)) == (status, text), token
    for body in ({}, {"refresh": None}, {"refresh": 5}, [], "x"):
        answer = post(server.url, "/user/refresh", body)
        assert 400 <= answer.status_code < 500 and "detail" in answer.json(), body
    # None of this harmed the real refresh token.
    assert refresh(server.url, account.refresh).status_code == 200


# --- refresh tokens signed with the key in DATA_DIR/keys.json -------------------------------


def test_expired_refresh_token_is_403_refresh_token_is_expired(server):
    account = register(server.url)
    now = int(time.time())
    claims = token_payload(account.refresh)
    expired = sign_token(server, {**claims, "iat": now - 8 * 24 * 3600, "exp": now - 60})
    answer = refresh(server.url, expired)
    assert (answer.status_code, detail(answer)) == (403, "Refresh token is expired")
    # A genuine, unexpired but forged-elsewhere refresh token is simply invalid.
    forged = sign_token(server, {**claims, "exp": now + 600}, key=b"secret")
    answer = refresh(server.url, forged)
    assert (answer.status_code, detail(answer)) == (400, "Invalid token")
