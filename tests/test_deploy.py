"""The deployment in deploy/: the app behind a real Caddy (Debian's package) over HTTPS on loopback,
driven in Chromium through the proxy; the systemd units and the settings file are checked."""

import contextlib
import os
import shlex
import ssl
import subprocess
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from changestories.database import connect
from stories.trust.accounts import add_user, create_first_admin
from stories.trust.sessions import COOKIE_NAME
from tests.e2e import (
    CADDY, ROOT, chromium, free_port, live_app, require_caddy, require_chromium, serving, session_cookie, sign_in,
    sized_page, submit_staff_story,
)

DEPLOY = ROOT / "deploy"
PASSWORD = "en lang og god adgangskode"
STORY = "Vi malede cykelskuret sammen, og han blev til det sidste."
WHY = "Første gang han bad om at være med."


def settings_file() -> dict[str, str]:
    """deploy/changestories.env as systemd reads it: KEY=VALUE lines, # comments."""
    values = {}
    for line in (DEPLOY / "changestories.env").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


def _get(url: str) -> urllib.request.addinfourl:
    insecure = ssl.create_default_context()
    insecure.check_hostname, insecure.verify_mode = False, ssl.CERT_NONE  # Caddy's own test certificate
    return urllib.request.urlopen(url, timeout=3, context=insecure)


@contextlib.contextmanager
def caddy_in_front(app_url: str, folder: Path, timeout: float = 60):
    """deploy/Caddyfile, unchanged, on free loopback ports with Caddy's internal certificate."""
    https_port, http_port = free_port(), free_port()
    site = f"https://127.0.0.1:{https_port}"
    env = {**settings_file(),
           "CHANGESTORIES_SITE": site, "CHANGESTORIES_TLS": "tls internal",
           "CHANGESTORIES_CADDY_OPTIONS": f"admin off\nskip_install_trust\nhttp_port {http_port}\nhttps_port {https_port}",
           "CHANGESTORIES_PORT": str(urlsplit(app_url).port),
           "XDG_DATA_HOME": str(folder / "data"), "XDG_CONFIG_HOME": str(folder / "config"), "HOME": str(folder)}
    command = [CADDY, "run", "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile"]
    with serving(command, f"{site}/_stcore/health", what="caddy", env=env, log=folder / "caddy.log",
                 timeout=timeout, opener=_get):
        yield site


@pytest.mark.browser
@pytest.mark.auth
def test_sign_in_reload_and_submit_through_caddy_over_https(db_path, tmp_path):
    require_chromium()
    require_caddy()
    db = connect(db_path)
    create_first_admin(db, "chef", PASSWORD)
    add_user(db, "anna", "staff", PASSWORD)
    db.conn.close()
    with live_app(db_path) as app_url, caddy_in_front(app_url, tmp_path) as site, chromium() as browser:
        with _get(f"{site}/") as response:
            assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
        page = sized_page(browser, "phone", ignore_https_errors=True)
        page.goto(f"{site}/")
        sign_in(page, "anna", PASSWORD)
        page.get_by_text("Hvad var den mest betydningsfulde forandring?").wait_for()
        cookie = session_cookie(page, COOKIE_NAME)
        assert cookie["secure"] and cookie["httpOnly"] and cookie["sameSite"] == "Lax"  # HTTPS seen through Caddy

        page.reload()
        page.get_by_text("Hvad var den mest betydningsfulde forandring?").wait_for()
        page.get_by_text("Logget ind som anna").first.wait_for(state="attached")  # still signed in

        submit_staff_story(page, STORY, WHY)
    stored = [r[0] for r in connect(db_path).execute("SELECT recorded_by FROM stories WHERE text = ?", [STORY])]
    assert stored == ["anna"]


def unit(name: str) -> dict[str, str]:
    """The Key=Value lines of a systemd unit file (last one wins, as for the keys used here)."""
    values = {}
    for line in (DEPLOY / name).read_text(encoding="utf-8").splitlines():
        if "=" in line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            values[key] = value
    return values


def test_the_units_run_commands_that_exist_with_the_shipped_settings():
    from cli.main import build_parser
    from stories.environment import check_environment

    settings = settings_file()
    assert {"CHANGESTORIES_SITE", "CHANGESTORIES_PORT", "CHANGESTORIES_DB", "CHANGESTORIES_SESSION_MINUTES"} <= set(settings)
    check_environment({k: v for k, v in settings.items() if k != "CHANGESTORIES_DB"})  # every value is usable
    for name, command in [("changestories.service", "serve"), ("changestories-backup.service", "backup")]:
        values = unit(name)
        assert values["EnvironmentFile"] == "/etc/changestories/changestories.env"
        assert values["User"] == "changestories" and values["StateDirectory"] == "changestories"
        words = shlex.split(values["ExecStart"].replace("${CHANGESTORIES_PORT}", settings["CHANGESTORIES_PORT"]))
        assert words[0] == "/opt/changestories/.venv/bin/changestories" and words[1] == command
        args = build_parser().parse_args(words[1:])
        assert args.func.__name__ == f"cmd_{command}"
    assert Path(settings["CHANGESTORIES_DB"]).parent == Path("/var/lib") / unit("changestories.service")["StateDirectory"]
    timer = unit("changestories-backup.timer")
    assert timer["Persistent"] == "true"
    if os.access("/usr/bin/systemd-analyze", os.X_OK):
        checked = subprocess.run(["/usr/bin/systemd-analyze", "calendar", timer["OnCalendar"]],
                                 capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        assert "02:30:00" in checked.stdout


def test_the_caddyfile_is_valid_for_a_public_domain(tmp_path):
    require_caddy()
    env = {**os.environ, **settings_file(), "XDG_DATA_HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path),
           "HOME": str(tmp_path)}
    checked = subprocess.run([CADDY, "adapt", "--config", str(DEPLOY / "Caddyfile"), "--adapter", "caddyfile"],
                             env=env, capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert '"fortaellinger.example.org"' in checked.stdout and '"127.0.0.1:8501"' in checked.stdout
