"""creatorlens: open influencer-marketing intelligence.

    >>> import creatorlens
    >>> ws = creatorlens.open("creatorlens.duckdb")
    >>> ws.ingest("export.csv")
    >>> ws.score()
    >>> ws.creators(tier="micro", sort="er_followers_lc_median").to_pandas()
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from creatorlens._lazy import lazy_exports

if TYPE_CHECKING:
    from creatorlens._search import Page
    from creatorlens._workspace import CreatorFilter, ScoreReport, Workspace, open
    from creatorlens.errors import (
        AmbiguousCreatorError,
        CreatorlensError,
        CursorError,
        NotFoundError,
        UserError,
        WorkspaceError,
    )
    from creatorlens.ingest import FileReport, IngestReport, parse_datetime, parse_number
    from creatorlens.metrics import Window
    from creatorlens.tiers import PeerGroups, Tier, TierScheme, available_schemes

# The public names are imported on first use (PEP 562), so that `import creatorlens.cli` for
# `creatorlens --help` does not pay for pandas, ibis and duckdb before a command needs them.
_EXPORTS: dict[str, tuple[str, ...]] = {
    "creatorlens.errors": (
        "CursorError", "AmbiguousCreatorError", "CreatorlensError", "NotFoundError", "UserError",
        "WorkspaceError",
    ),
    "creatorlens._search": ("Page",),
    "creatorlens._workspace": ("CreatorFilter", "ScoreReport", "Workspace", "open"),
    "creatorlens.ingest": ("FileReport", "IngestReport", "parse_datetime", "parse_number"),
    "creatorlens.metrics": ("Window",),
    "creatorlens.tiers": ("PeerGroups", "Tier", "TierScheme", "available_schemes"),
}


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())


__version__ = "0.1.0"

__all__ = [
    "AmbiguousCreatorError",
    "CreatorFilter",
    "CreatorlensError",
    "CursorError",
    "FileReport",
    "IngestReport",
    "NotFoundError",
    "Page",
    "PeerGroups",
    "ScoreReport",
    "Tier",
    "TierScheme",
    "UserError",
    "Window",
    "Workspace",
    "WorkspaceError",
    "__version__",
    "available_schemes",
    "open",
    "parse_datetime",
    "parse_number",
]
