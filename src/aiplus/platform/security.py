"""Who is asking, and may they: token and session authentication, CSRF, public-route limits,
failed sign-in throttling.

Rules, applied to every route by :func:`request_guard`:
- an ``Authorization: <token>`` or ``Authorization: Bearer <token>`` header authenticates
  API clients; such requests carry no cookies' authority, so they need no CSRF token;
- a signed session cookie authenticates the web portal; every unsafe request it makes must
  carry the session's CSRF token (form field ``csrf_token`` or header ``X-CSRF-Token``);
- an anonymous form post must carry the CSRF token too, so another site cannot post for a
  visitor; anonymous writes reach only routes declared with :func:`public_write`.
"""

from __future__ import annotations

import hmac
import math
import secrets
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from fastapi import Depends, Request

from aiplus.core.errors import BadRequest, CsrfFailed, Forbidden, RateLimited, Unauthenticated
from aiplus.core.i18n import N_
from aiplus.core.identity import (
    ANONYMOUS,
    TOKEN_PREFIX,
    Principal,
    Role,
    User,
    authenticate_token,
)
from aiplus.core.ratelimit import SlidingWindowLimiter
from aiplus.core.settings import Settings
from aiplus.platform.services import Platform

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain")
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"


def platform_of(request: Request) -> Platform:
    return request.app.state.platform  # type: ignore[no-any-return]


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token  # type: ignore[no-any-return]


def _media_type(request: Request) -> str:
    """The body's media type as the form parser reads it: no parameters, any letter case."""
    return request.headers.get("content-type", "").partition(";")[0].strip().lower()


async def _check_csrf(request: Request) -> None:
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and _media_type(request) in FORM_TYPES[:2]:
        sent = (await request.form()).get(CSRF_FIELD)
    if not expected or not isinstance(sent, str):
        raise CsrfFailed()
    # As bytes: compare_digest refuses str with non-ASCII characters, and a client picks `sent`.
    if not hmac.compare_digest(expected.encode(), sent.encode("utf-8", "surrogatepass")):
        raise CsrfFailed()


TokenResolver = Callable[[Platform, str], Principal]
_TOKEN_RESOLVERS: dict[str, TokenResolver] = {}


def register_token_resolver(prefix: str, resolve: TokenResolver) -> None:
    """Let a module authenticate its own kind of bearer secret, told apart by its prefix
    (e.g. the GenAI gateway's organisation keys, ``aig_...``). The resolver returns the
    principal or raises :class:`Unauthenticated`; secrets with no registered prefix are
    platform API tokens."""
    if not prefix or prefix.startswith(TOKEN_PREFIX) or TOKEN_PREFIX.startswith(prefix):
        raise ValueError(f"token prefix {prefix!r} would shadow platform tokens")
    _TOKEN_RESOLVERS[prefix] = resolve


def bearer_secret(header: str) -> str:
    scheme, _, value = header.strip().partition(" ")
    return value.strip() if scheme.lower() == "bearer" else header.strip()


def _from_token(platform: Platform, header: str) -> Principal:
    secret = bearer_secret(header)
    for prefix, resolve in _TOKEN_RESOLVERS.items():
        if secret.startswith(prefix):
            return resolve(platform, secret)
    with platform.db.read() as session:
        return Principal.of(authenticate_token(session, secret), via="token")


def _from_session(platform: Platform, request: Request) -> Principal:
    user_id = request.session.get("uid")
    if not isinstance(user_id, int):
        return ANONYMOUS
    with platform.db.read() as session:
        user = session.get(User, user_id)
        if user is None or not user.active:
            request.session.clear()
            return ANONYMOUS
        return Principal.of(user, via="session")


async def request_guard(request: Request) -> Principal:
    """Resolve the principal once per request and enforce the CSRF rules above."""
    cached = getattr(request.state, "principal", None)
    if cached is not None:
        return cached  # type: ignore[no-any-return]
    if "\x00" in request.scope["path"] or b"%00" in request.scope.get("query_string", b""):
        raise BadRequest()  # text with NUL is never valid here, and PostgreSQL cannot store it
    platform = platform_of(request)
    header = request.headers.get("authorization")
    if header:
        principal = _from_token(platform, header)
    else:
        principal = _from_session(platform, request) if "session" in request.scope else ANONYMOUS
        unsafe = request.method not in SAFE_METHODS
        is_form = _media_type(request) in FORM_TYPES
        if unsafe and (principal.authenticated or is_form):
            await _check_csrf(request)
    request.state.principal = principal
    return principal


async def require_user(principal: Principal = Depends(request_guard)) -> Principal:
    """Any signed-in user; the dependency every non-public write route declares."""
    if not principal.authenticated:
        raise Unauthenticated()
    return principal


async def require_platform_admin(principal: Principal = Depends(require_user)) -> Principal:
    if not principal.platform_admin:
        raise Forbidden()
    return principal


def require_role(principal: Principal, org: str, *roles: Role) -> None:
    if not principal.has_role(org, *roles):
        raise Forbidden()


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def public_write(request: Request) -> None:
    """Marks a write route that anonymous people may call on purpose; limits its rate."""
    platform = platform_of(request)
    key = f"{client_address(request)} {request.url.path}"
    wait = platform.public_limiter.hit(key)
    if wait > 0:
        raise RateLimited(retry_after=max(1, round(wait)))


class LoginThrottle:
    """Failed sign-ins counted per account and per client address, each in a sliding window
    (``AIPLUS_LOGIN_FAILURES_PER_ACCOUNT``, ``..._PER_ADDRESS``, ``..._WINDOW_SECONDS``).

    Over a limit, sign-in is refused before the password is checked, so guessing on gains
    nothing; the refusal ends as the oldest failure leaves the window, and refusals add no
    failures, so nobody can lock an account for good. Each attempt is counted before its
    password is checked and taken back if it succeeds: guesses sent in parallel cannot all
    slip past the count. A success clears its own account's count only, never another
    account's nor its address's (else one account the attacker owns would reset the rest).
    Counts live in each server process, like the public-write limit.
    """

    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        window = settings.login_failure_window_seconds
        self.accounts = SlidingWindowLimiter(settings.login_failures_per_account, window, clock)
        self.addresses = SlidingWindowLimiter(settings.login_failures_per_address, window, clock)

    @contextmanager
    def attempt(self, username: str, address: str) -> Iterator[None]:
        """Guard one password check; raises :class:`RateLimited` if either limit is reached.
        A :class:`Unauthenticated` raised inside counts as a failure; anything else does not."""
        account = username.casefold()  # "Ann" and "ann" must not be two budgets
        wait = self.accounts.hit(account)
        if wait == 0:
            wait = self.addresses.hit(address)
            if wait > 0:
                self.accounts.forgive(account)
        if wait > 0:
            raise RateLimited(N_("Too many failed sign-ins. Please try again in {minutes} "
                                 "minutes."), minutes=math.ceil(wait / 60),
                              retry_after=math.ceil(wait))
        try:
            yield
        except Unauthenticated:
            raise
        except BaseException:
            self.accounts.forgive(account)
            self.addresses.forgive(address)
            raise
        self.accounts.reset(account)
        self.addresses.forgive(address)


def login_throttle(platform: Platform) -> LoginThrottle:
    """The platform's one throttle, made on first use."""
    throttle = platform.shared("login-throttle", lambda: LoginThrottle(platform.settings))
    return throttle  # type: ignore[no-any-return]


class ActionDispatch:
    """Marks a route that dispatches to named actions (CKAN's Action API) instead of doing
    one thing. Each action declares whether it writes; the dispatcher refuses a writing
    action to anonymous callers, and the route-security tests walk ``writes`` to prove it."""

    def __init__(self, writes: Callable[[], set[str]]) -> None:
        self.writes = writes

    async def __call__(self) -> None:
        return None
