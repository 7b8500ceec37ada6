"""The PWA over HTTPS, reached by a home-network name as a phone reaches it (not localhost, which
browsers treat as secure even over plain HTTP): with the self-signed CA trusted in Chromium's
NSS database, the page is a secure context, its service worker takes control, and a spending
recorded offline is sent exactly once when the network returns. Over plain HTTP at the same name
none of that is available, which is why HTTPS matters at home."""

import subprocess
import time

import pytest

from browser import sign_in_with_tokens
from conftest import Server, register
from test_api_tls import self_signed
from test_browser_dashboard import card, spendings

HOST = "budget.home.arpa"
RESOLVE = f"--host-resolver-rules=MAP {HOST} 127.0.0.1"


def trusting_home(tmp_path, ca):
    """A HOME whose NSS database (what Chromium on Linux trusts) holds the CA and nothing else."""
    home = tmp_path / "home"
    database = home / ".pki" / "nssdb"
    database.mkdir(parents=True)
    subprocess.run(["certutil", "-d", f"sql:{database}", "-N", "--empty-password"], check=True, capture_output=True)
    subprocess.run(["certutil", "-d", f"sql:{database}", "-A", "-t", "C,,", "-n", "STracker home CA", "-i", str(ca)],
                   check=True, capture_output=True)
    return home


@pytest.fixture
def https_server(tmp_path, monkeypatch):
    pair = self_signed(tmp_path / "data", HOST, "127.0.0.1")
    srv = Server(str(tmp_path / "data"), ca_file=pair["ca"], TLS_CERT_FILE=str(pair["cert"]), TLS_KEY_FILE=str(pair["key"])).start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(pair["ca"]))  # the test's own API calls trust it too
    srv.pair = pair
    yield srv
    srv.stop()


def test_over_https_the_service_worker_runs_and_an_offline_spending_is_sent_once(https_server, browsers, tmp_path):
    account = register(https_server.url)
    page = browsers(f"https://{HOST}:{https_server.port}", home=trusting_home(tmp_path, https_server.pair["ca"]), extra_args=[RESOLVE])
    sign_in_with_tokens(page, account)
    assert page.js("return [location.protocol, location.hostname, window.isSecureContext]") == ["https:", HOST, True]
    page.wait(lambda: page.js("return navigator.serviceWorker.ready.then(() => !!navigator.serviceWorker.controller)"),
              message="service worker in control")
    assert page.js("return navigator.serviceWorker.controller.scriptURL").startswith(f"https://{HOST}:")

    page.set_offline(True)
    page.wait_text("#status", "Offline")
    page.driver.refresh()  # reopened offline: the service worker serves the app
    page.find(".funnel")
    page.type("#amount", "6.40")
    page.tap(card(page, "Food"))
    page.wait_text(".spending.pending", "€6.40")
    assert spendings(account) == []
    page.screenshot("https-offline-pending")

    page.set_offline(False)
    page.wait(lambda: len(spendings(account)) == 1, timeout=30, message="the spending sent")
    page.wait(lambda: not page.all(".spending.pending"), message="no longer pending")
    time.sleep(2)  # a second send would have arrived by now
    stored = spendings(account)
    assert len(stored) == 1 and stored[0]["amount"] == 6.4
    assert page.outbox() == []
    page.screenshot("https-dashboard")


def test_the_certificate_is_trusted_only_through_the_ca(https_server, browsers, tmp_path):
    """Without the CA in its NSS database Chromium refuses the site: the trust above is the CA's."""
    (tmp_path / "bare").mkdir()
    page = browsers(f"https://{HOST}:{https_server.port}", home=tmp_path / "bare", extra_args=[RESOLVE])
    page.open("")
    time.sleep(1)
    assert not page.visible(".funnel") and not page.visible("#login-username")
    assert page.js("return window.isSecureContext && !!document.querySelector('#app, main')") is not True


def test_plain_http_at_a_home_name_gets_no_service_worker(server, browsers):
    page = browsers(f"http://{HOST}:{server.port}", extra_args=[RESOLVE])
    page.open("")
    page.wait(lambda: page.js("return document.readyState") == "complete", message="page loaded")
    assert page.js("return [window.isSecureContext, 'serviceWorker' in navigator]") == [False, False]
