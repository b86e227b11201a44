"""The settings read from environment variables, parsed and checked in one place.

`changestories serve` and the app check them all at start (`check_environment`): a value
that cannot be used (a session length of `nan`, `-5` or `soon`, an unknown sign-in switch,
a database path that is a folder) is refused with one clear line, instead of silently
giving a session that never ends or a database nobody expected.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from pathlib import Path

from stories.errors import UserError

SESSION_ENV = "CHANGESTORIES_SESSION_MINUTES"
DEFAULT_SESSION_MINUTES = 30.0
MIN_SESSION_MINUTES, MAX_SESSION_MINUTES = 1.0, 24 * 60.0
AUTH_ENV = "CHANGESTORIES_AUTH"  # "off": no sign-in, everyone is the local admin (tests, one-person installs)
AUTH_ON, AUTH_OFF = ("on", "1", "true", "yes"), ("off", "0", "false", "no")
DB_ENV = "CHANGESTORIES_DB"


class SettingInvalid(UserError, ValueError):
    """An environment setting has a value changestories cannot use; `key` and `params` say which and why."""

    def __init__(self, key: str, **params):
        from stories.i18n import t

        self.key, self.params = key, params
        super().__init__(t(key, "en", **params))


def _value(env: Mapping[str, str], name: str) -> str | None:
    value = env.get(name)
    return None if value is None or not value.strip() else value.strip()


def session_minutes(env: Mapping[str, str] | None = None) -> float:
    """Idle minutes after which a signed-in session ends: a finite number from 1 to 1440 (default 30)."""
    env = os.environ if env is None else env
    raw = _value(env, SESSION_ENV)
    if raw is None:
        return DEFAULT_SESSION_MINUTES
    try:
        minutes = float(raw)
    except ValueError:
        minutes = math.nan
    if not math.isfinite(minutes) or not MIN_SESSION_MINUTES <= minutes <= MAX_SESSION_MINUTES:
        raise SettingInvalid("safety.setting.session_minutes", name=SESSION_ENV, value=raw[:40],
                             min=int(MIN_SESSION_MINUTES), max=int(MAX_SESSION_MINUTES))
    return minutes


def auth_required(env: Mapping[str, str] | None = None) -> bool:
    """Whether the app asks for a sign-in ($CHANGESTORIES_AUTH: on by default; off for one-person installs)."""
    env = os.environ if env is None else env
    raw = _value(env, AUTH_ENV)
    if raw is None or raw.lower() in AUTH_ON:
        return True
    if raw.lower() in AUTH_OFF:
        return False
    raise SettingInvalid("safety.setting.auth", name=AUTH_ENV, value=raw[:40])


def database_path(env: Mapping[str, str] | None = None) -> Path | None:
    """$CHANGESTORIES_DB when set: a file path (it need not exist yet), never a folder."""
    env = os.environ if env is None else env
    raw = _value(env, DB_ENV)
    if raw is None:
        return None
    path = Path(raw)
    if path.is_dir():
        raise SettingInvalid("safety.setting.db_folder", name=DB_ENV, value=raw[:200])
    return path


CHECKS = (session_minutes, auth_required, database_path)


def check_environment(env: Mapping[str, str] | None = None) -> None:
    """Raise SettingInvalid for the first environment setting that cannot be used."""
    for check in CHECKS:
        check(env)
