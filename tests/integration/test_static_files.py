"""Static files: each page names them by a versioned address that browsers may keep a year."""

from __future__ import annotations

import hashlib
import re

from backcoach.web.static_files import static_folder
from tests.training_app import App

DATABASES = ("sqlite",)


def test_pages_name_static_files_by_a_version_of_their_bytes_kept_a_year(app: App) -> None:
    page = app.client().get("/login").text
    addresses = re.findall(r'"/static/([\w./-]+)\?v=(\w+)"', page)
    assert {name for name, _ in addresses} >= {"app.css", "app.js", "favicon.svg"}
    for name, version in addresses:
        content = (static_folder() / name).read_bytes()
        assert version == hashlib.sha256(content).hexdigest()[:12], name
        answer = app.client().get(f"/static/{name}?v={version}")
        assert answer.status_code == 200 and answer.content == content
        assert answer.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_an_address_without_a_version_is_revalidated_each_time(app: App) -> None:
    first = app.client().get("/static/app.css")
    assert first.headers["cache-control"] == "no-cache"
    again = app.client().get("/static/app.css", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
