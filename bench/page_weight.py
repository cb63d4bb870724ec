"""What each main page weighs on a first load, as a phone's browser would fetch it.

Run: .venv/bin/python bench/page_weight.py [--budget-kb 100]. It starts a real server
(`python -m backcoach serve` on a fresh SQLite file), times the first picture and the first
library page after the start, signs a person up through the pages and gives them a program,
then loads each main page with an empty cache: the HTML, then every stylesheet, script, icon
and picture the browser would fetch at once (each address once). It prints, per page, the
requests, the bytes as sent (gzip, as a browser asks) and as read (uncompressed), and exits 1
when a page's first load is over the budget (issue 13: 100 KB compressed).

Pictures marked loading="lazy" are counted unless they sit in a closed <details> or a hidden
element (a browser does not fetch them there); those further down an open list are counted too,
so the figure is an upper bound of what a browser fetches before the person scrolls.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import httpx

BUDGET_KB = 100
PASSWORD = "a long enough password"
#: The pages a person with a program uses every day ({session} is one they started).
PAGES = (
    "/today",
    "/session/{session}",
    "/tight",
    "/exercises",
    "/exercises/glute_bridge",
    "/progress",
    "/schedule",
    "/account",
)
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                   "source", "track", "wbr"})  # fmt: skip


@dataclass
class PageWeight:
    """One page's first load: the addresses fetched and their bytes, sent and read."""

    path: str
    requests: int = 0
    sent: int = 0  # bytes on the wire (the bodies as encoded)
    read: int = 0  # bytes once decoded
    addresses: list[str] = field(default_factory=list)

    def row(self) -> str:
        return (
            f"{self.path:<26} {self.requests:>4} {self.sent / 1000:>9.1f} {self.read / 1000:>9.1f}"
        )


class _FirstLoad(HTMLParser):
    """The addresses a browser fetches as it reads the page (before any scrolling)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.addresses: list[str] = []
        # Open elements: (tag, whether its content is out of sight: a closed details, hidden).
        self._open: list[tuple[str, bool]] = []

    def _unseen(self) -> bool:
        return any(unseen for _, unseen in self._open)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and found.get("rel") in ("stylesheet", "icon") and found.get("href"):
            self.addresses.append(str(found["href"]))
        elif tag == "script" and found.get("src"):
            self.addresses.append(str(found["src"]))
        elif tag == "img" and found.get("src"):
            lazy = found.get("loading") == "lazy"
            if not (lazy and self._unseen()):
                self.addresses.append(str(found["src"]))
        if tag in _VOID:
            return
        closed_details = tag == "details" and "open" not in found
        self._open.append((tag, closed_details or "hidden" in found))

    def handle_endtag(self, tag: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                return


def first_load_addresses(html: str) -> list[str]:
    """The stylesheets, scripts, icons and pictures a first load fetches, each once, in order."""
    parser = _FirstLoad()
    parser.feed(html)
    return list(dict.fromkeys(parser.addresses))


def measure_page(client: httpx.Client, path: str) -> PageWeight:
    """Load a page as a first visit would (an empty cache, gzip accepted) with a logged-in
    client: the page, then each address it names for the first screen."""
    weight = PageWeight(path)
    page = _fetch(client, path, weight)
    for address in first_load_addresses(page.text):
        # The pages name their files from the root ("/static/..."), as the client's base.
        _fetch(
            client, address if address.startswith("/") else urljoin(str(page.url), address), weight
        )
    return weight


def _fetch(client: httpx.Client, address: str, weight: PageWeight) -> httpx.Response:
    # As a browser sends them following a link inside the app: HTML is compressed only for the
    # app's own requests (web/compression.py, against BREACH), which browsers mark this way.
    headers = {"Accept-Encoding": "gzip", "Sec-Fetch-Site": "same-origin"}
    response = client.get(address, headers=headers)
    if response.status_code != 200:
        raise RuntimeError(f"{weight.path}: {address} answered {response.status_code}")
    weight.requests += 1
    weight.read += len(response.content)
    weight.sent += response.num_bytes_downloaded
    weight.addresses.append(address)
    return response


def _token(html: str) -> str:
    found = re.search(r'name="csrftoken" value="([^"]+)"', html) or re.search(
        r'<meta name="csrf-token" content="([^"]+)"', html
    )
    if found is None:
        raise RuntimeError("no CSRF token on the page")
    return found.group(1)


def _post(client: httpx.Client, path: str, data: Mapping[str, object]) -> httpx.Response:
    page = client.get(path if path != "/session" else "/today")
    return client.post(path, data={**data, "csrftoken": _token(page.text)})


def person_with_a_program(client: httpx.Client) -> int:
    """Sign up, log in and onboard through the pages (a beginner with a band); start a session
    and return its number."""
    from backcoach.engine.screening import RED_FLAGS

    account = {"email": "weight@example.com", "password": PASSWORD}
    _post(client, "/signup", account)
    _post(client, "/login", account)
    answers: dict[str, object] = {flag.id: "no" for flag in RED_FLAGS}
    _post(client, "/onboarding/screening", {**answers, "age": "44", "pregnancy": "none"})
    measures = {"nprs": "4", "psfs_name_1": "Putting on socks", "psfs_score_1": "4",
                "startback_score": "2", "startback_psychosocial": "1"}  # fmt: skip
    _post(client, "/onboarding/measures", measures)
    profile = {"level": "beginner", "days_per_week": "4", "equipment[]": ["band"]}
    made = _post(client, "/onboarding/profile", profile)
    if made.url.path != "/today":
        raise RuntimeError(f"onboarding ended on {made.url.path}, not /today")
    started = _post(client, "/session", {"pain_before": "3"})
    found = re.fullmatch(r"/session/(\d+)", started.url.path)
    if found is None:
        raise RuntimeError(f"starting a session ended on {started.url.path}")
    return int(found.group(1))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def served(folder: Path) -> Iterator[str]:
    """`backcoach serve` on a new SQLite file; its base address once it accepts connections."""
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{folder / 'weight.db'}"}
    command = [sys.executable, "-m", "backcoach", "serve", "--port", str(port)]
    log = (folder / "server.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    said = (folder / "server.log").read_text()[-3000:]
                    raise RuntimeError(f"the server did not start:\n{said}") from None
                time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)
        log.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--budget-kb", type=float, default=BUDGET_KB)
    args = parser.parse_args(argv)
    with (
        tempfile.TemporaryDirectory() as folder,
        served(Path(folder)) as base,
        httpx.Client(base_url=base, timeout=60, follow_redirects=True) as client,
    ):
        started = time.perf_counter()
        picture = client.get("/pictures/glute_bridge-strip.svg")
        first_picture = time.perf_counter() - started
        session = person_with_a_program(client)
        started = time.perf_counter()
        client.get("/exercises")
        first_library = time.perf_counter() - started
        print(
            f"first picture after the start: {first_picture * 1000:.0f} ms "
            f"({picture.status_code}); first library page: {first_library * 1000:.0f} ms"
        )
        print(f"{'page':<26} {'reqs':>4} {'sent KB':>9} {'read KB':>9}")
        over = []
        for path in PAGES:
            # A fresh client per page: an empty cache, but the same login.
            with httpx.Client(
                base_url=base, timeout=60, follow_redirects=True, cookies=client.cookies
            ) as fresh:
                weight = measure_page(fresh, path.format(session=session))
            print(weight.row())
            if weight.sent > args.budget_kb * 1000:
                over.append(weight.path)
    if over:
        print(f"over {args.budget_kb:g} KB compressed: {', '.join(over)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
