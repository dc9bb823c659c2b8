"""Pin the public API: a change to it must be deliberate (update this list and the docs)."""

from __future__ import annotations

import creatorlens


def test_public_api_is_pinned() -> None:
    assert sorted(creatorlens.__all__) == sorted(
        [
            "AmbiguousCreatorError", "CreatorFilter", "CursorError", "FileReport", "IngestReport", "NotFoundError",
            "Page", "PeerGroups", "ScoreReport",
            "Tier", "TierScheme", "Window", "Workspace", "WorkspaceError", "__version__",
            "available_schemes", "open", "parse_datetime", "parse_number",
        ]
    )  # fmt: skip
    for name in creatorlens.__all__:
        assert hasattr(creatorlens, name), name


def test_workspace_use_cases() -> None:
    for method in ("ingest", "score", "creators", "search", "creator", "tiers", "quarantine", "scorecard"):
        assert callable(getattr(creatorlens.Workspace, method)), method
