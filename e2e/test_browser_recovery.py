"""A lost phone does not lock anyone out (issue 8, item 14), in headless Chromium at 390×844:
the recovery codes shown at sign-up sign in once each and set up a new authenticator (the old
phone signed out), Settings shows how many are left and makes a new set, and a household owner
makes a one-time sign-in link for a member who has no codes."""

import re
import uuid

import pyotp
import pytest
import requests

from browser import keep_recovery_codes, sign_in_with_tokens
from conftest import Account, register

CODE = re.compile(r"^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$")


def set_up_new_authenticator(page):
    """On the setup screen: the shown key into a fresh authenticator, its current code typed."""
    secret = page.find(".secret").text.replace(" ", "")
    page.type("#reg-code", pyotp.TOTP(secret).now())
    return secret


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_codes_of_sign_up_get_a_person_back_in_once(server, browsers, scheme):
    page = browsers(server.url, dark=scheme == "dark")
    page.open("#/register")
    username = "rosa-" + uuid.uuid4().hex[:6]
    page.type("#reg-username", username)
    page.click("form button[type=submit]")
    old_secret = set_up_new_authenticator(page)
    page.wait(lambda: len(page.all(".recovery-codes li")) == 10, message="the codes")
    page.settle()
    page.screenshot(f"recovery-codes-{scheme}")
    codes = keep_recovery_codes(page)
    assert len(set(codes)) == 10 and all(CODE.match(code) for code in codes), codes
    page.find(".funnel")
    old = Account(server.url, username, old_secret, page.tokens())
    assert old.get("/user/recovery-codes").json()["remaining"] == 10

    # The phone is lost: a new one signs in with a code, typed loosely.
    phone = browsers(server.url, dark=scheme == "dark")
    phone.open("#/login")
    phone.click_text("a", "Lost your authenticator?")
    phone.type("#recover-username", username.upper())
    phone.type("#recover-code", codes[4].lower().replace("-", " "))
    phone.click("form button[type=submit]")
    phone.wait_text("h2", "new authenticator")
    phone.settle()
    phone.screenshot(f"recovery-new-authenticator-{scheme}")
    new_secret = set_up_new_authenticator(phone)
    fresh = keep_recovery_codes(phone)
    assert not set(fresh) & set(codes), "a new set after the new authenticator"
    phone.find(".funnel")
    assert phone.text(".household")
    new = Account(server.url, username, new_secret, phone.tokens())
    assert new.get("/user/recovery-codes").json()["remaining"] == 10
    # The lost phone is signed out, and its authenticator no longer signs in.
    assert old.get("/user/decode").status_code == 403
    assert requests.post(server.url + "/user/login", json={"username": username, "otp": pyotp.TOTP(old_secret).now()}, timeout=5).status_code == 403

    # A code is spent once: the next person typing it is told so.
    other = browsers(server.url)
    other.open("#/recover")
    other.type("#recover-username", username)
    other.type("#recover-code", codes[4])
    other.click("form button[type=submit]")
    other.wait_text(".form-error", "was used before")
    assert not other.all(".secret")


def test_settings_tells_how_many_are_left_and_makes_a_new_set(server, browsers):
    account = register(server.url)
    first = account.post("/user/recovery-codes").json()["codes"]
    requests.post(server.url + "/user/recover", json={"username": account.username, "recovery_code": first[0]}, timeout=5).raise_for_status()
    page = browsers(server.url)
    sign_in_with_tokens(page, account)
    page.route("#/settings")
    page.wait_text("#recovery-title + .row", "9 of 10 left")
    page.click_text("a", "Manage")
    page.wait_text(".auth", "9 of 10 codes left")
    page.click_text("button", "Make new codes")
    page.wait_text("dialog", "The 9 codes you have now stop working")
    page.click("dialog button[value=ok]")
    second = keep_recovery_codes(page)
    page.wait_text("#toast", "old ones no longer work")
    page.wait_text("#recovery-title + .row", "10 of 10 left")
    assert not set(second) & set(first)
    refused = requests.post(server.url + "/user/recover", json={"username": account.username, "recovery_code": first[1]}, timeout=5)
    assert refused.status_code == 403


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_owner_makes_a_sign_in_link_for_a_member(server, browsers, scheme):
    owner = register(server.url)
    member = register(server.url, invite=owner.post("/household/invite").json()["code"])
    owner.patch("/household", json={"name": "The Lindqvists"})
    page = browsers(server.url, dark=scheme == "dark")
    sign_in_with_tokens(page, owner)
    page.route("#/settings")
    button = page.find(f"button[aria-label='Make a sign-in link for {member.username}']")
    page.js("arguments[0].closest('ul').scrollIntoView({block: 'center'})", button)
    page.settle()
    page.screenshot(f"settings-household-members-{scheme}")
    page.click(f"button[aria-label='Make a sign-in link for {member.username}']")
    page.wait_text(".enrolment-link", f"Sign-in link for {member.username}")
    link = page.text(".enrolment-link code")
    assert "#/enrol?code=" in link
    page.find(".enrolment-link").location_once_scrolled_into_view
    page.settle()
    page.screenshot(f"settings-household-sign-in-link-{scheme}")

    phone = browsers(server.url, dark=scheme == "dark")
    phone.driver.get(link)
    phone.wait_text(".brand", f"Hello again, {member.username}")
    set_up_new_authenticator(phone)
    keep_recovery_codes(phone)
    phone.wait_text(".household", "The Lindqvists")
    assert member.get("/user/decode").status_code == 403, "the lost phone is signed out"

    # The link worked once.
    again = browsers(server.url)
    again.driver.get(link)
    again.wait_text("[role=alert]", "was used, replaced by a newer one, or has expired")
