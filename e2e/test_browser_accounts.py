"""The PWA's sign-up and sign-in screens in headless Chromium, against the real binary."""

import time
import uuid

import pyotp

from browser import keep_recovery_codes, sign_in_with_tokens
from conftest import Account, register, wrong_code


def register_in_browser(page, username, invite_route=""):
    page.open(invite_route or "#/register")
    page.type("#reg-username", username)
    page.click("form button[type=submit]")
    secret = page.find(".secret").text.replace(" ", "")
    assert len(secret) == 32, secret
    return secret


def test_register_with_an_authenticator_code(server, browsers):
    page = browsers(server.url)
    username = "anna-" + uuid.uuid4().hex[:6]
    secret = register_in_browser(page, username)
    # The QR code (the server's SVG as an image), the grouped key and the otpauth link are shown.
    qr = page.find("img.qr")
    assert qr.get_attribute("src").startswith("data:image/svg+xml")
    assert page.js("return arguments[0].naturalWidth > 0", qr)
    assert page.find("a[href^='otpauth://totp/']").get_attribute("href").find(secret) > 0
    assert all(len(group) == 4 for group in page.find(".secret").text.split())
    # The 6th digit submits: no button press.
    page.type("#reg-code", pyotp.TOTP(secret).now())
    keep_recovery_codes(page)
    page.find(".funnel")
    assert [e.text for e in page.all(".f-name")] == ["Food", "Misc"]
    assert username in page.text(".household")
    tokens = page.tokens()
    account = Account(server.url, username, secret, tokens)
    assert account.get("/user/decode").json()["username"] == username


def test_wrong_registration_code_and_taken_username(server, browsers):
    taken = register(server.url)
    page = browsers(server.url)
    page.open("#/register")
    page.type("#reg-username", taken.username)
    page.click("form button[type=submit]")
    # Whether a name is taken is told only at registration (not when the secret is made, which
    # would let anyone list the users), so the person learns it after entering a code.
    secret = page.find(".secret").text.replace(" ", "")
    page.type("#reg-code", pyotp.TOTP(secret).now())
    page.wait_text(".form-error", "already taken")
    username = "ben-" + uuid.uuid4().hex[:6]
    page.type("#reg-username", username)
    page.click("form button[type=submit]")
    secret = page.find(".secret").text.replace(" ", "")
    page.type("#reg-code", wrong_code(secret))
    page.wait_text(".form-error", "does not match")
    assert page.find("#reg-code").get_attribute("value") == ""
    page.type("#reg-code", pyotp.TOTP(secret).now())
    keep_recovery_codes(page)
    page.find(".funnel")


def test_join_a_household_with_an_invite_link(server, browsers):
    owner = register(server.url)
    code = owner.post("/household/invite").json()["code"]
    page = browsers(server.url)
    username = "cleo-" + uuid.uuid4().hex[:6]
    page.open(f"#/register?invite={code}")
    assert page.find("#reg-invite").get_attribute("value") == code
    secret = register_in_browser(page, username, f"#/register?invite={code}")
    page.type("#reg-code", pyotp.TOTP(secret).now())
    keep_recovery_codes(page)
    page.wait_text(".household", owner.username)
    members = [m["username"] for m in owner.get("/household").json()["members"]]
    assert username in members


def test_sign_in_wrong_code_and_lockout(make_server, browsers):
    server = make_server(LOGIN_LOCKOUT="4")
    account = register(server.url)
    page = browsers(server.url)
    page.open("#/login")
    page.type("#login-username", account.username)
    code_field = page.find("#login-code")
    for _ in range(5):  # five wrong codes are answered 403 …
        page.type("#login-code", wrong_code(account.secret))
        page.wait(lambda: code_field.get_attribute("value") == "", message="the answer")
        assert "did not work" in page.text(".form-error")
    page.type("#login-code", wrong_code(account.secret))  # … then the lockout (429, Retry-After)
    page.wait_text(".form-error", "try again in")
    assert not page.find("#login-code").is_enabled()
    page.wait_text(".form-error", "You can try again now", timeout=15)
    page.type("#login-code", account.fresh_code())
    page.find(".funnel")
    assert page.tokens()["access"]


def test_sign_out_and_back_in(server, browsers):
    account = register(server.url)
    page = browsers(server.url)
    sign_in_with_tokens(page, account)
    page.route("#/settings")
    page.click("#sign-out")
    page.find("#login-username")
    assert page.tokens() is None
    assert page.find("#login-username").get_attribute("value") == account.username
    page.type("#login-code", account.fresh_code())
    page.find(".funnel")
    time.sleep(0.2)
