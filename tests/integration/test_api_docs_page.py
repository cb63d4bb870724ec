"""The API's reference page (/api/v1/docs): every operation and model of the OpenAPI document on
one plain page, no script and nothing from elsewhere, with the structure a screen reader needs
(the browser flows run axe on the site's pages; this page is checked here by its structure)."""

from __future__ import annotations

import uuid
from html.parser import HTMLParser
from typing import Annotated, Literal

from fastapi import APIRouter, FastAPI, Query
from pydantic import BaseModel, ConfigDict, Field

from backcoach.api import docs_page
from backcoach.api.pagination import Page, WindowDep
from backcoach.api.problems import PROBLEM_RESPONSES
from tests.training_app import App

DATABASES = ("sqlite",)


class _Structure(HTMLParser):
    """What a reader of the page relies on: ids, links, headings, tables, and what it loads."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []
        self.loads: list[str] = []
        self.headings: list[int] = []
        self.tags: list[str] = []
        self.header_cells_without_scope = 0
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        self.tags.append(tag)
        if found.get("id"):
            self.ids.append(str(found["id"]))
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        if tag in ("script", "img", "iframe", "link") or "style" in found:
            self.loads.append(f"{tag} {found.get('src') or found.get('href') or found}")
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            self.headings.append(int(tag[1]))
        if tag == "th" and found.get("scope") not in ("col", "row"):
            self.header_cells_without_scope += 1

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _structure(html: str) -> _Structure:
    parsed = _Structure()
    parsed.feed(html)
    return parsed


def test_the_reference_lists_every_operation_and_model_of_the_openapi_document(app: App) -> None:
    client = app.client()
    document = client.get("/api/v1/openapi.json").json()
    answer = client.get("/api/v1/docs")  # no token: the reference is public
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    page = _structure(answer.text)
    text = " ".join(" ".join(page.text).split())
    for path, item in document["paths"].items():
        for method in item:
            anchor = docs_page.operation_anchor(method, path)
            assert anchor in page.ids, f"{method.upper()} {path} is not on the page"
            assert f"{method.upper()} /api/v1{path}" in text
    for name in document.get("components", {}).get("schemas", {}):
        assert docs_page.model_anchor(name) in page.ids, f"model {name} is not on the page"
    _assert_readable(page)


class Amount(BaseModel):
    """How much of an exercise."""

    model_config = ConfigDict(extra="forbid")
    reps: int | None = Field(default=None, ge=0, le=100, description="Repetitions.")
    felt: Literal["easy", "target", "hard"] = "target"


def _api_of_every_shape() -> FastAPI:
    router = APIRouter(responses=PROBLEM_RESPONSES, tags=["training"])

    @router.put("/sets/{client_id}", summary="Log a set by its `client_id`")
    def put_set(client_id: uuid.UUID, amount: Amount) -> list[Amount]:
        return [amount]

    @router.get("/amounts", summary="Amounts")
    def amounts(window: WindowDep, kind: Annotated[str, Query(max_length=20)] = "") -> Page[Amount]:
        return window.page([], 0)

    api = FastAPI(
        title="backcoach API",
        version="9.9.9",
        openapi_tags=[{"name": "training", "description": "Sessions and `sets`."}],
    )
    api.include_router(router)
    return api


def test_the_reference_says_each_type_in_words_and_links_each_model() -> None:
    """Types of every shape (a model, a list of models, a nullable bound number, a choice, a
    page of models), each model linked to its table; refusals are problem documents."""

    html = docs_page.render(_api_of_every_shape().openapi(), prefix="/api/v1")
    page = _structure(html)
    text = " ".join(" ".join(page.text).split())
    assert "PUT /api/v1/sets/{client_id}" in text and "GET /api/v1/amounts" in text
    assert "list of Amount" in text
    assert "integer or null" in text and "at least 0, at most 100" in text
    assert 'one of "easy", "target", "hard"' in text and 'default "target"' in text
    assert "at most 20 characters" in text and "string (uuid)" in text
    assert "application/problem+json" in text
    assert "Log a set by its <code>client_id</code>" in html
    assert "Sessions and <code>sets</code>." in html
    assert '<a href="#model-amount">Amount</a>' in html
    assert '<a href="#model-page-amount">Page_Amount_</a>' in html
    _assert_readable(page)


def _assert_readable(page: _Structure) -> None:
    assert len(page.ids) == len(set(page.ids)), "an id is used twice"
    internal = [link for link in page.links if link.startswith("#")]
    assert {link[1:] for link in internal} <= set(page.ids), "a link leads nowhere on the page"
    external = [link for link in page.links if "//" in link]
    assert not external, f"links to other sites: {external}"
    stylesheets = {"link /static/app.css", "link /static/api_docs.css", "link /static/favicon.svg"}
    assert set(page.loads) <= stylesheets, f"loads more than the site's own files: {page.loads}"
    assert page.headings.count(1) == 1 and page.headings[0] == 1
    skipped = [(a, b) for a, b in zip(page.headings, page.headings[1:], strict=False) if b > a + 1]
    assert not skipped, f"headings skip a level: {skipped}"
    assert page.header_cells_without_scope == 0
    assert page.tags.count("main") == 1 and "nav" in page.tags
    assert page.tags.count("table") == page.tags.count("caption")
