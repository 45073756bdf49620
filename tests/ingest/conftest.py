from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from bot.config import Company, Source, Workspace
from tests.fakes.sources import FakeSources, fake_sources

ACME = Company(name="Acme", terms=["Acme", "acme.io", "@acmehq"], exclude=["wile e. coyote"])


@pytest.fixture
def server() -> Iterator[FakeSources]:
    with fake_sources() as fake:
        yield fake


@pytest.fixture
def client() -> Iterator[httpx.Client]:
    with httpx.Client() as http:
        yield http


def workspace(*sources: Source) -> Workspace:
    return Workspace(company=ACME, sources=list(sources))
