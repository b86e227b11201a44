"""Browser-test support: serve the real app on 127.0.0.1 and drive Debian's Chromium with Playwright."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
PHONE = {"width": 390, "height": 844}
RUNNING_LOGS: dict[str, Path] = {}  # what each server started by `serving` is writing, while it runs
FAILED_TAILS: dict[str, str] = {}  # the end of the log of a server whose `with` block raised


CADDY = "/usr/bin/caddy"


def _cannot_run(problem: str, what: str) -> None:
    """Skip, or under CI=true fail: there the tests must run."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} must run in CI, but {problem}")
    pytest.skip(problem)


def require_chromium() -> None:
    """Skip (or, under CI=true, fail) when the browser tests cannot run here."""
    if not os.access(CHROMIUM, os.X_OK):
        _cannot_run(f"{CHROMIUM} is missing: `make test` installs Debian's chromium as root or with sudo", "browser tests")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _cannot_run("the playwright package is not installed", "browser tests")


def require_caddy() -> None:
    """Skip (or, under CI=true, fail) when Debian's caddy is missing."""
    if not os.access(CADDY, os.X_OK):
        _cannot_run(f"{CADDY} is missing: `make test` installs Debian's caddy as root or with sudo",
                    "the deployment test")


def running_logs_tail(chars: int = 4000) -> str:
    """The end of every running server's log (for the report of a failed test)."""
    parts = [f"--- {name} (stopped) ---\n{tail[-chars:]}" for name, tail in FAILED_TAILS.items()]
    FAILED_TAILS.clear()
    for name, path in list(RUNNING_LOGS.items()):
        with contextlib.suppress(OSError):
            parts.append(f"--- {name} ---\n{path.read_bytes().decode(errors='replace')[-chars:]}")
    return "\n".join(parts)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str, opener: Callable[[str], object]) -> bool:
    try:
        with opener(url) as response:
            return response.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def serving(command: list[str], health_url: str, *, what: str, env: dict[str, str] | None = None,
            log: Path | None = None, timeout: float = 90,
            opener: Callable[[str], object] = lambda url: urllib.request.urlopen(url, timeout=2)) -> Iterator[None]:
    """Run a server `command` in its own process group until `health_url` answers 200; on leaving,
    stop the whole group (TERM, then KILL: nothing of the server may outlive the test).

    Its output goes to a file (`log`, or a temporary one), never to a pipe: nobody reads a pipe while
    the test runs, and a server that has written 64 KB of log into a full pipe blocks on its next write
    and stops answering. The file's tail goes into the error when the server exits early."""
    with contextlib.ExitStack() as stack:
        if log is None:
            log = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="serving-"))) / "server.log"
        out = stack.enter_context(open(log, "wb"))
        stack.callback(RUNNING_LOGS.pop, f"{what} ({log})", None)
        RUNNING_LOGS[f"{what} ({log})"] = log
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})},
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            deadline = time.monotonic() + timeout
            while not _answers(health_url, opener):
                if process.poll() is not None:
                    raise RuntimeError(f"{what} exited: {log.read_bytes().decode(errors='replace')[-2000:]}")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{what} did not answer in time")
                time.sleep(0.3)
            yield
        except BaseException:
            FAILED_TAILS[f"{what} ({log})"] = log.read_bytes().decode(errors="replace")[-4000:]
            raise
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextlib.contextmanager
def live_app(db_path: str | os.PathLike, env: dict[str, str] | None = None, timeout: float = 90,
             serve_args: tuple[str, ...] = ()) -> Iterator[str]:
    """`changestories serve` on 127.0.0.1 at a free port (plus `serve_args`); yields the base URL."""
    port = free_port()
    command = [sys.executable, "-m", "cli.main", "serve", "--db", str(db_path),
               "--port", str(port), "--address", "127.0.0.1", *serve_args]
    url = f"http://127.0.0.1:{port}"
    with serving(command, f"{url}/_stcore/health", what="the app", env=env, timeout=timeout):
        yield url


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


def sized_page(browser, size: str, *, wait_ms: int = 30_000, **kwargs):
    """A new page in its own context: "phone" (390 px, touch) or "desktop" (1366 px). `wait_ms` is how
    long its actions and page loads wait (a wait, not a timing: long walks on a busy CI wait longer)."""
    if size == "phone":
        page = phone_page(browser, **kwargs)
    else:
        page = browser.new_context(viewport=DESKTOP, **kwargs).new_page()
    page.context.set_default_timeout(wait_ms)
    page.context.set_default_navigation_timeout(wait_ms)
    return page


def themes_view(browser, url: str, view: str):
    """A desktop page (downloads allowed, 90 s waits) on the themes page with the view `view` chosen."""
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True)
    context.set_default_timeout(90_000)
    page = context.new_page()
    page.goto(f"{url}/themes")
    page.get_by_role("radio", name=view).or_(page.get_by_role("button", name=view, exact=True)).first.click()
    return page


_ENTER_LISTENS = """() => {
  const forms = window.__changestoriesEnterForms, field = document.activeElement;
  return Boolean(window.__changestoriesEnterListener && forms && field
                 && [...forms].some((key) => field.closest('.st-key-' + key)));
}"""


def sign_in(page, name: str, password: str, *, signed_in_text: str = "Logget ind som") -> None:
    """Fill the sign-in form on the page shown and wait until the app says who is signed in."""
    danish = signed_in_text.startswith("Logget")
    page.get_by_role("textbox", name="Brugernavn" if danish else "User name", exact=True).fill(name)
    field = page.get_by_role("textbox", name="Adgangskode" if danish else "Password", exact=True)
    field.fill(password)
    # Enter reaches the form through ui.form_enter's listener: wait until its script runs and knows
    # the form holding the focused field (on a loaded machine it mounts after the field is drawn).
    page.wait_for_function(_ENTER_LISTENS)
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


def submit_staff_story(page, story: str, why: str) -> None:
    """On the submit page: write the story and why it matters, consent to internal learning,
    read it back and save it; waits for the thanks."""
    page.get_by_text("Hvad var den mest betydningsfulde forandring?").wait_for()
    areas = page.locator("textarea")
    areas.nth(0).fill(story)
    areas.nth(1).fill(why)
    page.get_by_text("Ja, til intern læring i organisationen").click()
    page.get_by_role("button", name="Videre").click()
    page.get_by_text("Er det rigtigt?").wait_for()
    page.get_by_text(story, exact=True).wait_for()
    page.get_by_role("button", name="Ja, gem historien").click()
    page.get_by_text("Tak! Historien er gemt.").wait_for()


def demo_with_accounts(path: str | os.PathLike, password: str, roles: tuple[str, ...]) -> None:
    """A database at `path` with the full demo and one account per role, named for the role (the
    first role is the first admin)."""
    from changestories.database import connect
    from changestories.demo import load_demo
    from stories.trust.accounts import add_user, create_first_admin

    db = connect(path)
    create_first_admin(db, roles[0], password)
    for role in roles[1:]:
        add_user(db, role, role, password)
    load_demo(db)
    db.conn.close()
