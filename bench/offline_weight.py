"""What the offline machinery weighs on a phone: the service worker, the outbox and offline.js.

Run: .venv/bin/python bench/offline_weight.py [--budget-kb 10]. It prints each script's size as
read and as sent (gzip at the server's level, web/compression.py), the total beside the budget
(issue 14: under 10 KB compressed together) and their ratio, and exits 1 when over the budget,
or 2 when a script is missing. /sw.js is weighed as served: its settings line, then static/sw.js.
"""

from __future__ import annotations

import argparse
import gzip
import sys
from dataclasses import dataclass

from backcoach.web.compression import LEVEL, MINIMUM_SIZE
from backcoach.web.routes.offline import worker_script
from backcoach.web.static_files import static_folder

BUDGET_KB = 10
#: The scripts a phone keeps to work offline: (as named here, file under web/static or None).
SCRIPTS = (("/sw.js (as served)", None), ("outbox.js", "outbox.js"), ("offline.js", "offline.js"))


@dataclass(frozen=True)
class ScriptWeight:
    name: str
    read: int  # bytes of the script
    sent: int  # bytes as the server sends it: gzip-compressed unless too small to gain

    def row(self) -> str:
        return f"{self.name:<22} {self.read / 1000:>7.1f} {self.sent / 1000:>7.1f}"


def weigh(name: str, text: str) -> ScriptWeight:
    body = text.encode()
    if len(body) < MINIMUM_SIZE:
        return ScriptWeight(name, len(body), len(body))
    return ScriptWeight(name, len(body), len(gzip.compress(body, compresslevel=LEVEL, mtime=0)))


def offline_weights() -> list[ScriptWeight]:
    """Each script's weight; FileNotFoundError names a script that is not there (yet)."""
    weights = []
    for name, file in SCRIPTS:
        if file is None:
            text = worker_script()
        else:
            path = static_folder() / file
            if not path.is_file():
                raise FileNotFoundError(f"{path} does not exist: no weight to measure")
            text = path.read_text(encoding="utf-8")
        weights.append(weigh(name, text))
    return weights


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--budget-kb", type=float, default=BUDGET_KB)
    budget = parser.parse_args(argv).budget_kb * 1000
    try:
        weights = offline_weights()
    except (FileNotFoundError, LookupError) as error:
        print(f"offline_weight: {error}", file=sys.stderr)
        return 2
    print(f"{'script':<22} {'read KB':>7} {'gzip KB':>7}")
    for weight in weights:
        print(weight.row())
    total = sum(weight.sent for weight in weights)
    print(f"{'total':<22} {sum(w.read for w in weights) / 1000:>7.1f} {total / 1000:>7.1f}")
    verdict = "within" if total < budget else "OVER"
    print(f"budget {budget / 1000:.1f} KB gzip: {total / budget:.0%} of it ({verdict})")
    return 0 if total < budget else 1


if __name__ == "__main__":
    sys.exit(main())
