"""Whether bad input ever makes a live server answer 5xx, grow without bound, or stop answering.

Run: .venv/bin/python bench/probe_bad_input.py [--requests 10000] [--postgres] [--seed 1].
Prints figures; it is not a test.

One `backcoach serve` process on an SQLite file (or with --postgres a throwaway PostgreSQL 15).
Two people sign up through real HTTP: one onboarded with a session started, one referred (a red
flag) so that the clearance note is reached. Requests go over raw sockets, so that bytes an HTTP
library would refuse reach the server. First the named cases (non-UTF-8 cookies, non-ASCII tokens,
non-UTF-8 bodies, multipart with and without a boundary, `x` with `x[]`, `felt[]`, NUL bytes in an
email and a note, 50 MB bodies with and without Content-Length, a Content-Length that is not a
number), then a seeded random sweep up to --requests: random bytes in headers, cookies, bodies,
field names and values, for logged-in and anonymous clients, with valid tokens most of the time so
that the routes themselves are reached. Prints the answers by status class, the first 5xx cases,
the server's peak RSS (VmHWM from /proc) and whether it still answers a logged-in page.
"""

from __future__ import annotations

import argparse
import random
import socket
import tempfile
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote_from_bytes

from backcoach.engine.screening import RED_FLAG_IDS
from probe_durability import PASSWORD, Phone, Tally, csrf
from probe_servers import Server, database

FORM = b"application/x-www-form-urlencoded"
FIFTY_MB = 50 * 1024 * 1024
CHUNK = 1024 * 1024
TIMEOUT_S = 60.0
#: Fields the forms read, so random values reach the routes' validation.
FIELD_NAMES = (
    "email",
    "password",
    "reps",
    "seconds",
    "steps",
    "load_kg",
    "rir",
    "felt",
    "felt[]",
    "exercise_id",
    "number",
    "age",
    "pregnancy",
    "note",
    "confirm",
    "nprs",
    "pain_before",
    "pain_during",
    "pain_after",
    "pain_next_morning",
    "leg_symptoms",
    "level",
    "days_per_week",
    "equipment[]",
    "equipment",
    "current",
    "new",
    "psfs_name_1",
    "psfs_score_1",
    "startback_score",
)
CONTENT_TYPES = (
    b"application/x-www-form-urlencoded; charset=latin-1",
    b"multipart/form-data",
    b"multipart/form-data; boundary=x",
    b"multipart/form-data; boundary=",
    b"application/json",
    b"text/plain",
    b"\xff\xfe",
    b"",
)
#: Pages a logged-in person reads; sent with bad headers too.
GET_PATHS = (
    "/today",
    "/session/{sid}",
    "/account",
    "/progress",
    "/exercises/\xff",
    "/pictures/nope.svg",
    "/calendar/abc.ics",
    "/static/app.css",
)


@dataclass
class Case:
    """One request as bytes: what the sweep sends and, on a 5xx, what it prints."""

    name: str
    method: str
    path: str
    headers: list[tuple[bytes, bytes]]
    body: bytes = b""
    #: "auto" a correct Content-Length, None none at all (chunked when there is a body).
    length: bytes | str | None = "auto"

    def describe(self) -> str:
        shown = [(k.decode(), v[:80]) for k, v in self.headers]
        return f"{self.name}: {self.method} {self.path} headers={shown} body={self.body[:200]!r}"


def send(port: int, case: Case) -> int:
    """Send case over a fresh connection; its status, or 0 when the server gave no answer."""
    lines = [f"{case.method} {quote_from_bytes(case.path.encode(), safe='/?=&%')} HTTP/1.1"]
    head = [line.encode() for line in lines]
    head += [b"host: 127.0.0.1", b"connection: close"]
    head += [name + b": " + value for name, value in case.headers]
    chunked = case.length is None and case.method == "POST"
    if case.length == "auto":
        if case.method == "POST":
            head.append(b"content-length: " + str(len(case.body)).encode())
    elif isinstance(case.length, bytes):
        head.append(b"content-length: " + case.length)
    elif chunked:
        head.append(b"transfer-encoding: chunked")
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_S) as sock:
        try:
            sock.sendall(b"\r\n".join(head) + b"\r\n\r\n")
            for piece in _pieces(case.body):
                sock.sendall(b"%x\r\n%b\r\n" % (len(piece), piece) if chunked else piece)
            if chunked:
                sock.sendall(b"0\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass  # refused before the body was read: the answer, if any, is still to be read
        return _status(sock)


def _pieces(body: bytes) -> Iterator[bytes]:
    for start in range(0, len(body), CHUNK):
        yield body[start : start + CHUNK]


def _status(sock: socket.socket) -> int:
    received = b""
    try:
        while b"\r\n" not in received:
            more = sock.recv(65536)
            if not more:
                break
            received += more
    except (ConnectionResetError, TimeoutError):
        pass
    parts = received.split(b" ", 2)
    if len(parts) < 2 or not parts[1].isdigit():
        return 0
    return int(parts[1])


def urlencoded(pairs: Iterable[tuple[bytes, bytes]]) -> bytes:
    return b"&".join(
        quote_from_bytes(k).encode() + b"=" + quote_from_bytes(v).encode() for k, v in pairs
    )


@dataclass
class Identity:
    """Cookies and the token that goes with them, for a logged-in person or an anonymous one."""

    cookie: bytes
    token: bytes


def identity(phone: Phone, page: str) -> Identity:
    token = csrf(phone.send("GET", page).text).encode()  # first: it may set the csrftoken cookie
    cookie = "; ".join(f"{name}={value}" for name, value in phone.http.cookies.items())
    return Identity(cookie.encode(), token)


def named_cases(
    me: Identity, anon: Identity, referred: Identity, sid: int, exercise: str
) -> list[Case]:
    """The cases the first probe named, each once, in a fixed order."""
    sets = f"/session/{sid}/sets"
    good_set = [(b"exercise_id", exercise.encode()), (b"number", b"1"), (b"reps", b"8")]
    good_set.append((b"felt", b"target"))
    bad_utf8 = b"session=\xff\xfe; csrftoken=\xc3\x28"
    form = (b"content-type", FORM)
    json_token = [(b"accept", b"application/json"), (b"x-csrftoken", me.token)]
    mine = (b"cookie", me.cookie)
    set_json, anon_form = [mine, form, *json_token], [(b"cookie", anon.cookie), form]
    login = [(b"email", b"x@example.com"), (b"password", b"wrong password")]
    login_body = urlencoded([*login, (b"csrftoken", anon.token)])
    nul_email = [(b"email", b"a\x00b@example.com"), (b"password", PASSWORD.encode())]
    nul_email.append((b"csrftoken", anon.token))
    boundary = b"probeboundary"
    multipart = b"".join(
        b'--%b\r\ncontent-disposition: form-data; name="%b"\r\n\r\n%b\r\n' % (boundary, k, v)
        for k, v in [*good_set, (b"csrftoken", me.token)]
    )
    multipart += b"--%b--\r\n" % boundary
    with_boundary = (b"content-type", b"multipart/form-data; boundary=" + boundary)
    profile = [(b"level", b"beginner"), (b"days_per_week", b"4"), (b"equipment", b"band")]
    profile += [(b"equipment[]", b"band"), (b"csrftoken", me.token)]
    note = [(b"confirm", b"yes"), (b"note", b"seen\x00 by Dr A\x00")]
    note.append((b"csrftoken", referred.token))
    big = b"email=" + b"a" * FIFTY_MB
    tokens_in_field = urlencoded([*good_set, (b"csrftoken", "tökén".encode())])
    posts: list[tuple[str, str, list[tuple[bytes, bytes]], bytes]] = [
        ("non-UTF-8 cookie on a POST", "/login", [(b"cookie", bad_utf8), form], login_body),
        ("login cookie + non-UTF-8", sets, [(b"cookie", me.cookie + b"; x=\xff"), *set_json[1:]],
         urlencoded(good_set)),
        ("non-ASCII x-csrftoken", sets, [mine, form, (b"accept", b"application/json"),
         (b"x-csrftoken", "tökén".encode())], urlencoded(good_set)),
        ("non-UTF-8 x-csrftoken", sets, [mine, form, (b"x-csrftoken", b"\xff\xfe\x00")],
         urlencoded(good_set)),
        ("non-ASCII csrftoken field", sets, [mine, form], tokens_in_field),
        ("non-ASCII csrftoken field, login", "/login", anon_form,
         urlencoded([*login, (b"csrftoken", "tökén".encode())])),
        ("non-UTF-8 url-encoded body (%FF)", "/login", anon_form,
         b"email=%FF%FE&password=%C3%28&csrftoken=" + anon.token),
        ("non-UTF-8 raw body", sets, set_json, b"exercise_id=\xff\xfe&number=1&reps=8&felt=target"),
        ("non-UTF-8 field name", sets, set_json, urlencoded([*good_set, (b"\xff\xfe", b"1")])),
        ("multipart without boundary", sets,
         [mine, (b"content-type", b"multipart/form-data"), *json_token], multipart),
        ("multipart with boundary", sets, [mine, with_boundary, *json_token], multipart),
        ("multipart, cut short", sets, [mine, with_boundary, *json_token], multipart[:60]),
        ("both felt and felt[]", sets, set_json, urlencoded([*good_set, (b"felt[]", b"target")])),
        ("felt[]=target on a set", sets, set_json,
         urlencoded([*good_set[:3], (b"felt[]", b"target")])),
        ("both equipment and equipment[]", "/onboarding/profile", [mine, form],
         urlencoded(profile)),
        ("NUL in an email, sign-up", "/signup", anon_form, urlencoded(nul_email)),
        ("NUL in an email, login", "/login", anon_form, urlencoded(nul_email)),
        ("NUL in a note (cleared)", "/onboarding/cleared", [(b"cookie", referred.cookie), form],
         urlencoded(note)),
        ("NUL in a set's exercise id", sets, set_json,
         urlencoded([(b"exercise_id", exercise.encode() + b"\x00"), *good_set[1:]])),
    ]  # fmt: skip
    cases = [
        Case("non-UTF-8 cookie on a page", "GET", "/today", [(b"cookie", bad_utf8)]),
        Case("non-UTF-8 cookie on /static", "GET", "/static/app.css", [(b"cookie", bad_utf8)]),
        *(Case(name, "POST", path, headers, body) for name, path, headers, body in posts),
    ]
    for name, path, headers in [("", "/login", anon_form), (" set", sets, set_json)]:
        cases.append(Case(f"50 MB{name} body with Content-Length", "POST", path, headers, big))
        cases.append(Case(f"50 MB{name} body, chunked", "POST", path, headers, big, None))
    for length in (b"abc", b"-1", b"1e3", b" 12", b"99999999999999999999", b"12, 12"):
        name = f"Content-Length {length!r}"
        cases.append(Case(name, "POST", "/login", anon_form, login_body, length))
    return cases


def post_routes() -> list[str]:
    """Every POST route of the web pages, from the routers (no app is built to list them)."""
    import importlib
    import pkgutil

    from fastapi.routing import APIRoute

    import backcoach.web.routes as package

    found = set()
    for module_info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{module_info.name}")
        router = getattr(module, "router", None)
        for route in getattr(router, "routes", ()):
            if isinstance(route, APIRoute) and "POST" in (route.methods or ()):
                found.add(route.path)
    return sorted(found)


def _junk(rng: random.Random, size: int = 40) -> bytes:
    """Random bytes, or random text with non-ASCII, NUL and separators in it."""
    if rng.random() < 0.1:  # most junk is valid UTF-8, so it gets past the form parser
        return rng.randbytes(rng.randint(0, size))
    alphabet = "aZ09 =;&%+\x00\x7f\u00e9\u00f6\u2028\U0001f600"[: rng.randint(5, 15)]
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, size))).encode()


def _value(rng: random.Random) -> bytes:
    roll = rng.random()
    if roll < 0.4:
        return rng.choice(
            ["0", "1", "3", "8", "12", "-1", "1.5", "99999999999999999999", ""]
        ).encode()
    if roll < 0.6:
        return rng.choice(["target", "yes", "no", "band", "beginner", "none", "low_back"]).encode()
    return _junk(rng)


def random_case(
    rng: random.Random, number: int, me: Identity, anon: Identity, posts: list[str], sid: int
) -> Case:
    """One random request; most are honest (own cookies, a valid token, a form) to reach routes."""
    logged_in = rng.random() < 0.7
    who = me if logged_in else anon
    if rng.random() < 0.12:
        path, method = rng.choice(GET_PATHS).format(sid=sid), "GET"
    else:
        path, method = rng.choice(posts).replace("{session_id}", str(sid)), "POST"
    if path == "/logout":
        who = anon  # logging the person out would leave the rest of the sweep anonymous
    cookie, token = who.cookie, who.token
    mutation = rng.choice(["none", "none", "none", "cookie", "token", "header"])
    if mutation == "cookie":
        cookie = rng.choice([_junk(rng), cookie + b"; " + _junk(rng), b"csrftoken=" + _junk(rng)])
    elif mutation == "token":
        token = rng.choice([_junk(rng), token + b"x", b"", token[:-2]])
    headers = [(b"cookie", cookie)]
    if rng.random() < 0.3:
        headers.append((b"accept", b"application/json"))
    pairs = [(rng.choice(FIELD_NAMES).encode(), _value(rng)) for _ in range(rng.randint(0, 8))]
    if rng.random() < 0.1:
        pairs.append((_junk(rng, 12), _value(rng)))
    if rng.random() < 0.5:
        headers.append((b"x-csrftoken", token))
    else:
        pairs.append((b"csrftoken", token))
    if mutation == "header":
        name = rng.choice([b"x-csrftoken", b"accept", b"content-type", b"x-junk", b"referer"])
        headers.append((name, _junk(rng).replace(b"\r", b"").replace(b"\n", b"")))
    if method == "POST":
        kind = FORM if rng.random() < 0.7 else rng.choice(CONTENT_TYPES)
        headers.append((b"content-type", kind))
    body = urlencoded(pairs) if rng.random() < 0.75 else _junk(rng, 300)
    if rng.random() < 0.1:
        body = b"&".join(k + b"=" + v for k, v in pairs)  # not percent-encoded at all
    return Case(f"random #{number}", method, path, headers, body if method == "POST" else b"")


@dataclass
class Sweep:
    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    named: list[tuple[str, int]] = field(default_factory=list)


def sweep(server: Server, cases: Iterable[Case], result: Sweep, named: bool) -> None:
    for case in cases:
        try:
            status = send(server.port, case)
        except OSError:
            status = 0
        result.statuses[status] += 1
        if named:
            result.named.append((case.name, status))
        if status >= 500 or status == 0:
            result.server_errors.append(f"{status} {case.describe()}")


def people(server: Server) -> tuple[Identity, Identity, Identity, int, str]:
    """The onboarded person in a session, an anonymous visitor, and a referred person."""
    me = Phone([server], Tally())
    me.onboard()
    sid, slots = me.start_session()
    exercise = next(ex for ex, _, kind in slots if kind == "reps")
    anon = Phone([server], Tally())
    referred = Phone([server], Tally())
    referred.sign_up("referred@example.com")
    answers = dict.fromkeys(RED_FLAG_IDS, "no") | {"age": "44", "pregnancy": "none"}
    referred.form("/onboarding/screening", answers | {"night_pain": "yes"}, "/onboarding/screening")
    return (
        identity(me, "/today"),
        identity(anon, "/login"),
        identity(referred, "/onboarding/referral"),
        sid,
        exercise,
    )


def run(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="probe-bad-input-") as folder:
        workdir = Path(folder)
        with database(args.postgres, workdir) as url:
            server = Server(url, workdir, "server")
            server.start()
            try:
                server.wait_ready()
                me, anon, referred, sid, exercise = people(server)
                result = Sweep()
                began = time.monotonic()
                named = named_cases(me, anon, referred, sid, exercise)
                sweep(server, named, result, named=True)
                posts = post_routes()
                count = max(0, args.requests - len(named))
                randoms = (random_case(rng, n, me, anon, posts, sid) for n in range(count))
                sweep(server, randoms, result, named=False)
                wall = time.monotonic() - began
                check = Case("logged-in page", "GET", "/today", [(b"cookie", me.cookie)])
                final = send(server.port, check)
                peak = server.peak_rss_kb()
                alive = server.up()
                tracebacks = server.tracebacks()
            finally:
                server.stop()
    backend = "PostgreSQL 15" if args.postgres else "SQLite"
    classes = Counter(
        f"{status // 100}xx" if status else "no answer" for status in result.statuses.elements()
    )
    print(f"bad input on {backend}, one server, seed {args.seed}")
    sent = sum(result.statuses.values())
    print(f"  {'requests sent':<40} {sent} ({len(named)} named, {count} random)")
    print(f"  {'by status class':<40} {dict(sorted(classes.items()))}")
    print(f"  {'by status':<40} {dict(sorted(result.statuses.items()))}")
    print(f"  {'5xx (or no answer)':<40} {len(result.server_errors)}")
    print(f"  {'server peak RSS (VmHWM)':<40} {peak / 1024:.0f} MB")
    print(f"  {'server still running':<40} {alive}")
    print(f"  {'logged-in GET /today at the end':<40} {final}")
    print(f"  {'server tracebacks in its log':<40} {len(tracebacks)}")
    print(f"  {'wall time':<40} {wall:.1f} s")
    print("  named cases:")
    for name, status in result.named:
        print(f"    {status:>3}  {name}")
    for problem in result.server_errors[:5]:
        print(f"  5xx case: {problem[:600]}")
    for block in tracebacks[:2]:
        print("  traceback:" + block[-1500:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000, help="Requests in all.")
    parser.add_argument("--postgres", action="store_true", help="A throwaway PostgreSQL 15.")
    parser.add_argument("--seed", type=int, default=1)
    run(parser.parse_args())


if __name__ == "__main__":
    main()
