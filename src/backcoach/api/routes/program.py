"""API routes: program (see docs/api.md)."""

from __future__ import annotations

from fastapi import APIRouter

from backcoach.api.problems import PROBLEM_RESPONSES

router = APIRouter(responses=PROBLEM_RESPONSES)
