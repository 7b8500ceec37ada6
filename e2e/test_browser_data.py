"""Settings › Your data in the PWA: "Download CSV" saves the same file GET /export.csv answers,
and "Import CSV…" says what a file would add (new funnels, rows already here) before it imports,
or names the bad lines and imports nothing."""

import time

import pytest

from browser import sign_in_with_tokens
from conftest import register
from test_browser_dashboard import funnel

GOOD = "date,amount,currency,funnel,who,note\n2026-11-02T09:15:00+01:00,4.20,EUR,Food,,coffee\n2026-11-03,35,EUR,Gifts,,\n2026-11-04 18:30,12.5,EUR,food,,\n"
BAD = "date,amount,funnel\n2026-11-02,4.20,Food\n2026-11-03,4.205,Food\nlast tuesday,1,Food\n"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_download_and_import_from_settings(server, browsers, tmp_path, scheme):
    account = register(server.url)
    account.post("/spending/", json={"amount": 9.99, "funnel_id": funnel(account, "Food")["id"], "note": "bread, milk"})
    page = browsers(server.url, dark=scheme == "dark")
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    page.cdp("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    sign_in_with_tokens(page, account)
    page.route("#/settings")
    page.find("#export-csv")
    page.js("document.getElementById('data-title').scrollIntoView({block: 'start'})")
    page.screenshot(f"settings-data-{scheme}")

    page.click("#export-csv")
    saved = page.wait(lambda: [p for p in downloads.glob("stracker-*.csv")], message="the CSV downloaded")[0]
    time.sleep(0.3)
    assert saved.read_bytes() == account.get("/export.csv").content
    assert b"\"bread, milk\"" in saved.read_bytes()

    good = tmp_path / "bank.csv"
    good.write_text(GOOD)
    page.find("#import-file").send_keys(str(good))
    title = page.wait_text(".dialog-title", "Import 3 spendings?")
    assert "New funnel: Gifts." in page.text("dialog")
    page.screenshot(f"settings-import-confirm-{scheme}")
    page.click("dialog button[value=ok]")
    page.wait_text("#toast", "Imported 3 spendings.")
    spendings = account.get("/spending/", params={"timestamp_from": -1, "timestamp_to": 253402300800000}).json()
    assert sorted(s["note"] for s in spendings) == ["", "", "bread, milk", "coffee"]
    assert [f["name"] for f in account.get("/funnel/").json()] == ["Food", "Misc", "Gifts"]
    _ = title

    # The same file again: nothing new, and nothing asked.
    page.find("#import-file").send_keys(str(good))
    page.wait_text("#toast", "Nothing new: all 3 spendings are already here.")
    # A toast without an action ends with its message (it used to end in "undefined").
    assert page.text("#toast") == "Nothing new: all 3 spendings are already here."

    bad = tmp_path / "broken.csv"
    bad.write_text(BAD)
    page.find("#import-file").send_keys(str(bad))
    page.wait_text("#import-status", "broken.csv was not imported")
    status = page.text("#import-status")
    assert 'Line 3, column amount: "4.205" has more than 2 decimal places' in status
    assert 'Line 4, column date: "last tuesday"' in status
    assert "undefined" not in status
    page.js("document.getElementById('data-title').scrollIntoView({block: 'start'})")
    page.screenshot(f"settings-import-refused-{scheme}")
    assert len(account.get("/spending/", params={"timestamp_from": -1, "timestamp_to": 253402300800000}).json()) == 4
