"""Local accounts: users with argon2-hashed passwords, roles and sites; signing in.

A new install has no account: the first start asks for an admin (`create_first_admin`).
After that, admins add users (`add_user`, also `changestories users add`). Signing in
(`authenticate`) slows down after repeated failures for a name, and every sign-in and
failed sign-in goes into the audit log.
"""

from __future__ import annotations

import functools
import json
import re
import sqlite3
import time
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlite_utils import Database

from stories.trust import audit
from stories.errors import UserError
from stories.i18n import t
from stories.trust.permissions import SYSTEM, Actor, can_change_password, can_manage_users, require
from stories.trust.sessions import revoke_user_sessions
from stories.sites import validate_site
from stories.validation import CONTROL_RE, MAX_SHORT

ACCOUNT_ROLES = ("admin", "facilitator", "staff", "evaluator")
NAME_RE = re.compile(r"^[\w.@+-]{2,64}$")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
# Sign-in slow-down, counted three ways; each further try waits BASE_DELAY seconds after
# the free failures, doubling per failure, up to the cap:
# - one name from one address: FREE_FAILURES since its last success, at most MAX_DELAY
#   (someone guessing one account's password from one machine);
# - one address, any name: ADDRESS_FREE_FAILURES within RECENT_WINDOW, at most MAX_DELAY
#   (one machine trying many accounts);
# - one name from any address: NAME_FREE_FAILURES within RECENT_WINDOW since its last
#   success, at most NAME_MAX_DELAY (guesses from many machines slow the name down, but
#   never lock its real user, at their own address, out for long).
FREE_FAILURES = 3
ADDRESS_FREE_FAILURES = 10
NAME_FREE_FAILURES = 10
BASE_DELAY = 5.0
MAX_DELAY = 300.0
NAME_MAX_DELAY = 30.0
ATTEMPT_WINDOW = 24 * 3600.0
RECENT_WINDOW = 15 * 60.0
MAX_ADDRESS = 64
SESSION_ENV = "CHANGESTORIES_SESSION_MINUTES"  # read and checked by stories.environment


class AccountError(UserError):
    """An account or site could not be created, changed or signed in; `key` says why."""

    def __init__(self, key: str, **params):
        self.key = key
        self.params = params
        super().__init__(t(key, "en", **params))


class LoginFailed(AccountError):
    """Wrong name or password (the message never says which)."""

    def __init__(self):
        super().__init__("trust.error.login_failed")


class LoginThrottled(AccountError):
    """Too many failed sign-ins for this name: wait `wait_seconds` before the next try."""

    def __init__(self, wait_seconds: float):
        self.wait_seconds = int(wait_seconds + 0.999)
        super().__init__("trust.error.login_throttled", seconds=self.wait_seconds)


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    sites: tuple[str, ...]
    disabled: bool
    created_at: str

    def actor(self) -> Actor:
        return Actor(self.name, self.role, frozenset(self.sites))


@functools.lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()  # argon2id with the library's recommended parameters


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError, UnicodeEncodeError):
        return False


@functools.lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Checked against for unknown names, so they take as long as known ones."""
    return hash_password("not a password of anyone")


def session_timeout_seconds() -> float:
    """Idle time after which a signed-in session ends ($CHANGESTORIES_SESSION_MINUTES, default 30);
    an unusable value raises `stories.environment.SettingInvalid`."""
    from stories.environment import session_minutes

    return session_minutes() * 60


# --- validation ---------------------------------------------------------------------

def validate_name(name: str) -> str:
    name = (name or "").strip()
    if not NAME_RE.match(name):
        raise AccountError("trust.error.user_name")
    return name


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def validate_password(password: str, name: str = "") -> None:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError("trust.error.password_short", min=MIN_PASSWORD)
    if len(password) > MAX_PASSWORD or CONTROL_RE.search(password) or not _encodable(password):
        raise AccountError("trust.error.password_invalid")
    if name and password.strip().casefold() == name.strip().casefold():
        raise AccountError("trust.error.password_is_name")


def validate_role(role: str) -> str:
    if role not in ACCOUNT_ROLES:
        raise AccountError("trust.error.role", roles=", ".join(ACCOUNT_ROLES))
    return role


# --- reading ------------------------------------------------------------------------

_COLUMNS = "id, name, role, sites, disabled, created_at"


def _user(row) -> User:
    return User(row[0], row[1], row[2], tuple(json.loads(row[3] or "[]")), bool(row[4]), row[5])


def find_user(db: Database, name: str) -> User | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM users WHERE name = ? COLLATE NOCASE", [(name or "").strip()]).fetchone()
    return _user(row) if row else None


def get_user(db: Database, user_id: int) -> User | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM users WHERE id = ?", [user_id]).fetchone()
    return _user(row) if row else None


def list_users(db: Database, *, actor: Actor = SYSTEM) -> list[User]:
    require(can_manage_users(actor), "manage_users")
    return [_user(r) for r in db.execute(f"SELECT {_COLUMNS} FROM users ORDER BY name COLLATE NOCASE").fetchall()]


def has_admin(db: Database) -> bool:
    """True once an active admin account exists (until then the app asks for one)."""
    return db.execute("SELECT 1 FROM users WHERE role = 'admin' AND disabled = 0 LIMIT 1").fetchone() is not None


# --- writing ------------------------------------------------------------------------

def _insert_user(db: Database, name: str, role: str, password: str, sites: tuple[str, ...]) -> User:
    from stories.clock import now_iso

    stamp = now_iso()
    try:
        cursor = db.conn.execute(
            "INSERT INTO users(name, role, password_hash, sites, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            [name, role, hash_password(password), json.dumps(list(sites), ensure_ascii=False), stamp, stamp],
        )
    except sqlite3.IntegrityError as exc:
        raise AccountError("trust.error.user_exists", name=name) from exc
    return get_user(db, cursor.lastrowid)


def _checked(name: str, role: str, password: str, sites) -> tuple[str, str, tuple[str, ...]]:
    name = validate_name(name)
    validate_role(role)
    validate_password(password, name)
    return name, role, tuple(sorted({validate_site(s) for s in sites or ()}))


def create_first_admin(db: Database, name: str, password: str) -> User:
    """The first admin of a new install; refused once an admin exists."""
    from stories.db import write_transaction

    name, role, _ = _checked(name, "admin", password, ())
    with write_transaction(db):
        if has_admin(db):
            raise AccountError("trust.error.admin_exists")
        user = _insert_user(db, name, role, password, ())
        audit.log(db, user.actor(), "first_admin", user.name)
    return user


def add_user(db: Database, name: str, role: str, password: str, *, sites=(), actor: Actor = SYSTEM) -> User:
    from stories.db import write_transaction

    require(can_manage_users(actor), "manage_users")
    name, role, sites = _checked(name, role, password, sites)
    with write_transaction(db):
        user = _insert_user(db, name, role, password, sites)
        audit.log(db, actor, "user_add", user.name, role=role)
    return user


def _existing(db: Database, name: str) -> User:
    user = find_user(db, name)
    if user is None:
        raise AccountError("trust.error.no_such_user", name=(name or "")[:64])
    return user


def _other_active_admins(db: Database, user: User) -> int:
    return db.execute(
        "SELECT count(*) FROM users WHERE role = 'admin' AND disabled = 0 AND id != ?", [user.id]
    ).fetchone()[0]


def set_role(db: Database, name: str, role: str, *, actor: Actor = SYSTEM) -> User:
    """Change a user's role; the last active admin keeps theirs."""
    from stories.db import write_transaction
    from stories.clock import now_iso

    require(can_manage_users(actor), "manage_users")
    validate_role(role)
    with write_transaction(db):
        user = _existing(db, name)
        if user.role == role:
            return user
        if user.role == "admin" and not user.disabled and not _other_active_admins(db, user):
            raise AccountError("trust.error.last_admin")
        db.conn.execute("UPDATE users SET role = ?, updated_at = ? WHERE id = ?", [role, now_iso(), user.id])
        revoke_user_sessions(db, user.id)  # a new role: sign in again
        audit.log(db, actor, "role_change", user.name, old=user.role, new=role)
    return get_user(db, user.id)


def set_sites(db: Database, name: str, sites, *, actor: Actor = SYSTEM) -> User:
    """The sites a staff member or facilitator works at (none: every site)."""
    from stories.db import write_transaction
    from stories.clock import now_iso

    require(can_manage_users(actor), "manage_users")
    sites = sorted({validate_site(s) for s in sites or ()})
    with write_transaction(db):
        user = _existing(db, name)
        db.conn.execute("UPDATE users SET sites = ?, updated_at = ? WHERE id = ?",
                        [json.dumps(sites, ensure_ascii=False), now_iso(), user.id])
        audit.log(db, actor, "user_sites", user.name, sites=len(sites))
    return get_user(db, user.id)


def set_disabled(db: Database, name: str, disabled: bool, *, actor: Actor = SYSTEM) -> User:
    """Disable (or enable again) an account; a disabled user cannot sign in."""
    from stories.db import write_transaction
    from stories.clock import now_iso

    require(can_manage_users(actor), "manage_users")
    with write_transaction(db):
        user = _existing(db, name)
        if disabled and user.role == "admin" and not user.disabled and not _other_active_admins(db, user):
            raise AccountError("trust.error.last_admin")
        db.conn.execute("UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?",
                        [int(disabled), now_iso(), user.id])
        if disabled:
            revoke_user_sessions(db, user.id)
        audit.log(db, actor, "user_disable" if disabled else "user_enable", user.name)
    return get_user(db, user.id)


def set_password(db: Database, name: str, new_password: str, *, actor: Actor = SYSTEM,
                 old_password: str | None = None) -> None:
    """Admins set anyone's password; changing one's own needs the old one."""
    from stories.db import write_transaction
    from stories.clock import now_iso

    require(can_change_password(actor, name), "change_password")
    user = _existing(db, name)
    validate_password(new_password, user.name)
    if actor.role != "system" and actor.name.casefold() == user.name.casefold():
        stored = db.execute("SELECT password_hash FROM users WHERE id = ?", [user.id]).fetchone()[0]
        if old_password is None or not verify_password(stored, old_password):
            raise AccountError("trust.error.old_password")
    with write_transaction(db):
        db.conn.execute("UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?",
                        [hash_password(new_password), now_iso(), user.id])
        revoke_user_sessions(db, user.id)  # every browser signed in with the old password
        audit.log(db, actor, "password_change", user.name)


# --- signing in ---------------------------------------------------------------------

def _attempt_key(name: str) -> str:
    """The typed name as counted and logged: folded, cut short, never unencodable."""
    return (name or "").strip().casefold()[:MAX_SHORT].encode("utf-8", "replace").decode("utf-8")


def _address_key(address: str | None) -> str:
    return (address or "").strip()[:MAX_ADDRESS].encode("ascii", "replace").decode("ascii")


def _wait(failures: list[float], free: int, cap: float, now: float) -> float:
    if len(failures) < free:
        return 0.0
    delay = min(BASE_DELAY * 2 ** (len(failures) - free), cap)
    return max(0.0, max(failures) + delay - now)


def _failures(db: Database, where: str, params: list, since: float, reset_where: str | None = None) -> list[float]:
    """Times of failed attempts matching `where` after `since` (and after the last success matching `reset_where`)."""
    sql = f"SELECT at FROM login_attempts WHERE ok = 0 AND at > ? AND {where}"
    args = [since, *params]
    if reset_where:
        sql += f" AND at > (SELECT coalesce(max(at), 0) FROM login_attempts WHERE ok = 1 AND {reset_where})"
        args += params
    return [r[0] for r in db.execute(sql, args).fetchall()]


def throttle_wait(db: Database, name: str, now: float | None = None, *, address: str | None = None) -> float:
    """Seconds to wait before the next sign-in for `name` from `address` is even checked (0: go ahead)."""
    now = time.time() if now is None else now
    key, client = _attempt_key(name), _address_key(address)
    pair = "name = ? AND address = ?"
    waits = [_wait(_failures(db, pair, [key, client], now - ATTEMPT_WINDOW, pair), FREE_FAILURES, MAX_DELAY, now)]
    if client:  # attempts whose address is unknown (the command line, tests) count per name only
        waits.append(_wait(_failures(db, "address = ?", [client], now - RECENT_WINDOW), ADDRESS_FREE_FAILURES,
                           MAX_DELAY, now))
        waits.append(_wait(_failures(db, "name = ?", [key], now - RECENT_WINDOW, "name = ?"), NAME_FREE_FAILURES,
                           NAME_MAX_DELAY, now))
    return max(waits)


def authenticate(db: Database, name: str, password: str, *, address: str | None = None,
                 now: float | None = None) -> User:
    """The user with this name and password, or LoginFailed / LoginThrottled; audited either way.

    `address` is the client's network address (the app passes the browser's); failures
    count per name and address, per address and per name (see `throttle_wait`).
    """
    from stories.db import write_transaction

    now = time.time() if now is None else now
    key, client = _attempt_key(name), _address_key(address)
    wait = throttle_wait(db, key, now, address=client)
    if wait > 0:
        raise LoginThrottled(wait)
    user = find_user(db, name) if NAME_RE.match((name or "").strip()) else None
    stored = None
    if user is not None:
        stored = db.execute("SELECT password_hash FROM users WHERE id = ?", [user.id]).fetchone()[0]
    matches = verify_password(stored or _dummy_hash(), password or "")
    ok = bool(user and stored and matches and not user.disabled)
    with write_transaction(db):
        db.conn.execute("DELETE FROM login_attempts WHERE at < ?", [now - ATTEMPT_WINDOW])
        db.conn.execute("INSERT INTO login_attempts(name, address, at, ok) VALUES (?, ?, ?, ?)",
                        [key, client, now, int(ok)])
        if not ok:
            audit.log(db, Actor(key[:64] or "?", "public"), "sign_in_failed", via="password",
                      **({"address": client} if client else {}))
        else:
            if _hasher().check_needs_rehash(stored):
                db.conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", [hash_password(password), user.id])
            audit.log(db, user.actor(), "sign_in", via="password")
    if not ok:
        raise LoginFailed()
    return user


def authenticate_sso(db: Database, email: str) -> User:
    """The local account named by the e-mail a single sign-on provider vouched for."""
    user = find_user(db, email) if email else None
    if user is None or user.disabled:
        audit.log(db, Actor(_attempt_key(email)[:64] or "?", "public"), "sign_in_failed", via="oidc")
        raise LoginFailed()
    audit.log(db, user.actor(), "sign_in", via="oidc")
    return user
