"""Every screen of the PWA at 390×844, light and dark, saved under e2e/artifacts/ (git-ignored) to be
looked at; and the first-load transfer size (≤ 150 KB)."""

import json
import pathlib

import pytest

from browser import ARTIFACTS, sign_in_with_tokens
from browser_assets import served_size, shell_paths
from conftest import register
from test_browser_dashboard import card, funnel

WEB = pathlib.Path(__file__).resolve().parent.parent / "web"
FIRST_LOAD_LIMIT = 150 * 1000


def seed_household(url):
    """An owner and a member, three funnels, a year of spendings and a few recent ones."""
    owner = register(url, "maria")
    code = owner.post("/household/invite").json()["code"]
    member = register(url, "jonas", invite=code)
    owner.patch("/household", json={"name": "The Lindqvists"})
    owner.post("/funnel/", json={"name": "Car", "limit": 300, "color": "#6a4c93", "emoji": "🚗", "shared": False})
    food, misc, car = (funnel(owner, name)["id"] for name in ("Food", "Misc", "Car"))
    periods = owner.get("/history", params={"periods": 12}).json()["periods"]
    for index, period in enumerate(periods[:-1]):
        middle = (period["start"] + period["end"]) // 2
        owner.post("/spending/", json={"amount": 1400 + 97 * (index % 5) + (250 if index == 7 else 0), "funnel_id": food, "timestamp": middle})
        member.post("/spending/", json={"amount": 600 + 180 * (index % 3), "funnel_id": misc, "timestamp": middle + 3600_000})
        owner.post("/spending/", json={"amount": 180 + 40 * (index % 4), "funnel_id": car, "timestamp": middle + 7200_000})
    owner.post("/spending/", json={"amount": 64.3, "funnel_id": food, "note": "Weekly groceries"})
    member.post("/spending/", json={"amount": 23.9, "funnel_id": misc, "note": "Birthday card"})
    owner.post("/spending/", json={"amount": 45, "funnel_id": car, "note": "Fuel"})
    member.post("/spending/", json={"amount": 12.5, "funnel_id": food})
    member.post("/spending/", json={"amount": -5, "funnel_id": misc, "note": "Refund"})
    return owner, member


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_screenshots_of_every_screen(server, browsers, scheme):
    owner, _ = seed_household(server.url)
    page = browsers(server.url, dark=scheme == "dark")
    shots = []

    def shot(name, full=False):
        path = (page.screenshot_full if full else page.screenshot)(f"{name}-{scheme}")
        shots.append(path)

    page.open("#/login")
    page.find("#login-username")
    shot("login")
    page.type("#login-username", "maria")
    page.type("#login-code", "000000")
    page.wait_text(".form-error", "did not work")
    shot("login-wrong-code")

    page.open("#/register")
    page.find("#reg-username")
    shot("register")
    page.type("#reg-username", "new-person")
    page.click("form button[type=submit]")
    page.find(".secret")
    page.wait(lambda: page.js("return document.querySelector('img.qr').complete"), message="QR image")
    shot("register-qr")

    sign_in_with_tokens(page, owner)
    page.wait_text(".spendings", "Weekly groceries")
    shot("dashboard")
    page.type("#amount", "18.40")
    shot("dashboard-typing")
    page.tap(card(page, "Food"))
    page.wait_text("#toast", "recorded")
    shot("dashboard-undo")
    page.click(".toast-action")

    page.set_offline(True)
    page.wait_text("#status", "Offline")
    page.type("#amount", "9.90")
    page.tap(card(page, "Misc"))
    page.wait_text(".spending.pending", "Waiting")
    shot("dashboard-offline")
    page.set_offline(False)
    page.wait(lambda: not page.all(".spending.pending"), timeout=30, message="sent")
    page.wait(lambda: not page.visible("#toast"), timeout=10, message="the toast gone")
    shot("dashboard-full", full=True)

    page.click(".spendings .spending-delete")
    page.find("dialog[open]")
    shot("confirm-delete")
    page.click("dialog button[value=cancel]")

    page.wait(lambda: not page.visible("#toast"), timeout=10, message="the toast gone")
    page.route("#/history")
    page.find(".chart .column")
    page.wait(lambda: page.all(".history .spendings") or "No spendings" in page.text(".history"), message="period spendings")
    shot("history")
    columns = page.all(".chart .column")
    page.tap(columns[7])
    page.wait_text(".history h2", "–")
    page.wait(lambda: page.all(".history .spendings"), message="spendings of that period")
    shot("history-period", full=True)

    page.route("#/settings")
    page.wait_text(".settings", "jonas")
    page.wait(lambda: "Loading" not in page.text(".settings"), message="settings loaded")
    shot("settings")
    page.click_text("button", "Create invite code")
    page.find(".settings code.secret")
    shot("settings-full", full=True)
    page.click("button[aria-label='Edit Food']")
    page.find("dialog[open] #funnel-name")
    shot("funnel-edit")
    page.find("#funnel-shared").click()
    page.click("dialog button[type=submit]")
    page.wait_text("dialog[open]:not(.sheet) .dialog-title", "personal?")
    shot("funnel-make-personal")
    page.click_text("dialog[open]:not(.sheet) button", "Cancel")
    page.wait(lambda: not page.all("dialog[open] .dialog-title"), message="the question closed")
    page.click_text("dialog button", "Cancel")
    page.click_text("button", "New funnel")
    page.find("dialog[open] #funnel-name")
    shot("funnel-new")

    assert all(path.exists() and path.stat().st_size > 5000 for path in shots)
    # Nothing the page did was refused by the Content-Security-Policy or failed in a script.
    problems = [m for m in page.console() if "Content Security Policy" in m or "Uncaught" in m]
    assert problems == []


def first_load_bytes(page):
    """Bytes over the wire for everything the page loaded, from the DevTools Network events."""
    sizes = {}
    for entry in page.driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.loadingFinished":
            sizes[message["params"]["requestId"]] = message["params"]["encodedDataLength"]
    return sum(sizes.values())


def test_first_load_is_at_most_150_kb(server, browsers):
    account = register(server.url)
    page = browsers(server.url)
    page.driver.get_log("performance")  # start counting now
    page.open("#/login")
    page.find("#login-username")
    page.wait(lambda: page.js("return navigator.serviceWorker.ready.then(() => true)"), message="service worker")
    page.settle(1)
    login_bytes = first_load_bytes(page)
    resources = page.js("return performance.getEntries().filter(e => e.transferSize !== undefined).map(e => [e.name, e.transferSize])")
    assert login_bytes <= FIRST_LOAD_LIMIT, resources
    assert sum(size for _, size in resources) <= FIRST_LOAD_LIMIT

    # A signed-in first visit: nothing cached, no service worker yet, the dashboard and its data.
    sign_in_with_tokens(page, account)
    page.cdp("Storage.clearDataForOrigin", {"origin": server.url, "storageTypes": "cache_storage,service_workers"})
    page.cdp("Network.clearBrowserCache")
    page.driver.get_log("performance")
    page.driver.refresh()
    page.find(".funnel")
    page.settle(1)
    dashboard_bytes = first_load_bytes(page)
    assert dashboard_bytes <= FIRST_LOAD_LIMIT

    # What the service worker fetches for its cache is the shell; all of it fits as well, as it
    # travels (text files gzipped, as the service sends them to every browser we support).
    shell = sum(served_size(path) for path in shell_paths())
    assert shell <= FIRST_LOAD_LIMIT
    on_disk = sum((WEB / path).stat().st_size for path in shell_paths())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "first-load.json").write_text(json.dumps({
        "login_bytes": login_bytes, "dashboard_bytes": dashboard_bytes, "shell_bytes_served": shell, "shell_bytes_on_disk": on_disk, "resources": resources,
    }, indent=1))
