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
_EXPORTS: dict[str, str] = {
    "CursorError": "creatorlens.errors",
    "Page": "creatorlens._search",
    "AmbiguousCreatorError": "creatorlens.errors",
    "CreatorlensError": "creatorlens.errors",
    "NotFoundError": "creatorlens.errors",
    "UserError": "creatorlens.errors",
    "WorkspaceError": "creatorlens.errors",
    "CreatorFilter": "creatorlens._workspace",
    "ScoreReport": "creatorlens._workspace",
    "Workspace": "creatorlens._workspace",
    "open": "creatorlens._workspace",
    "FileReport": "creatorlens.ingest",
    "IngestReport": "creatorlens.ingest",
    "parse_datetime": "creatorlens.ingest",
    "parse_number": "creatorlens.ingest",
    "Window": "creatorlens.metrics",
    "PeerGroups": "creatorlens.tiers",
    "Tier": "creatorlens.tiers",
    "TierScheme": "creatorlens.tiers",
    "available_schemes": "creatorlens.tiers",
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
