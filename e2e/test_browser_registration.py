"""Signing up without dead ends (issue 8, item 12), in headless Chromium at 390×844: a wrong
invite code is refused before the secret is shown (so nothing unusable goes into the
authenticator), a new household takes the phone's time zone, and the owner can change it in
Settings › Household, where the page offers the phone's zone when the household's differs."""

import uuid

import pyotp
import pytest

from browser import keep_recovery_codes, sign_in_with_tokens
from conftest import Account, register


def test_a_wrong_invite_code_is_refused_before_the_secret(server, browsers):
    owner = register(server.url)
    page = browsers(server.url)
    page.open("#/register")
    page.type("#reg-username", "cleo-" + uuid.uuid4().hex[:6])
    page.type("#reg-invite", "WRONG-CODE-1")
    page.click("form button[type=submit]")
    page.wait_text(".form-error", "invalid, used or expired")
    assert not page.all(".secret") and not page.all("img.qr"), "a secret was shown for an invite that cannot work"
    assert page.js("return document.activeElement.id") == "reg-invite"

    # A used code is refused the same way; a good one then goes through to the secret and joins.
    used = owner.post("/household/invite").json()["code"]
    register(server.url, invite=used)
    page.type("#reg-invite", used)
    page.click("form button[type=submit]")
    page.wait_text(".form-error", "invalid, used or expired")
    assert not page.all(".secret")
    code = owner.post("/household/invite").json()["code"]
    page.type("#reg-invite", code)
    page.click("form button[type=submit]")
    secret = page.find(".secret").text.replace(" ", "")
    page.type("#reg-code", pyotp.TOTP(secret).now())
    keep_recovery_codes(page)
    page.wait_text(".household", owner.username)


def test_an_invite_only_server_asks_for_the_code_first(make_server, browsers):
    server = make_server(REGISTRATION="invite")
    page = browsers(server.url)
    page.open("#/register")
    page.type("#reg-username", "dora")
    page.click("form button[type=submit]")
    page.wait_text(".form-error", "needs an invite code")
    assert not page.all(".secret")


def test_a_new_household_takes_the_phones_time_zone(server, browsers):
    page = browsers(server.url)
    page.cdp("Emulation.setTimezoneOverride", {"timezoneId": "America/New_York"})
    page.open("#/register")
    username = "erik-" + uuid.uuid4().hex[:6]
    page.type("#reg-username", username)
    page.click("form button[type=submit]")
    secret = page.find(".secret").text.replace(" ", "")
    page.type("#reg-code", pyotp.TOTP(secret).now())
    keep_recovery_codes(page)
    page.find(".funnel")
    account = Account(server.url, username, secret, page.tokens())
    assert account.get("/household").json()["time_zone"] == "America/New_York"
    # Joining keeps the household's zone, whatever the joining phone says.
    code = account.post("/household/invite").json()["code"]
    other = browsers(server.url)
    other.cdp("Emulation.setTimezoneOverride", {"timezoneId": "Asia/Tokyo"})
    other.open(f"#/register?invite={code}")
    other.type("#reg-username", "fia-" + uuid.uuid4().hex[:6])
    other.click("form button[type=submit]")
    secret = other.find(".secret").text.replace(" ", "")
    other.type("#reg-code", pyotp.TOTP(secret).now())
    keep_recovery_codes(other)
    other.wait_text(".household", username)
    assert account.get("/household").json()["time_zone"] == "America/New_York"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_owner_moves_the_household_to_the_phones_zone(server, browsers, scheme):
    owner = register(server.url)
    zone = owner.get("/household").json()["time_zone"]
    here = "Asia/Tokyo" if zone != "Asia/Tokyo" else "Europe/Berlin"
    page = browsers(server.url, dark=scheme == "dark")
    page.cdp("Emulation.setTimezoneOverride", {"timezoneId": here})
    sign_in_with_tokens(page, owner)
    page.route("#/settings")
    page.wait_text("#household-title + .stack", f"This phone is in {here}.")
    page.find("#hh-zone")
    page.settle()
    page.screenshot(f"settings-household-zone-{scheme}")
    page.click_text("button", "Use this zone")
    assert page.find("#hh-zone").get_attribute("value") == here
    assert not page.visible(".zone-hint"), "the offer stays after it was taken"
    page.click_text("button", "Save household")
    page.wait_text("#toast", "Household saved")
    assert owner.get("/household").json()["time_zone"] == here
    # Typing another zone brings the offer back; a zone the server does not know is refused in words.
    page.type("#hh-zone", "Mars/Olympus")
    page.wait_text(".zone-hint", f"This phone is in {here}.")
    page.click_text("button", "Save household")
    page.wait_text(".form-error", "IANA time zone")
    assert owner.get("/household").json()["time_zone"] == here


def test_no_offer_when_the_zones_are_one_under_two_names(server, browsers):
    owner = register(server.url)
    owner.patch("/household", json={"time_zone": "Etc/UTC"})
    page = browsers(server.url)
    page.cdp("Emulation.setTimezoneOverride", {"timezoneId": "UTC"})
    sign_in_with_tokens(page, owner)
    page.route("#/settings")
    page.wait(lambda: page.find("#hh-zone").get_attribute("value") == "Etc/UTC", message="the household's zone")
    page.settle()
    assert not page.visible(".zone-hint"), "Etc/UTC and UTC are the same zone"
