"""The exercise data shipped with backcoach, and its loader."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from functools import cache
from importlib import resources
from types import MappingProxyType

from backcoach.engine.catalogue import Catalogue, CatalogueError, parse_catalogue
from backcoach.engine.demo import Demo, DemoError, parse_demos

CATALOGUE_FILE = "exercises.toml"
DEMOS_FOLDER = "demos"


@cache
def default_catalogue() -> Catalogue:
    """Load and validate the shipped catalogue once per process."""
    text = resources.files(__package__).joinpath(CATALOGUE_FILE).read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise CatalogueError(f"{CATALOGUE_FILE}: malformed TOML: {error}") from None
    return parse_catalogue(raw)


@cache
def default_demos() -> Mapping[str, Demo]:
    """Every shipped demonstration (demos/*.toml), parsed against the catalogue, by exercise id."""
    folder = resources.files(__package__).joinpath(DEMOS_FOLDER)
    files = sorted(
        (entry for entry in folder.iterdir() if entry.name.endswith(".toml")),
        key=lambda entry: entry.name,
    )
    documents = []
    for entry in files:
        try:
            documents.append(tomllib.loads(entry.read_text(encoding="utf-8")))
        except tomllib.TOMLDecodeError as error:
            raise DemoError(f"demos/{entry.name}: malformed TOML: {error}") from None
    demos = parse_demos(
        documents, default_catalogue(), sources=[f"demos/{entry.name}" for entry in files]
    )
    return MappingProxyType(demos)
