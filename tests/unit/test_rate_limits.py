"""The API's rate limits: a bucket per token and per address, refilled with time, bounded in
memory, and a refusal that is a problem document saying how long to wait."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from backcoach.api.rate_limits import TokenBuckets, admit, rate_limited


class Ticking:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.at = 1000.0

    def __call__(self) -> float:
        return self.at


def _spend(buckets: TokenBuckets, key: str) -> int:
    return admit([(buckets, key)])


def test_a_bucket_lets_a_minutes_allowance_through_then_refills_evenly() -> None:
    clock = Ticking()
    buckets = TokenBuckets(per_minute=6, clock=clock)
    assert [_spend(buckets, "a") for _ in range(7)] == [0, 0, 0, 0, 0, 0, 10]
    clock.at += 9.9
    assert _spend(buckets, "a") == 1  # 0.1 s short of one request: wait a whole second
    clock.at += 0.1
    assert _spend(buckets, "a") == 0
    assert _spend(buckets, "b") == 0  # another key has its own bucket
    clock.at += 3600
    assert [_spend(buckets, "a") for _ in range(7)][-2:] == [0, 10]  # full again, not more


def test_a_refusal_spends_nothing_from_any_bucket() -> None:
    clock = Ticking()
    tokens = TokenBuckets(per_minute=1, clock=clock)
    addresses = TokenBuckets(per_minute=2, clock=clock)
    assert admit([(addresses, "10.0.0.1"), (tokens, "t")]) == 0
    assert admit([(addresses, "10.0.0.1"), (tokens, "t")]) == 60  # the token's bucket is empty
    assert admit([(addresses, "10.0.0.1"), (tokens, "u")]) == 0  # the address still had one


def test_memory_is_bounded_by_forgetting_the_least_recently_used() -> None:
    buckets = TokenBuckets(per_minute=1, max_keys=2, clock=Ticking())
    for key in ("a", "b", "c"):
        assert _spend(buckets, key) == 0
    assert len(buckets) == 2
    assert [buckets.wait(key) for key in ("a", "b", "c")] == [0, 60, 60]  # a was forgotten
    assert _spend(buckets, "a") == 0  # back, full; b is now the least recently used
    assert [buckets.wait(key) for key in ("a", "b", "c")] == [60, 0, 60]


def _limited_app(clock: Ticking, *, per_token: int, per_address: int) -> TestClient:
    async def hello(_: Request) -> PlainTextResponse:
        return PlainTextResponse("hello")

    inner = Starlette(routes=[Route("/hello", hello)])
    wrapped = rate_limited(inner, per_token=per_token, per_address=per_address, clock=clock)
    return TestClient(wrapped)


def test_the_api_refuses_past_the_limit_with_a_problem_and_retry_after() -> None:
    clock = Ticking()
    client = _limited_app(clock, per_token=2, per_address=5)
    first = {"authorization": "Bearer bc_first"}
    assert [client.get("/hello", headers=first).status_code for _ in range(2)] == [200, 200]
    refused = client.get("/hello", headers=first)
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.headers["retry-after"] == "30"
    body = refused.json()
    assert body["code"] == "api.rate_limited" and body["status"] == 429
    assert body["detail"] == "Too many requests. Please wait 30 seconds and try again."
    # Another token from the same address goes on, until the address's own limit.
    second = {"authorization": "bearer bc_second"}
    assert [client.get("/hello", headers=second).status_code for _ in range(2)] == [200, 200]
    assert client.get("/hello").status_code == 200  # no token: the address alone (its 5th)
    assert client.get("/hello").status_code == 429
    clock.at += 30
    assert client.get("/hello", headers=first).status_code == 200
