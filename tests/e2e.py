"""Browser-test support: serve the real app on 127.0.0.1 and drive Debian's Chromium with Playwright."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
PHONE = {"width": 390, "height": 844}


def require_chromium() -> None:
    """Skip (or, under CI=true, fail) when the browser tests cannot run here."""
    problem = None
    if not os.access(CHROMIUM, os.X_OK):
        problem = f"{CHROMIUM} is missing: `make test` installs Debian's chromium when run as root"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright package is not installed"
    if problem:
        if os.environ.get("CI") == "true":
            pytest.fail(f"browser tests must run in CI, but {problem}")
        pytest.skip(problem)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def live_app(db_path: str | os.PathLike, env: dict[str, str] | None = None, timeout: float = 90,
             serve_args: tuple[str, ...] = ()) -> Iterator[str]:
    """`changestories serve` on 127.0.0.1 at a free port (plus `serve_args`); yields the base URL."""
    port = free_port()
    command = [sys.executable, "-m", "cli.main", "serve", "--db", str(db_path),
               "--port", str(port), "--address", "127.0.0.1", *serve_args]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the app exited: {process.stdout.read().decode(errors='replace')[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the app did not start in time")
            time.sleep(0.3)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # nothing of the server may outlive the test
        process.wait()


@contextlib.contextmanager
def chromium():
    """A Playwright Browser on Debian's Chromium (headless, no downloads)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def phone_page(browser, **kwargs):
    """A new page in its own context, sized like a phone."""
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, **kwargs)
    context.set_default_timeout(30_000)
    return context.new_page()


DESKTOP = {"width": 1366, "height": 900}


def sized_page(browser, size: str, **kwargs):
    """A new page in its own context: "phone" (390 px, touch) or "desktop" (1366 px)."""
    if size == "phone":
        return phone_page(browser, **kwargs)
    context = browser.new_context(viewport=DESKTOP, **kwargs)
    context.set_default_timeout(30_000)
    return context.new_page()


def sign_in(page, name: str, password: str, *, signed_in_text: str = "Logget ind som") -> None:
    """Fill the sign-in form on the page shown and wait until the app says who is signed in."""
    danish = signed_in_text.startswith("Logget")
    page.get_by_role("textbox", name="Brugernavn" if danish else "User name", exact=True).fill(name)
    field = page.get_by_role("textbox", name="Adgangskode" if danish else "Password", exact=True)
    field.fill(password)
    field.press("Enter")
    page.get_by_text(signed_in_text).first.wait_for(state="attached")


def session_cookie(page, name: str, timeout: float = 30) -> dict:
    """The browser's cookie `name`, once the app has set it (it does so right after signing in)."""
    deadline = time.monotonic() + timeout
    while True:
        found = [c for c in page.context.cookies() if c["name"] == name]
        if found:
            return found[0]
        if time.monotonic() > deadline:
            raise AssertionError(f"the browser never got the cookie {name}")
        page.wait_for_timeout(200)
