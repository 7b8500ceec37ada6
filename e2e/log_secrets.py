"""No token, code or secret ever appears in a server log (issue 10, item 16).

While the e2e run lasts, every HTTP exchange made through `requests` is watched: bearer tokens
sent, codes and secrets in request bodies (`otp`, `otp_example`, `otp_secret`, `refresh`,
`invite`), and tokens, secrets and invite codes in answers (`access`, `refresh`, `secret`,
`code`). At the end of the run every `server.log` the run's servers wrote (they log at debug
level, every request included) is searched for each of them; conftest.py fails the run if one
is found. `leaks()` is the search, tested on its own in test_api_observability.py."""

import json
import pathlib
import re
import threading

import requests

_seen: set[str] = set()
_lock = threading.Lock()
REQUEST_KEYS = ("otp", "otp_example", "otp_secret", "refresh", "invite")
ANSWER_KEYS = ("access", "refresh", "secret", "code")


# Only values of the shapes the server issues or accepts are secrets; the robustness tests send
# junk ("xxx…", "999…") in the same fields, which may rightly appear in a path or a username.
_SHAPES = re.compile(
    r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+"  # a JWT
    r"|[A-Z2-7 ]{16,}=*"  # a Base32 secret
    r"|[0-9]{6}"  # a TOTP code
    r"|[A-Z0-9]{10}|[A-Z0-9]{4}(?:-[A-Z0-9]{4})+"  # an invite code, as issued or grouped
)


def remember(value):
    if isinstance(value, str) and len(value) < 2048 and _SHAPES.fullmatch(value.strip()):
        with _lock:
            _seen.add(value.strip())


def seen() -> set[str]:
    with _lock:
        return set(_seen)


def _watch(session, request, **kwargs):
    auth = request.headers.get("Authorization", "")
    if isinstance(auth, bytes):
        auth = auth.decode("latin-1")
    if auth.lower().startswith("bearer "):
        remember(auth[7:].strip())
    body = request.body
    sent = None
    # Hostile bodies (deep nesting, megabytes) are the robustness tests' business, not secrets.
    if isinstance(body, (bytes, str)) and 0 < len(body) < 65536:
        try:
            sent = json.loads(body)
        except (ValueError, TypeError, UnicodeDecodeError, RecursionError):
            sent = None
        if isinstance(sent, dict):
            for key in REQUEST_KEYS:
                remember(sent.get(key))
    response = _original_send(session, request, **kwargs)
    if "json" in response.headers.get("Content-Type", ""):
        try:
            answer = response.json()
        except (ValueError, RecursionError):
            answer = None
        if isinstance(answer, dict):
            for key in ANSWER_KEYS:
                remember(answer.get(key))
    return response


_original_send = requests.Session.send


def install():
    requests.Session.send = _watch


# What a value could look like inside a log line: JWTs, Base32 secrets, six-digit codes (whole,
# never part of a longer number or word), invite codes.
_CANDIDATES = re.compile(
    r"eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"  # JWT
    r"|[A-Z2-7]{16,}"  # Base32
    r"|(?<![0-9A-Za-z])[0-9]{6}(?![0-9A-Za-z])"  # TOTP code
    r"|(?<![0-9A-Za-z])[A-Z0-9]{10}(?![0-9A-Za-z])|[A-Z0-9]{4,}(?:-[A-Z0-9]{4,})+"  # invite code
)


def leaks(log_text: str, secrets: set[str]) -> set[str]:
    """The secrets that occur in the log text."""
    found = {match for match in _CANDIDATES.findall(log_text) if match in secrets}
    # A secret split or embedded differently (a JWT's first two parts, a secret in lowercase).
    for secret in secrets:
        if len(secret) >= 16 and (secret in log_text or secret.lower() in log_text):
            found.add(secret)
    return found


def scan(base: pathlib.Path) -> dict[str, set[str]]:
    secrets = seen()
    report = {}
    for log in sorted(base.rglob("server.log")):
        found = leaks(log.read_text(errors="replace"), secrets)
        if found:
            report[str(log)] = found
    return report
