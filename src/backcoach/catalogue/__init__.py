"""The exercise data shipped with backcoach, and its loader."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from backcoach.engine.catalogue import Catalogue, parse_catalogue

CATALOGUE_FILE = "exercises.toml"


@cache
def default_catalogue() -> Catalogue:
    """Load and validate the shipped catalogue once per process."""
    text = resources.files(__package__).joinpath(CATALOGUE_FILE).read_text(encoding="utf-8")
    return parse_catalogue(tomllib.loads(text))
