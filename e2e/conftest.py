"""Black-box fixtures: the built stracker binary on a free port with a temporary DATA_DIR.

Starting the binary and signing up go through tools/stracker_harness.py, which bench/ shares."""

import pathlib
import socket
import sys
import time
import uuid

import pyotp
import pytest
import requests

REPO = pathlib.Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "e2e" / "artifacts"
# tools/: the harness below, and browser_assets.py (the PWA's version stamp) for the browser tests.
sys.path.insert(0, str(REPO / "tools"))

import stracker_harness  # noqa: E402

import log_secrets  # noqa: E402

log_secrets.install()


def pytest_sessionfinish(session, exitstatus):
    """Fails the run when any server log of it holds a token, code or secret the run used."""
    base = session.config._tmp_path_factory.getbasetemp()
    report = log_secrets.scan(pathlib.Path(base))
    print(f"\nlog secrets: {len(log_secrets.seen())} tokens, codes and secrets watched in {len(list(pathlib.Path(base).rglob('server.log')))} server logs")
    if report:
        for log, found in report.items():
            print(f"SECRET IN LOG {log}: {sorted(found)[:5]}")
        session.exitstatus = 1


class Server(stracker_harness.Server):
    """One stracker process with the e2e defaults (LOGIN_LOCKOUT=3, every request logged at debug
    level, so that the log-secrets check reads everything the server says); `restart()` keeps
    its data folder and port."""

    def __init__(self, data_dir: str, **settings: str):
        super().__init__(data_dir, **{"LOGIN_LOCKOUT": "3", "LOG_LEVEL": "debug", **settings})


@pytest.fixture
def server(tmp_path_factory):
    srv = Server(str(tmp_path_factory.mktemp("stracker-data"))).start()
    yield srv
    srv.stop()


@pytest.fixture
def make_server(tmp_path_factory):
    """A factory for servers with particular settings, e.g. make_server(SESSION_POLICY="single")."""
    servers = []

    def make(**settings):
        srv = Server(str(tmp_path_factory.mktemp("stracker-data")), **settings).start()
        servers.append(srv)
        return srv

    yield make
    for srv in servers:
        srv.stop()


class Account:
    """A registered user: the TOTP secret (as an authenticator app keeps it) and the current tokens."""

    def __init__(self, url: str, username: str, secret: str, tokens: dict):
        self.url = url
        self.username = username
        self.secret = secret
        self.totp = pyotp.TOTP(secret)
        self.access = tokens["access"]
        self.refresh = tokens["refresh"]
        self.last_step = int(time.time()) // 30

    @property
    def headers(self):
        return {"Authorization": f"Bearer {self.access}"}

    def get(self, path, **kw):
        return requests.get(self.url + path, headers=self.headers, timeout=10, **kw)

    def post(self, path, json=None, **kw):
        return requests.post(self.url + path, json=json, headers=self.headers, timeout=10, **kw)

    def put(self, path, json=None, **kw):
        return requests.put(self.url + path, json=json, headers=self.headers, timeout=10, **kw)

    def patch(self, path, json=None, **kw):
        return requests.patch(self.url + path, json=json, headers=self.headers, timeout=10, **kw)

    def delete(self, path, **kw):
        return requests.delete(self.url + path, headers=self.headers, timeout=10, **kw)

    def fresh_code(self) -> str:
        """A code of a step never used before: the server accepts each step once (no replay)."""
        while True:
            step = int(time.time()) // 30
            for candidate in (step, step + 1):
                if candidate > self.last_step:
                    self.last_step = candidate
                    return self.totp.at(candidate * 30)
            time.sleep(max(0.05, (step + 1) * 30 - time.time()))

    def login(self, **extra) -> requests.Response:
        answer = requests.post(
            self.url + "/user/login", json={"username": self.username, "otp": self.fresh_code(), **extra}, timeout=10
        )
        if answer.status_code == 200:
            self.access, self.refresh = answer.json()["access"], answer.json()["refresh"]
        return answer


def register(url: str, username: str | None = None, invite: str | None = None) -> Account:
    username = username or "user-" + uuid.uuid4().hex[:8]
    secret, tokens = stracker_harness.register_user(url, username, invite=invite)
    return Account(url, username, secret, tokens)


@pytest.fixture
def account(server):
    return register(server.url)


# ---------------------------------------------------------------------------------------------
# Helpers for the API tests (e2e/test_api_*.py). Additive only: nothing above depends on them.

import base64 as _base64
import decimal as _decimal
import hashlib as _hashlib
import hmac as _hmac
import http.client as _http_client
import json as _json
import urllib.parse as _urlparse


def exact_json(response: requests.Response):
    """The JSON body with every non-integer number as an exact `decimal.Decimal`."""
    return _json.loads(response.content, parse_float=_decimal.Decimal)


def token_payload(token: str) -> dict:
    """The claims of a JWT, unverified (what the old client reads)."""
    payload = token.split(".")[1]
    return _json.loads(_base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def _b64url(data: bytes) -> str:
    return _base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign_token(server: "Server", claims: dict, header: dict | None = None, key: bytes | None = None) -> str:
    """An HS256 JWT signed with the server's own key from DATA_DIR/keys.json (or `key`)."""
    if key is None:
        keys = _json.loads((pathlib.Path(server.data_dir) / "keys.json").read_text())
        key = _base64.b64decode(keys["jwtSecret"])
    head = _b64url(_json.dumps(header or {"alg": "HS256", "typ": "JWT"}).encode())
    body = _b64url(_json.dumps(claims).encode())
    signature = _hmac.new(key, f"{head}.{body}".encode(), _hashlib.sha256).digest()
    return f"{head}.{body}.{_b64url(signature)}"


def wrong_code(secret: str) -> str:
    """A six-digit code that is no code of `secret` anywhere near now."""
    totp = pyotp.TOTP(secret)
    step = int(time.time()) // 30
    near = {totp.at((step + delta) * 30) for delta in range(-3, 5)}
    candidate = 123456
    while f"{candidate:06d}" in near:
        candidate += 1
    return f"{candidate:06d}"


def raw_http(url: str, data: bytes, timeout: float = 10):
    """Sends `data` as-is over one TCP connection; returns (status, headers, body bytes)."""
    parts = _urlparse.urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=timeout) as sock:
        sock.sendall(data)
        answer = _http_client.HTTPResponse(sock)
        answer.begin()
        body = answer.read()
        return answer.status, {k.lower(): v for k, v in answer.getheaders()}, body


# --- PWA browser tests (e2e/test_browser_*.py): headless Chromium at 390×844, see e2e/browser.py ---


@pytest.fixture
def browsers():
    """A factory of headless Chromium pages: browsers(server.url, dark=False, home=None, extra_args=());
    all quit afterwards."""
    from browser import Browser

    opened = []

    def make(base_url: str, dark: bool = False, **options):
        opened.append(Browser(base_url, dark=dark, **options))
        return opened[-1]

    yield make
    for page in opened:
        page.quit()
