"""Accounts over real HTTP: registration, login, TOTP replay, the auth answers of DESIGN.md."""

import base64
import re
import time
import urllib.parse
import uuid

import pyotp
import requests

from conftest import register, sign_token, token_payload, wrong_code


def totp_now(secret: str) -> str:
    """RFC 6238 by hand (pyotp refuses secrets under 112 bits, which is what we want to send)."""
    import hashlib
    import hmac
    import struct

    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return f"{(struct.unpack('>I', digest[offset:offset + 4])[0] & 0x7FFFFFFF) % 1_000_000:06d}"


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


def test_username_taken_case_insensitively(server):
    register(server.url, "Carol")
    for name in ("Carol", "carol", "CAROL", "  carol  "):
        answer = post(server.url, "/user/generate-otp-secret", {"username": name})
        assert (answer.status_code, detail(answer)) == (400, "Username already taken"), name
    secret = pyotp.random_base32(32)
    answer = post(server.url, "/user/", {"username": "cArOl", "otp_secret": secret, "otp_example": pyotp.TOTP(secret).now()})
    assert (answer.status_code, detail(answer)) == (400, "Username already taken")


def test_usernames_that_look_the_same_are_the_same_username(server):
    """'Ärger' typed on one keyboard is NFC, pasted from elsewhere may be NFD: the same name to a
    person (and to Swift's String ==), so it must be taken, not a second account that looks identical.
    Today UserRecord.key(for:) is `username.lowercased()` with no Unicode normalisation."""
    import unicodedata

    register(server.url, unicodedata.normalize("NFC", "Ärger"))
    decomposed = unicodedata.normalize("NFD", "ärger")
    answer = post(server.url, "/user/generate-otp-secret", {"username": decomposed})
    assert (answer.status_code, answer.json().get("detail")) == (400, "Username already taken")


def test_register_with_wrong_code_is_400_invalid_otp(server):
    secret = post(server.url, "/user/generate-otp-secret", {"username": "dave"}).json()["secret"]
    answer = post(server.url, "/user/", {"username": "dave", "otp_secret": secret, "otp_example": wrong_code(secret)})
    assert (answer.status_code, detail(answer)) == (400, "Invalid OTP")
    # Nothing was created: the name is still free.
    assert post(server.url, "/user/generate-otp-secret", {"username": "dave"}).status_code == 200


def test_register_rejects_bad_secrets_and_usernames_with_422(server):
    short = base64.b32encode(bytes(range(10))).decode()  # 80 bits
    for body in (
        {"username": "erin", "otp_secret": short, "otp_example": totp_now(short)},
        {"username": "erin", "otp_secret": "not base32 at all!!", "otp_example": "123456"},
        {"username": "", "otp_secret": pyotp.random_base32(32), "otp_example": "123456"},
        {"username": "   ", "otp_secret": pyotp.random_base32(32), "otp_example": "123456"},
        {"username": "x" * 65, "otp_secret": pyotp.random_base32(32), "otp_example": "123456"},
        {"username": "erin", "otp_secret": pyotp.random_base32(32)},
    ):
        answer = post(server.url, "/user/", body)
        assert answer.status_code == 422, (body, answer.text)
        assert isinstance(detail(answer), list) and {"loc", "msg", "type"} <= set(detail(answer)[0])
    for name in ("", "   ", "y" * 65):
        answer = post(server.url, "/user/generate-otp-secret", {"username": name})
        assert answer.status_code == 422, (name, answer.text)


def test_username_64_characters_is_fine(server):
    account = register(server.url, "z" * 64)
    assert account.get("/user/decode").json()["username"] == "z" * 64


# --- login and replay -----------------------------------------------------------------------


def test_login_with_fresh_code_gives_working_pair(server):
    account = register(server.url)
    first = account.access
    answer = account.login()
    assert answer.status_code == 200, answer.text
    assert set(answer.json()) >= {"access", "refresh"}
    assert account.access != first
    assert token_payload(account.access)["sid"] != token_payload(first)["sid"]  # a new device session
    assert account.get("/user/decode").status_code == 200
    # multi (default): the registration's session keeps working too
    assert requests.get(server.url + "/user/decode", headers={"Authorization": f"Bearer {first}"}, timeout=10).status_code == 200


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


def test_totp_code_works_once(server):
    account = register(server.url)
    code = account.fresh_code()
    first = post(server.url, "/user/login", {"username": account.username, "otp": code})
    assert first.status_code == 200, first.text
    second = post(server.url, "/user/login", {"username": account.username, "otp": code})
    assert (second.status_code, detail(second)) == (403, "Invalid password")


def test_registration_code_cannot_be_replayed_at_login(server):
    username = "grace"
    secret = post(server.url, "/user/generate-otp-secret", {"username": username}).json()["secret"]
    code = pyotp.TOTP(secret).now()
    assert post(server.url, "/user/", {"username": username, "otp_secret": secret, "otp_example": code}).status_code == 200
    answer = post(server.url, "/user/login", {"username": username, "otp": code})
    assert (answer.status_code, detail(answer)) == (403, "Invalid password")


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


def bearer(url, path, token):
    return requests.get(url + path, headers={"Authorization": f"Bearer {token}"}, timeout=10)


def test_refresh_rotates_and_each_refresh_token_works_once(server):
    account = register(server.url)
    old_access, old_refresh = account.access, account.refresh
    answer = refresh(server.url, old_refresh)
    assert answer.status_code == 200, answer.text
    pair = answer.json()
    assert pair["refresh"] != old_refresh and pair["access"] != old_access
    assert token_payload(pair["refresh"])["sid"] == token_payload(old_refresh)["sid"]
    assert bearer(server.url, "/user/decode", pair["access"]).status_code == 200
    # The old access token stays valid until it expires (it was not reused).
    assert bearer(server.url, "/user/decode", old_access).status_code == 200

    # Rotation keeps going.
    answer = refresh(server.url, pair["refresh"])
    assert answer.status_code == 200, answer.text
    newest = answer.json()
    assert bearer(server.url, "/funnel/", newest["access"]).status_code == 200


def test_refresh_reuse_revokes_the_whole_session(server):
    account = register(server.url)
    spent = account.refresh  # the registration session's refresh token
    answer = account.login()  # a second device session of the same user, must survive
    assert answer.status_code == 200
    other_access, other_refresh = account.access, account.refresh

    answer = refresh(server.url, spent)
    assert answer.status_code == 200, answer.text
    newer = answer.json()
    assert bearer(server.url, "/funnel/", newer["access"]).status_code == 200

    reused = refresh(server.url, spent)
    assert (reused.status_code, detail(reused)) == (403, "Refresh token is blacklisted")
    # The session's newer tokens are refused as well.
    again = refresh(server.url, newer["refresh"])
    assert (again.status_code, detail(again)) == (403, "Refresh token is blacklisted")
    denied = bearer(server.url, "/funnel/", newer["access"])
    assert (denied.status_code, detail(denied)) == (403, "Token is blacklisted")
    # The other device is untouched.
    assert bearer(server.url, "/funnel/", other_access).status_code == 200
    assert refresh(server.url, other_refresh).status_code == 200


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


# --- the auth table of DESIGN.md ------------------------------------------------------------


def test_auth_answers_exactly(server):
    account = register(server.url)
    url = server.url + "/funnel/"
    claims = token_payload(account.access)
    now = int(time.time())

    def get(headers):
        answer = requests.get(url, headers=headers, timeout=10)
        return answer.status_code, detail(answer)

    assert get({}) == (403, "Not authenticated")
    assert get({"Authorization": "Basic Ym9iOnNlY3JldA=="}) == (403, "Invalid authentication credentials")
    assert get({"Authorization": account.access}) == (403, "Invalid authentication credentials")
    assert get({"Authorization": "Bearer"}) == (403, "Invalid authentication credentials")
    assert get({"Authorization": "Bearer garbage"}) == (400, "Invalid token")
    assert get({"Authorization": f"Bearer {account.refresh}"}) == (400, "Invalid token")
    # Signed with another key.
    forged = sign_token(server, {**claims, "exp": now + 600}, key=b"secret")
    assert get({"Authorization": f"Bearer {forged}"}) == (400, "Invalid token")
    # alg none, and a tampered payload.
    head = base64.urlsafe_b64encode(b'{"alg":"none","typ":"JWT"}').rstrip(b"=").decode()
    body = account.access.split(".")[1]
    assert get({"Authorization": f"Bearer {head}.{body}."}) == (400, "Invalid token")
    parts = account.access.split(".")
    evil = sign_token(server, {**claims, "username": "admin"}, key=b"other")
    assert get({"Authorization": f"Bearer {parts[0]}.{evil.split('.')[1]}.{parts[2]}"}) == (400, "Invalid token")
    # Expired access token, signed with the server's real key.
    expired = sign_token(server, {**claims, "iat": now - 3600, "exp": now - 60})
    assert get({"Authorization": f"Bearer {expired}"}) == (403, "Authorization expired")
    # The scheme is case-insensitive; the genuine token works.
    assert requests.get(url, headers={"Authorization": f"bearer {account.access}"}, timeout=10).status_code == 200


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
