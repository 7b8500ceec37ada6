"""Takes the screenshots the web manifest lists (web/screenshots/*.png), which install dialogs
show before a person installs the app: the dashboard and History of the e2e screens' sample
household (maria and jonas, a year of spendings), light, 390×844.

    STRACKER_BIN=.build/release/stracker python3 tools/make_screenshots.py

Run it after a visible change to those screens; e2e/test_browser_pwa.py checks that every
screenshot the manifest names exists with the size it states.
"""

import pathlib
import shutil
import sys
import tempfile

REPO = pathlib.Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO / "e2e"), str(REPO / "tools")]

from browser import Browser, sign_in_with_tokens  # noqa: E402
from conftest import Server  # noqa: E402
from test_browser_screens import seed_household  # noqa: E402

OUT = REPO / "web" / "screenshots"


def main():
    OUT.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as data:
        server = Server(data).start()
        page = None
        try:
            owner, _ = seed_household(server.url)
            page = Browser(server.url)
            sign_in_with_tokens(page, owner)
            page.wait_text(".spendings", "Weekly groceries")
            page.js("document.querySelector('.install-hint')?.remove()")
            shutil.copy(page.screenshot("manifest-dashboard"), OUT / "dashboard.png")
            page.route("#/history")
            page.find(".chart .column")
            page.wait(lambda: page.all(".history .spendings"), message="period spendings")
            shutil.copy(page.screenshot("manifest-history"), OUT / "history.png")
        finally:
            if page:
                page.quit()
            server.stop()
    for path in sorted(OUT.glob("*.png")):
        print(path.relative_to(REPO), path.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
