"""File imports (`kind = "import"`): where rows of `silta import` land unless they name a
source. Nothing to poll and no key of its own; the reading is `bot.ingest.importer`."""

from __future__ import annotations

from typing import Literal

from bot.sources.base import SourceConfig, SourceKind


class ImportSource(SourceConfig):
    kind: Literal["import"]


KIND = SourceKind(ImportSource)
