"""Headless Chromium for the PWA tests: a phone-sized page (390×844), DevTools protocol helpers
(network off/on, color scheme), waits, screenshots under e2e/artifacts/."""

import json
import os
import pathlib
import shutil
import time

import requests
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

ARTIFACTS = pathlib.Path(__file__).resolve().parent / "artifacts"
WIDTH, HEIGHT = 390, 844


def chromium_paths():
    binary = os.environ.get("CHROME_BIN") or shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    driver = os.environ.get("CHROMEDRIVER") or shutil.which("chromedriver")
    return binary, driver


def available() -> bool:
    binary, driver = chromium_paths()
    return bool(binary and driver)


class Browser:
    """One Chromium with helpers. `b.driver` is the Selenium WebDriver."""

    def __init__(self, base_url: str, dark: bool = False, home=None, extra_args=()):
        """`home`: the HOME Chromium runs with (its NSS database of trusted CAs is HOME/.pki/nssdb);
        `extra_args`: more command-line switches, e.g. --host-resolver-rules."""
        binary, driver = chromium_paths()
        options = webdriver.ChromeOptions()
        options.binary_location = binary
        for arg in (
            "--headless=new",
            "--no-sandbox",
            "--disable-dev-shm-usage",
            "--disable-gpu",
            f"--window-size={WIDTH},{HEIGHT}",
            "--hide-scrollbars",
            "--lang=en-US",
            "--disable-features=Translate,OptimizationHints,MediaRouter",
            "--no-first-run",
            *extra_args,
        ):
            options.add_argument(arg)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
        env = {**os.environ, "HOME": str(home)} if home else None
        self.driver = webdriver.Chrome(service=Service(driver, env=env), options=options)
        self.driver.set_script_timeout(30)
        self.base_url = base_url.rstrip("/") + "/"
        self.cdp("Network.enable", {})
        self.cdp("Emulation.setDeviceMetricsOverride", {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": True})
        self.set_dark(dark)

    # DevTools protocol

    def cdp(self, command, params=None):
        return self.driver.execute_cdp_cmd(command, params or {})

    def set_dark(self, dark: bool):
        self.cdp("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]})

    def set_offline(self, offline: bool):
        self.cdp("Network.emulateNetworkConditions", {"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})

    # Navigation and waits

    def open(self, path: str = ""):
        self.driver.get(self.base_url + path)

    def js(self, script, *args):
        return self.driver.execute_script(script, *args)

    def wait(self, predicate, timeout=15, message="condition"):
        end = time.time() + timeout
        last = None
        while time.time() < end:
            try:
                value = predicate()
                if value:
                    return value
            except (StaleElementReferenceException, WebDriverException) as error:
                last = error
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {message}" + (f" ({last})" if last else "") + f"\nconsole: {self.console()}")

    def find(self, css, timeout=15):
        return self.wait(lambda: self.visible(css), timeout, f"visible {css}")

    def visible(self, css):
        try:
            for element in self.driver.find_elements(By.CSS_SELECTOR, css):
                if element.is_displayed():
                    return element
        except StaleElementReferenceException:
            pass
        return None

    def all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self, css):
        try:
            element = self.visible(css)
            return element.text if element else ""
        except StaleElementReferenceException:
            return ""

    def wait_text(self, css, fragment, timeout=15):
        try:
            return self.wait(lambda: fragment in self.text(css), timeout, f"{fragment!r} in {css}")
        except AssertionError as error:
            raise AssertionError(f"{error}\n{css} reads {self.text(css)!r}") from None

    def type(self, css, text, clear=True):
        element = self.find(css)
        if clear:
            element.clear()
        element.send_keys(text)
        return element

    def tap(self, element):
        """Clicks like a finger: the element is scrolled to the middle first (clear of the fixed nav)."""
        self.js("arguments[0].scrollIntoView({block: 'center', inline: 'nearest'})", element)
        element.click()
        return element

    def tap_fresh(self, locate, attempts=5):
        """Taps what `locate` finds. A live update may redraw the list between finding an element and
        tapping it; a finger would land on the redrawn twin, so the twin is found again and tapped."""
        for attempt in range(attempts):
            try:
                return self.tap(locate())
            except StaleElementReferenceException:
                if attempt == attempts - 1:
                    raise
                time.sleep(0.1)

    def click(self, css):
        return self.tap_fresh(lambda: self.find(css))

    def click_text(self, css, fragment):
        def candidate():
            for element in self.all(css):
                if element.is_displayed() and fragment in (element.text or element.get_attribute("aria-label") or ""):
                    return element
            return None

        return self.tap_fresh(lambda: self.wait(candidate, message=f"{css} containing {fragment!r}"))

    def route(self, hash_route):
        self.js("location.hash = arguments[0]", hash_route)

    def local_storage(self, key, value=None):
        if value is None:
            return self.js("return localStorage.getItem(arguments[0])", key)
        self.js("localStorage.setItem(arguments[0], arguments[1])", key, value)

    def tokens(self):
        raw = self.local_storage("stracker.tokens")
        return json.loads(raw) if raw else None

    def outbox(self):
        """The entries waiting in the app's IndexedDB outbox."""
        return self.idb_all("outbox")

    def idb_all(self, store):
        """Every record of one object store of the app's IndexedDB database ([] before it exists)."""
        return self.driver.execute_async_script(
            """const [store, done] = arguments;
            const open = indexedDB.open('stracker');
            open.onsuccess = () => {
              const db = open.result;
              if (!db.objectStoreNames.contains(store)) { db.close(); return done([]); }
              const request = db.transaction(store).objectStore(store).getAll();
              request.onsuccess = () => { db.close(); done(request.result); };
            };
            open.onerror = () => done(null);""",
            store,
        )

    def idb_put(self, store, record):
        """Writes one record as another tab of the app would (the app must have opened the database)."""
        return self.driver.execute_async_script(
            """const [store, record, done] = arguments;
            const open = indexedDB.open('stracker');
            open.onsuccess = () => {
              const db = open.result;
              if (!db.objectStoreNames.contains(store)) { db.close(); return done(false); }
              const tx = db.transaction(store, 'readwrite');
              tx.objectStore(store).put(record);
              tx.oncomplete = () => { db.close(); done(true); };
              tx.onerror = () => { db.close(); done(false); };
            };
            open.onerror = () => done(false);""",
            store,
            record,
        )

    def console(self):
        try:
            return [entry["message"] for entry in self.driver.get_log("browser")][-20:]
        except WebDriverException:
            return []

    def settle(self, seconds=0.4):
        """Lets rendering, fonts and transitions finish before a screenshot."""
        self.js("return document.fonts ? document.fonts.ready.then(() => true) : true")
        time.sleep(seconds)

    def screenshot(self, name):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.settle()
        path = ARTIFACTS / f"{name}.png"
        self.driver.save_screenshot(str(path))
        return path

    def screenshot_full(self, name):
        """The whole page height (for long screens), still 390 px wide."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.settle()
        height = self.js("return Math.ceil(document.documentElement.scrollHeight)")
        self.cdp("Emulation.setDeviceMetricsOverride", {"width": WIDTH, "height": max(HEIGHT, height), "deviceScaleFactor": 1, "mobile": True})
        self.settle(0.3)
        path = ARTIFACTS / f"{name}.png"
        self.driver.save_screenshot(str(path))
        self.cdp("Emulation.setDeviceMetricsOverride", {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": True})
        return path

    def quit(self):
        try:
            self.driver.quit()
        except WebDriverException:
            pass


def device_tokens(account) -> dict:
    """A new device session of `account` (its own token pair; the account's pair stays usable)."""
    answer = requests.post(account.url + "/user/login", json={"username": account.username, "otp": account.fresh_code(), "device_name": "e2e browser"}, timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def sign_in_with_tokens(browser: Browser, account):
    """Signs the browser in as `account` (a session of its own) and opens the dashboard."""
    pair = device_tokens(account)
    browser.open("")
    browser.local_storage("stracker.tokens", json.dumps({"access": pair["access"], "refresh": pair["refresh"]}))
    browser.local_storage("stracker.username", account.username)
    browser.open("#/")
    browser.driver.refresh()  # start signed in, as a returning user does
    browser.find(".funnel")


def login_via_ui(browser: Browser, account):
    """Signs in through the login screen with a fresh code (the 6th digit submits)."""
    browser.open("#/login")
    user = browser.find("#login-username")
    user.clear()
    user.send_keys(account.username)
    browser.type("#login-code", account.fresh_code())
    browser.find(".funnel", timeout=20)


def keep_recovery_codes(browser: Browser) -> list:
    """After sign-up or a new authenticator: the 10 recovery codes shown once; reads them and
    taps "I have saved them" (on to the dashboard after sign-up)."""
    browser.wait(lambda: len(browser.all(".recovery-codes li")) == 10, message="10 recovery codes")
    codes = [li.text for li in browser.all(".recovery-codes li")]
    browser.click_text("button", "I have saved them")
    return codes
