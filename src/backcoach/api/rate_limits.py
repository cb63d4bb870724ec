"""Rate limits of the JSON API: a token bucket per access token and per client address.

Every API request takes one request from its client address's bucket (an IPv6 address's /64,
as login_limits.address_group counts it) and, when it sends a token, one from that token's;
when either is empty the answer is a 429 problem document
(``api.rate_limited``) with ``Retry-After``, the whole seconds until both hold one again, and the
request goes no further (no database work). A bucket holds a minute's allowance and refills
evenly, so a script may send a burst and then keep a steady pace.

The buckets live in this process's memory: each server process (``serve --workers N``, or each
machine) counts on its own, so a client may reach N times the limit; a proxy in front can bound
the whole. Memory is bounded: at most ``MAX_KEYS`` buckets of each kind are kept, the least
recently used forgotten first (a forgotten bucket comes back full, as one long idle would).
Tokens and addresses have their own buckets, so a flood of made-up tokens cannot push out the
addresses' buckets. The wrapper runs on the event loop only, so it needs no lock.
"""

from __future__ import annotations

import functools
import hashlib
import math
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence

from starlette.types import ASGIApp, Receive, Scope, Send

from backcoach.api.problems import service_problem
from backcoach.services.errors import Limited
from backcoach.services.login_limits import address_group

#: Buckets kept of each kind (tokens, addresses): about 100 bytes each.
MAX_KEYS = 10_000
_BEARER = b"bearer "
Monotonic = Callable[[], float]


class TokenBuckets:
    """One bucket per key, each holding up to ``per_minute`` requests and refilled at that pace.

    ``clock`` is a monotonic time in seconds (tests pass their own rather than sleeping).
    """

    def __init__(
        self, *, per_minute: int, max_keys: int = MAX_KEYS, clock: Monotonic = time.monotonic
    ) -> None:
        if per_minute < 1 or max_keys < 1:
            raise ValueError("a bucket holds at least one request, and at least one is kept")
        self.capacity = float(per_minute)
        self.per_second = per_minute / 60
        self.max_keys = max_keys
        self.clock = clock
        #: key -> (requests it holds, when that was counted); least recently used first.
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._buckets)

    def wait(self, key: str) -> float:
        """Seconds until the bucket of ``key`` holds a whole request; 0 when it holds one now."""
        held = self._held(key)
        return 0.0 if held >= 1 else (1 - held) / self.per_second

    def spend(self, key: str) -> None:
        """Take one request from the bucket of ``key`` (after `wait` said 0)."""
        held = self._held(key)
        self._buckets[key] = (held - 1, self.clock())
        self._buckets.move_to_end(key)
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)

    def _held(self, key: str) -> float:
        found = self._buckets.get(key)
        if found is None:
            return self.capacity
        held, counted_at = found
        return min(self.capacity, held + (self.clock() - counted_at) * self.per_second)


def admit(charges: Sequence[tuple[TokenBuckets, str]]) -> int:
    """Take one request from each bucket named, or none when any is empty: 0 when admitted,
    else the whole seconds (at least 1) until every one of them holds a request."""
    wait = max((buckets.wait(key) for buckets, key in charges), default=0.0)
    if wait > 0:
        return max(1, math.ceil(wait))
    for buckets, key in charges:
        buckets.spend(key)
    return 0


def rate_limited(
    app: ASGIApp, *, per_token: int, per_address: int, clock: Monotonic = time.monotonic
) -> ASGIApp:
    """Wrap the API app: each request is charged to its address and its token, or refused."""
    tokens = TokenBuckets(per_minute=per_token, clock=clock)
    addresses = TokenBuckets(per_minute=per_address, clock=clock)

    # wraps keeps the app's attributes (its state) reachable, as the other wrappers do.
    @functools.wraps(app)
    async def limited(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        client = scope.get("client")
        charges = [(addresses, address_group(client[0]) if client else "")]
        token = _token_key(scope)
        if token is not None:
            charges.append((tokens, token))
        wait = admit(charges)
        if wait:
            refusal = service_problem(Limited("api.rate_limited", wait_seconds=wait))
            await refusal(scope, receive, send)
            return
        await app(scope, receive, send)

    return limited


def _token_key(scope: Scope) -> str | None:
    """The bucket's key of the request's bearer token: its digest (no token is kept here)."""
    for name, value in scope.get("headers", ()):
        if name == b"authorization" and value[: len(_BEARER)].lower() == _BEARER:
            return hashlib.sha256(value[len(_BEARER) :].strip()).hexdigest()
    return None
