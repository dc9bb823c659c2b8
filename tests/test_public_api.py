"""Pin the public API: a change to it must be deliberate (update these lists and the docs).

Names, call signatures (parameters, defaults, annotations), the Workspace's methods and the
error tree (docs/errors.md) are compared as text, so adding, renaming or re-typing anything
public fails here until this file says so too.
"""

from __future__ import annotations

import inspect
from typing import Any

import creatorlens
import creatorlens.errors

CALLABLES: dict[str, str] = {
    "CreatorFilter": (
        "(platform: 'str | None' = None, tier: 'str | None' = None"
        ", min_followers: 'float | None' = None, max_followers: 'float | None' = None"
        ", min_er: 'float | None' = None, max_er: 'float | None' = None"
        ", country: 'str | None' = None, category: 'str | None' = None"
        ", niche: 'str | None' = None, min_focus: 'float | None' = None"
        ", transparency_below: 'float | None' = None, min_quality: 'float | None' = None"
        ", search: 'str | None' = None, min_posts: 'int | None' = None"
        ", language: 'str | None' = None, content_matches: 'tuple[str, ...] | None' = None) -> None"
    ),
    "FileReport": (
        "(file: 'str', format: 'str' = '', api: 'str | None' = None"
        ", platform: 'str | None' = None, rows_read: 'int' = 0, rows_loaded: 'int' = 0"
        ", rows_quarantined: 'int' = 0, creators: 'int' = 0, posts: 'int' = 0"
        ", snapshots: 'int' = 0, edges: 'int' = 0, null_cells: 'int' = 0, already_ingested: 'bool' = False"
        ", observed_at: 'datetime | None' = None, rows_without_date: 'int' = 0"
        ", encoding: 'str | None' = None, encoding_detected_by: 'str | None' = None"
        ", mapping: 'dict[str, list[str]]' = <factory>, unmapped: 'list[str]' = <factory>"
        ", warnings: 'list[str]' = <factory>, limits: 'list[str]' = <factory>"
        ", links: 'list[str]' = <factory>) -> None"
    ),
    "IngestReport": "(files: 'list[FileReport]') -> None",
    "Page": (
        "(rows: 'pa.Table', next_cursor: 'str | None', sort: 'str', order: 'Order'"
        ", total: 'int | None' = None) -> None"
    ),
    "PeerGroups": "(bins_per_decade: 'int', min_group_size: 'int') -> None",
    "ScoreReport": (
        "(creators: 'int', scheme: 'str', window: 'Window', steps: 'list[str]'"
        ", skipped_steps: 'dict[str, str]', seconds: 'dict[str, float]' = <factory>"
        ", run_id: 'str' = '') -> None"
    ),
    "Tier": "(name: 'str', min_followers: 'int', max_followers: 'int | None') -> None",
    "TierScheme": "(name: 'str', tiers: 'tuple[Tier, ...]', source: 'str' = '') -> None",
    "Window": (
        "(last_n: 'int' = 30, min_age_days: 'int' = 7, since: 'datetime | None' = None"
        ", until: 'datetime | None' = None) -> None"
    ),
    "Workspace": (
        "(path: 'str | Path' = Path('creatorlens.duckdb'), *, read_only: 'bool' = False"
        ", wait: 'float' = 0.0) -> 'None'"
    ),
    "available_schemes": "() -> 'list[str]'",
    "open": "(path: 'str | Path' = Path('creatorlens.duckdb'), *, read_only: 'bool' = False) -> 'Workspace'",
    "parse_datetime": (
        "(raw: 'object', *, observed_at: 'datetime | None' = None"
        ", bare_number_unit: 'str' = 'epoch') -> 'ParsedTime'"
    ),
    "parse_number": "(text: 'object', *, percent_as_fraction: 'bool' = True) -> 'Parsed'",
}

WORKSPACE_METHODS: dict[str, str] = {
    "communities": "(self, *, score_missing: 'bool' = True) -> 'ir.Table'",
    "community_members": (
        "(self, community: 'str', limit: 'int' = 100, *, score_missing: 'bool' = True) -> 'ir."
        "Table'"
    ),
    "creator_community": (
        "(self, handle: 'str', platform: 'str | None' = None, members: 'int' = 5, *, score_mis"
        "sing: 'bool' = True) -> 'dict[str, Any] | None'"
    ),
    "text_index": "(self) -> 'TextIndex'",
    "update_text_index": "(self, *, full: 'bool' = False) -> 'IndexUpdate'",
    "similar": (
        "(self, handle: 'str', platform: 'str | None' = None, *, limit: 'int' = 20) -> 'tuple["
        "dict[str, Any], list[dict[str, Any]]]'"
    ),
    "content_search": (
        "(self, query: 'str', filter: 'CreatorFilter | None' = None, *, limit: 'int' = 20, mod"
        "e: 'str' = 'text') -> 'ContentSearch'"
    ),
    "brand_book": "(self, book: 'str | Path | None' = None) -> 'BrandBook'",
    "brand_mentions": "(self, book: 'str | Path | BrandBook | None' = None) -> 'pd.DataFrame'",
    "brands": (
        "(self, book: 'str | Path | BrandBook | None' = None, names: 'Sequence[str] | None' = "
        "None, jurisdictions: 'Sequence[str]' = ('us', 'kr', 'uk')) -> 'pd.DataFrame'"
    ),
    "brand": (
        "(self, name: 'str', competitors: 'Sequence[str]' = (), book: 'str | Path | BrandBook "
        "| None' = None, top: 'int' = 10) -> 'dict[str, Any]'"
    ),
    "creator_brands": (
        "(self, handle: 'str | Mapping[str, Any]', platform: 'str | None' = None, book: 'str | "
        "Path | BrandBook | None' = None) -> 'list[dict[str, Any]]'"
    ),
    "safety": (
        "(self, handle: 'str', platform: 'str | None' = None, *, keywords: 'Mapping[str, Seque"
        "nce[str]] | Sequence[str] | None' = None, limit: 'int' = 50) -> 'dict[str, Any]'"
    ),
    "contacts": (
        "(self, handle: 'str | Mapping[str, Any]', platform: 'str | None' = None)"
        " -> 'list[dict[str, str]]'"
    ),
    "contact_table": "(self) -> 'pd.DataFrame'",
    "add_follower_sample": (
        "(self, handle: 'str', source: 'str | Path | pd.DataFrame', platform: 'str | None' = None"
        ", *, observed_at: 'datetime | None' = None) -> 'int'"
    ),
    "audience": "(self, creator_id: 'str') -> 'ir.Table'",
    "audit": (
        "(self, handle: 'str', platform: 'str | None' = None, *"
        ", followers: 'str | Path | pd.DataFrame | None' = None) -> 'AuthenticityReport'"
    ),
    "audit_disclosure": (
        "(self, handle: 'str | None' = None, jurisdictions: 'Sequence[str]' = ('us', 'kr', 'uk')"
        ", platform: 'str | None' = None) -> 'DisclosureAudit'"
    ),
    "audit_followers": (
        "(self, path_or_dataframe: 'str | Path | pd.DataFrame'"
        ", platform: 'str | None' = None) -> 'FollowerAudit'"
    ),
    "close": "(self) -> 'None'",
    "create_key": "(self, name: 'str') -> 'tuple[str, str]'",
    "creator": (
        "(self, handle: 'str', platform: 'str | None' = None, *"
        ", scheme: 'str | Path | None' = None) -> 'dict[str, Any]'"
    ),
    "creators": (
        "(self, filters: 'CreatorFilter | None' = None, *, sort: 'str' = 'followers'"
        ", descending: 'bool' = True, limit: 'int | None' = None, offset: 'int' = 0"
        ", scheme: 'str | Path | None' = None, **kwargs: 'Any') -> 'ir.Table'"
    ),
    "demo": (
        "(self, *, seed: 'int' = 7, creators: 'int' = 20000, posts_per_creator: 'int' = 30"
        ", score: 'bool' = True, on_step: 'StepProgress | None' = None) -> 'tuple[DemoData, ScoreReport | None]'"
    ),
    "edge_table": "(self) -> 'pd.DataFrame | None'",
    "fetch": "(self, spec: 'Any', **options: 'Any') -> 'Any'",
    "fetch_plan": "(self, spec: 'Any', *, budget: 'int | None' = None) -> 'Any'",
    "follower_history": "(self, creator_id: 'str') -> 'Any'",
    "view_history": "(self, creator_id: 'str') -> 'Any'",
    "grow": "(self, handle: 'str', target: 'Any', budget: 'float', **options: 'Any') -> 'Any'",
    "ingest": (
        "(self, paths: 'str | Path | Sequence[str | Path]', *, platform: 'str | None' = None"
        ", column_map: 'Mapping[str, str] | None' = None, observed_at: 'datetime | None' = None"
        ", handle: 'str | None' = None, progress: 'Callable[[Path, int], Callable[[int]"
        ", None]] | None' = None, encoding: 'str | None' = None"
        ", display_name: 'str | None' = None, kind: 'str' = 'rows') -> 'IngestReport'"
    ),
    "ingest_archive": "(self, archive: 'str | Path') -> 'Any'",
    "ingests": "(self) -> 'ir.Table'",
    "keys": "(self) -> 'list[KeyInfo]'",
    "latest_snapshot_at": "(self) -> 'datetime | None'",
    "overlap": "(self, handles: 'Sequence[str]', platform: 'str | None' = None) -> 'Any'",
    "plan": "(self, brief: 'Any', **options: 'Any') -> 'Any'",
    "posts": "(self, creator_id: 'str', limit: 'int' = 100) -> 'ir.Table'",
    "prices": (
        "(self, creator: 'str | dict[str, Any]', platform: 'str | None' = None, *"
        ", currency: 'str' = '', usd_per_unit: 'float | None' = None) -> 'Any'"
    ),
    "quarantine": "(self, file: 'str | None' = None) -> 'ir.Table'",
    "revoke_key": "(self, key_id: 'str') -> 'bool'",
    "score": (
        "(self, *, scheme: 'str | Path' = 'seed', window: 'Window | None' = None"
        ", steps: 'Sequence[str] | None' = None, on_step: 'StepProgress | None' = None"
        ", full: 'bool' = False) -> 'ScoreReport'"
    ),
    "scorecard": "(self, scheme: 'str | Path | None' = None) -> 'ir.Table'",
    "search": (
        "(self, filter: 'CreatorFilter | None' = None, sort: 'str' = 'followers'"
        ", order: 'Order' = 'desc', limit: 'int | None' = 50, cursor: 'str | None' = None, *"
        ", columns: 'Sequence[str] | None' = None, total: 'bool' = False"
        ", scheme: 'str | Path | None' = None) -> 'Page'"
    ),
    "search_at": (
        "(self, filter: 'CreatorFilter | None' = None, sort: 'str' = 'followers'"
        ", order: 'Order' = 'desc', limit: 'int | None' = 50, offset: 'int' = 0, *"
        ", columns: 'Sequence[str] | None' = None, scheme: 'str | Path | None' = None) -> 'Page'"
    ),
    "snapshots": "(self, creator_id: 'str') -> 'ir.Table'",
    "has_content_index": "(self) -> 'bool'",
    "with_content_matches": "(self, filter: 'CreatorFilter') -> 'CreatorFilter'",
    "vector_store": "(self) -> 'VectorStore'",
    "update_embeddings": "(self, *, full: 'bool' = False) -> 'EmbeddingUpdate'",
    "tiers": "(self, scheme: 'str | Path' = 'seed') -> 'ir.Table'",
    "value_notes": "(self) -> 'ir.Table'",
    "verify_key": "(self, presented: 'str | None') -> 'bool'",
    "watch": "(self, watch_list: 'Any', **options: 'Any') -> 'Any'",
}

ERROR_TREE: dict[str, tuple[str, ...]] = {
    "AmbiguousCreatorError": ("UserError", "LookupError"),
    "BadUploadName": ("UserError", "ValueError"),
    "BodyTooLarge": ("UserError",),
    "BriefError": ("UserError", "ValueError"),
    "CostError": ("UserError", "ValueError"),
    "CreatorlensError": ("Exception",),
    "CurrencyError": ("UserError", "ValueError"),
    "FollowerFileError": ("UserError", "ValueError"),
    "IngestError": ("UserError", "ValueError"),
    "LabelError": ("UserError", "ValueError"),
    "MappingError": ("UserError", "ValueError"),
    "MissingExtraError": ("SetupError",),
    "MissingFileError": ("UserError", "FileNotFoundError"),
    "ModelFormatError": ("UserError", "ValueError"),
    "NotFoundError": ("UserError", "LookupError"),
    "ApiError": ("UserError",),
    "CredentialError": ("UserError",),
    "QuotaStop": ("UserError",),
    "TransportFailure": ("UserError",),
    "OptionError": ("UserError", "ValueError"),
    "CursorError": ("OptionError",),
    "UnknownColumnError": ("OptionError",),
    "PayloadError": ("UserError", "ValueError"),
    "PdfError": ("SetupError",),
    "PlanError": ("UserError", "ValueError"),
    "SetupError": ("UserError",),
    "SourceError": ("UserError", "ValueError"),
    "StepError": ("CreatorlensError",),
    "TargetError": ("UserError", "ValueError"),
    "TierSchemeError": ("UserError", "ValueError"),
    "UploadTooLarge": ("UserError",),
    "UserError": ("CreatorlensError",),
    "WorkspaceBusy": ("WorkspaceError",),
    "WorkspaceError": ("UserError",),
}


def _signature(obj: Any) -> str:
    # A default Path prints as PosixPath or WindowsPath: the same default either way.
    return str(inspect.signature(obj)).replace("PosixPath(", "Path(").replace("WindowsPath(", "Path(")


def test_public_names_are_pinned() -> None:
    errors = [
        "AmbiguousCreatorError", "CreatorlensError", "CursorError", "NotFoundError", "UserError",
        "WorkspaceError",
    ]  # fmt: skip
    assert sorted(creatorlens.__all__) == sorted([*CALLABLES, *errors, "__version__"])
    for name in creatorlens.__all__:
        assert hasattr(creatorlens, name), name
    for name in errors:  # the top-level names are the tree's classes, not copies
        assert getattr(creatorlens, name) is getattr(creatorlens.errors, name)


def test_public_signatures_are_pinned() -> None:
    actual = {name: _signature(getattr(creatorlens, name)) for name in CALLABLES}
    assert actual == CALLABLES


def test_workspace_methods_are_pinned() -> None:
    public = {
        name: _signature(member)
        for name, member in vars(creatorlens.Workspace).items()
        if not name.startswith("_") and callable(member)
    }
    assert public == WORKSPACE_METHODS


def test_error_tree_is_pinned() -> None:
    tree = {
        name: tuple(base.__name__ for base in getattr(creatorlens.errors, name).__bases__)
        for name in creatorlens.errors.__all__
    }
    assert tree == ERROR_TREE
    for name in creatorlens.errors.__all__:
        assert issubclass(getattr(creatorlens.errors, name), creatorlens.errors.CreatorlensError)
