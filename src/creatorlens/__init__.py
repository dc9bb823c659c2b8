"""creatorlens: open influencer-marketing intelligence.

    >>> import creatorlens
    >>> ws = creatorlens.open("creatorlens.duckdb")
    >>> ws.ingest("export.csv")
    >>> ws.score()
    >>> ws.creators(tier="micro", sort="er_followers_lc_median").to_pandas()
"""

from creatorlens._workspace import (
    AmbiguousCreatorError,
    CreatorFilter,
    NotFoundError,
    ScoreReport,
    Workspace,
    open,
)
from creatorlens.ingest import FileReport, IngestReport, parse_datetime, parse_number
from creatorlens.metrics import Window
from creatorlens.store import WorkspaceError
from creatorlens.tiers import PeerGroups, Tier, TierScheme, available_schemes

__version__ = "0.1.0"

__all__ = [
    "AmbiguousCreatorError",
    "CreatorFilter",
    "FileReport",
    "IngestReport",
    "NotFoundError",
    "PeerGroups",
    "ScoreReport",
    "Tier",
    "TierScheme",
    "Window",
    "Workspace",
    "WorkspaceError",
    "__version__",
    "available_schemes",
    "open",
    "parse_datetime",
    "parse_number",
]
