"""The application core: one object per workspace, one method per use case.

Interfaces (CLI, REST API, dashboard) call these methods and nothing else; the methods wire the
store to the pure domain modules and hold no formulas themselves.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from creatorlens import _steps
from creatorlens._search import (
    SORT_KEY,
    Order,
    Page,
    check_sort,
    make_page,
    ordered,
    page_query,
)
from creatorlens._steps import select_steps
from creatorlens.errors import (
    AmbiguousCreatorError as AmbiguousCreatorError,
    MissingExtraError,
    NotFoundError as NotFoundError,
    OptionError,
    StepError,
    UserError,
)
from creatorlens.store import CREATOR_VIEW, DEFAULT_PATH, Store
from creatorlens.store._keys import KeyInfo, create_key, list_keys, revoke_key, verify_key
from creatorlens.store._store import CREATOR_VIEW_SOURCES, fault_point
from creatorlens.tiers import DEFAULT_SCHEME, TierScheme

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pandas as pd

    from creatorlens.authenticity import AuthenticityReport, FollowerAudit
    from creatorlens.content._disclosure_step import DisclosureAudit
    from creatorlens.content.brands import BrandBook
    from creatorlens.demo import DemoData
    from creatorlens.discovery._index_step import IndexUpdate
    from creatorlens.discovery._semantic_service import EmbeddingUpdate
    from creatorlens.discovery._service import ContentSearch
    from creatorlens.ingest import IngestReport
    from creatorlens.metrics import Window
    from creatorlens.store._text_index import TextIndex
    from creatorlens.store._vector_store import VectorStore


def fetch_bound(backend: Any, expr: Any) -> Any:
    """``creatorlens.store.fetch_bound``, imported on first call: this module loads no Ibis, so
    that `creatorlens show` (which reads its rows as plain SQL) does not pay for it."""
    from creatorlens.store._bound import fetch_bound as run

    return run(backend, expr)


#: Capability result tables joined onto the scorecard when they exist (creator_id keyed).
CAPABILITY_TABLES = CREATOR_VIEW_SOURCES[1:]

#: Told when a scoring step starts, ``(name, None)``, and when it ends, ``(name, seconds)``: the
#: CLI's progress display. The names are "engagement", SCORING_STEPS' names and "publish".
StepProgress = Callable[[str, "float | None"], None]


def _no_progress(name: str, seconds: float | None) -> None:
    return None


@dataclass
class ScoreReport:
    creators: int
    scheme: str
    window: Window
    steps: list[str]
    skipped_steps: dict[str, str]
    seconds: dict[str, float] = field(default_factory=dict)
    #: The id under which the run's tables were published (table ``score_runs``).
    run_id: str = ""


@dataclass(frozen=True)
class CreatorFilter:
    """Filters shared by `creators` in the CLI, the REST API and the dashboard."""

    platform: str | None = None
    tier: str | None = None
    min_followers: float | None = None
    max_followers: float | None = None
    min_er: float | None = None
    max_er: float | None = None
    country: str | None = None
    category: str | None = None
    niche: str | None = None
    min_focus: float | None = None
    transparency_below: float | None = None
    min_quality: float | None = None
    search: str | None = None
    min_posts: int | None = None
    #: Language code(s) of the creator (``ko``, or ``ko,en``), as the scorecard's ``language``.
    language: str | None = None
    #: Creators whose posts or bio contain every word of ``search`` in the content index
    #: (``Workspace.search`` fills it when the workspace has one; docs/search.md "The creators
    #: list"): with ``search``, a creator matches by its handle, name or bio text or by these;
    #: alone, only these creators are kept.
    content_matches: tuple[str, ...] | None = None


class Workspace:
    """A creatorlens workspace: one DuckDB file (or ``":memory:"``)."""

    def __init__(
        self, path: str | Path = DEFAULT_PATH, *, read_only: bool = False, wait: float = 0.0
    ) -> None:
        """Open (or create) a workspace. ``read_only`` lets other readers (a running server)
        share the file; ``wait`` is how many seconds to wait for a lock another process holds."""
        self.path = path
        self.wait = wait
        self.store = Store(path, read_only=read_only, wait=wait)
        #: The creator view as found by a read-only connection (see ``_creator_view``).
        self._read_view: ir.Table | None = None
        self._text_index: TextIndex | None = None  # opened by text_index()
        #: What the last index update did (an ingest's included), for reports and tests.
        self.last_text_index_update: IndexUpdate | None = None
        #: The fitted lookalike model and the data version it was fitted on (``similar``).
        self._lookalikes: tuple[Any, Any] | None = None
        self._vectors: VectorStore | None = None  # the post/bio embeddings (``vector_store``)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    def __repr__(self) -> str:
        return f"Workspace({str(self.path)!r})"

    # -- ingest ------------------------------------------------------------------------------
    def ingest(
        self,
        paths: str | Path | Sequence[str | Path],
        *,
        platform: str | None = None,
        column_map: Mapping[str, str] | None = None,
        observed_at: datetime | None = None,
        handle: str | None = None,
        progress: Callable[[Path, int], Callable[[int], None]] | None = None,
        encoding: str | None = None,
        display_name: str | None = None,
        kind: str = "rows",
    ) -> IngestReport:
        """Load files; each file is one transaction and re-ingesting identical content is a no-op.

        ``encoding`` forces the text encoding (else it is detected per file); ``display_name``
        names a single file in reports, stored rows and messages instead of its path;
        ``kind="edges"`` reads edge lists of the interaction graph (docs/communities.md)."""
        from creatorlens.ingest import ingest_files  # the parsers load only for an ingest

        if isinstance(paths, str | Path):
            paths = [paths]
        report = ingest_files(
            self.store,
            list(paths),
            platform=platform,
            column_map=column_map,
            observed_at=observed_at,
            handle=handle,
            progress=progress,
            encoding=encoding,
            display_name=display_name,
            kind=kind,
        )
        self._update_text_index_if_built()  # only the new and changed posts (docs/search.md)
        return report

    # -- score -------------------------------------------------------------------------------
    def score(
        self,
        *,
        scheme: str | Path = DEFAULT_SCHEME,
        window: Window | None = None,
        steps: Sequence[str] | None = None,
        on_step: StepProgress | None = None,
        full: bool = False,
    ) -> ScoreReport:
        """Write the scorecard (one row per creator) and run each capability's scoring step
        (``steps`` names a subset of creatorlens._steps.SCORING_STEPS).

        A step that can run incrementally rescores only the posts whose inputs changed since the
        published run (docs/concurrency.md "Incremental scoring"); ``full`` rescores everything.

        A step that fails raises StepError naming it, and nothing of the run is published; a
        step whose optional extra is not installed is skipped and listed in ``skipped_steps``
        with the install command (docs/errors.md "Scoring steps").

        Every result table is first written to a staging database; at the end all of them
        replace the workspace's in one transaction, so a reader or a crash sees the previous
        run's tables or this run's, never a mixture. A read-only workspace takes the write lock
        only for that switch (waiting up to ``self.wait`` seconds for it)."""
        from creatorlens.metrics import Window, scorecard_expr

        self._read_view = None  # this run publishes a new view
        tier_scheme = TierScheme.load(scheme)
        window = window or Window()
        ran: list[str] = []
        skipped: dict[str, str] = {}
        seconds: dict[str, float] = {}
        tell = on_step or _no_progress
        with self.store.staging():
            tell("engagement", None)
            started = time.perf_counter()
            expr = scorecard_expr(
                self.store.table("creators"),
                self.store.table("posts"),
                self.store.table("follower_snapshots"),
                scheme=tier_scheme,
                window=window,
            )
            self.store.replace_table("scorecard", expr)
            seconds["engagement"] = time.perf_counter() - started
            tell("engagement", seconds["engagement"])
            fault_point("after:engagement")
            for step in select_steps(steps, _steps.SCORING_STEPS):
                tell(step.name, None)
                started = time.perf_counter()
                try:
                    run = step.run if full or step.incremental is None else step.incremental
                    run(self.store)
                except UserError:
                    raise
                except ImportError as exc:
                    if not step.needs_missing_extra(exc):
                        raise StepError(step.name, exc) from exc
                    assert step.extra is not None
                    skipped[step.name] = str(MissingExtraError(step.extra, f"the {step.name} step"))
                    tell(step.name, 0.0)
                    continue
                except Exception as exc:  # a bug in the step: the run fails and publishes nothing
                    raise StepError(step.name, exc) from exc
                seconds[step.name] = time.perf_counter() - started
                tell(step.name, seconds[step.name])
                ran.append(step.name)
                fault_point(f"after:{step.name}")
            # the read view is part of the set, so searches never join four tables
            self.store.replace_table(CREATOR_VIEW, self._joined_view())
            tell("publish", None)
            started = time.perf_counter()
            run_id = self.store.publish(wait=self.wait, note=",".join(["engagement", *ran]))
            seconds["publish"] = time.perf_counter() - started
            tell("publish", seconds["publish"])
            fault_point("published")
        n = int(self.store.scalar("SELECT count(*) FROM scorecard"))
        return ScoreReport(n, tier_scheme.name, window, ran, skipped, seconds, run_id)

    def _require_scorecard(self) -> None:
        if self._read_view is None and not self.store.has_table("scorecard"):
            self.score()

    # -- read --------------------------------------------------------------------------------
    def scorecard(self, scheme: str | Path | None = None) -> ir.Table:
        """The scorecard joined with every capability table that exists.

        ``scheme`` re-tiers the rows under another tier scheme on the fly; the percentiles within
        platform × tier stay those of the scheme the workspace was scored with (``tier_scheme``
        says which tiers are shown; ``er_percentile_tier`` is null when the schemes differ).
        """
        self._require_scorecard()
        t = self._creator_view()
        if scheme is not None:
            import ibis

            other = TierScheme.load(scheme)
            same = ibis.literal(other.name) == t.tier_scheme
            t = t.mutate(
                tier=other.expr(t.followers),
                tier_scheme=ibis.literal(other.name),
                er_percentile_tier=ibis.ifelse(same, t.er_percentile_tier, ibis.null("float64")),
            )
        return t

    def _creator_view(self) -> ir.Table:
        """The scorecard joined with the capability tables. Materialised on first read after a
        scoring run (the store drops it whenever a result table changes), so that every search
        reads one table instead of joining four.

        A read-only connection keeps every writer out of the file (DuckDB's lock) until it
        closes, so the view it found stays what it is until this Workspace scores: kept, which
        spares each search three catalog look-ups."""
        if self.store.read_only and self._read_view is not None:
            return self._read_view
        if self.store.has_table(CREATOR_VIEW):
            t = self.store.table(CREATOR_VIEW)
            if self.store.read_only:
                self._read_view = t
            return t
        t = self._joined_view()
        if self.store.read_only:
            self._read_view = t
            return t
        try:
            self.store.replace_table(CREATOR_VIEW, t)
        except duckdb.Error:
            # Another connection (a web worker) is writing it right now: read the live join.
            return t
        return self.store.table(CREATOR_VIEW)

    def _joined_view(self) -> ir.Table:
        t = self.store.table("scorecard")
        for name in CAPABILITY_TABLES:
            if self.store.has_table(name):
                extra = self.store.table(name)
                keep = [c for c in extra.columns if c not in t.columns or c == "creator_id"]
                extra = extra.select(*keep)
                t = t.left_join(extra, t.creator_id == extra.creator_id).drop("creator_id_right")
        return t

    def creators(
        self,
        filters: CreatorFilter | None = None,
        *,
        sort: str = "followers",
        descending: bool = True,
        limit: int | None = None,
        offset: int = 0,
        scheme: str | Path | None = None,
        **kwargs: Any,
    ) -> ir.Table:
        """Scorecard rows matching the filters (keyword arguments are CreatorFilter fields);
        ``scheme`` shows and filters tiers under another tier scheme."""
        f = filters or CreatorFilter(**kwargs)
        t = apply_filters(self.scorecard(scheme), f)
        order = "desc" if descending else "asc"
        check_sort(t, sort, order)
        t = ordered(t, sort, order).drop(SORT_KEY)
        if limit is not None:
            t = t.limit(limit, offset=offset)
        return t

    def search(
        self,
        filter: CreatorFilter | None = None,
        sort: str = "followers",
        order: Order = "desc",
        limit: int | None = 50,
        cursor: str | None = None,
        *,
        columns: Sequence[str] | None = None,
        total: bool = False,
        scheme: str | Path | None = None,
    ) -> Page:
        """One page of the creators matching ``filter``: the listing the CLI, the REST API and
        the dashboard show. Sorted by ``sort`` (one of SORTABLE), nulls last in either
        direction, ties by creator_id; an ER sort lists unrankable ERs after the ranked ones
        (see creatorlens._search). ``cursor`` is a previous page's ``next_cursor``; a cursor
        that is malformed or belongs to another sort is a ``CursorError``. ``limit=None`` is
        every row on one page. ``columns`` picks the columns (default: all); ``total`` also
        counts the matches. Filter values and the cursor are bound as query parameters."""
        t = self.scorecard(scheme)
        if columns is not None:  # a narrower query compiles and runs faster (the view is wide)
            needed = {*columns, *FILTER_COLUMNS, sort, "creator_id", "er_rankable"}
            t = t.select(*[c for c in t.columns if c in needed])
        t = apply_filters(t, self.with_content_matches(filter or CreatorFilter()))
        query = page_query(t, sort, order, limit, cursor, columns)
        count = int(fetch_bound(self.store.ibis, t.count()).as_py()) if total else None
        fetched = fetch_bound(self.store.ibis, query)
        return make_page(fetched, columns, sort, order, limit, count)

    def creator(
        self, handle: str, platform: str | None = None, *, scheme: str | Path | None = None
    ) -> dict[str, Any]:
        """One creator's scorecard row as a dict.

        ``handle`` may be a former handle of the creator (see ``creator_aliases``). When the handle
        exists on several platforms and ``platform`` is not given, ``AmbiguousCreatorError`` lists
        them rather than picking one.
        """
        key = handle.strip().lstrip("@").lower()
        rows = self._creator_rows_sql(key, platform) if scheme is None else None
        if rows is None:
            rows = self._creator_rows_ibis(key, platform, scheme)
        if not rows:
            raise NotFoundError(
                f"no creator with handle {handle!r}" + (f" on {platform}" if platform else "")
            )
        if len(rows) > 1 and platform is None:
            raise AmbiguousCreatorError(handle, rows)
        row = rows[0]
        former = self.store.rows(
            "SELECT handle, last_seen, reason FROM creator_aliases WHERE creator_id = ? "
            "ORDER BY last_seen ASC",
            [row["creator_id"]],
        )
        row["former_handles"] = [
            {"handle": r["handle"], "until": r["last_seen"], "reason": r["reason"]} for r in former
        ]
        return row

    def _creator_rows_sql(self, key: str, platform: str | None) -> list[dict[str, Any]] | None:
        """The creator's rows (at most 10, most followers first) read from the materialised
        creator view as plain SQL: what ``_creator_rows_ibis`` returns, without importing Ibis or
        compiling a query (`creatorlens show` starts faster; BENCHMARKS.md "Start-up"). None when
        the view is not materialised (the Ibis path joins or builds it)."""
        if self.store._staged is not None or not self.store.has_table(CREATOR_VIEW):
            return None
        where = "lower(handle) = ?" + (" AND platform = ?" if platform else "")
        params: list[Any] = [key, platform] if platform else [key]
        query = f"SELECT * FROM {CREATOR_VIEW} WHERE {{}} ORDER BY followers DESC LIMIT 10"
        rows = self.store.rows(query.format(where), params)
        if rows:
            return rows
        # a handle the creator had before it was renamed
        ids = [r["creator_id"] for r in self.store.rows(
            f"SELECT creator_id FROM creator_aliases WHERE {where}", params
        )]  # fmt: skip
        if not ids:
            return []
        return self.store.rows(
            query.format("creator_id IN (SELECT unnest(?::VARCHAR[]))"), [ids]
        )

    def _creator_rows_ibis(
        self, key: str, platform: str | None, scheme: str | Path | None
    ) -> list[dict[str, Any]]:
        import ibis

        t = self.scorecard(scheme)
        q = t.filter(t.handle.lower() == key)
        if platform:
            q = q.filter(q.platform == platform)
        top = q.order_by(ibis.desc(q.followers)).limit(10)
        rows: list[dict[str, Any]] = fetch_bound(self.store.ibis, top).to_pylist()  # handle: user text
        if not rows:  # a handle the creator had before it was renamed
            a = self.store.table("creator_aliases")
            old = a.filter(a.handle.lower() == key)
            if platform:
                old = old.filter(old.platform == platform)
            ids = fetch_bound(self.store.ibis, old.select("creator_id")).column(0).to_pylist()
            if ids:
                q = t.filter(t.creator_id.isin(ids))
                top = q.order_by(ibis.desc(q.followers)).limit(10)
                rows = fetch_bound(self.store.ibis, top).to_pylist()
        return rows

    def _creator_row(self, creator: str | Mapping[str, Any], platform: str | None) -> Mapping[str, Any]:
        """A creator's row: the one given, or the one ``creator()`` finds for a handle."""
        return self.creator(creator, platform) if isinstance(creator, str) else creator

    def posts(self, creator_id: str, limit: int = 100) -> ir.Table:
        import ibis

        p = self.store.table("posts")
        return p.filter(p.creator_id == creator_id).order_by(ibis.desc(p.posted_at)).limit(limit)

    def snapshots(self, creator_id: str) -> ir.Table:
        s = self.store.table("follower_snapshots")
        return s.filter(s.creator_id == creator_id).order_by(s.observed_at)

    def audience(self, creator_id: str) -> ir.Table:
        import ibis

        a = self.store.table("audience")
        return a.filter(a.creator_id == creator_id).order_by([a.dimension, ibis.desc(a.share)])

    def tiers(self, scheme: str | Path = DEFAULT_SCHEME) -> ir.Table:
        """Creators per platform and tier under a scheme (computed from current followers)."""
        tier_scheme = TierScheme.load(scheme)
        c = self.store.table("creators")
        c = c.mutate(tier=tier_scheme.expr(c.followers).fill_null("(below first tier)"))
        out = c.group_by(["platform", "tier"]).aggregate(
            creators=c.count(), median_followers=c.followers.median()
        )
        return out.order_by(["platform", "median_followers"])

    def quarantine(self, file: str | None = None) -> ir.Table:
        q = self.store.table("quarantine")
        if file:
            q = q.filter(q.file.contains(file))
        return q.order_by([q.file, q.row])

    def value_notes(self) -> ir.Table:
        return self.store.table("value_notes")

    def latest_snapshot_at(self) -> datetime | None:
        """When the newest follower count was observed (None without snapshots): the overview's
        freshness, apart from the newest post the scores rest on."""
        if not self.store.has_table("follower_snapshots"):
            return None
        value = self.store.scalar("SELECT max(observed_at) FROM follower_snapshots")
        return value if isinstance(value, datetime) else None

    def ingests(self) -> ir.Table:
        import ibis

        t = self.store.table("ingests")
        return t.order_by(ibis.desc(t.finished_at))

    # -- API keys (the REST API's; only hashes are stored) -----------------------------------
    def create_key(self, name: str) -> tuple[str, str]:
        """A new API key: returns ``(key_id, key)``; the key is shown once, never stored."""
        return create_key(self.store, name)

    def keys(self) -> list[KeyInfo]:
        return list_keys(self.store)

    def revoke_key(self, key_id: str) -> bool:
        """Revoke a key (False when no active key has that id); a server refuses it at once."""
        return revoke_key(self.store, key_id)

    def verify_key(self, presented: str | None) -> bool:
        return verify_key(self.store, presented)

    # -- plan (creatorlens.planner) ------------------------------------------------------------
    def plan(self, brief: Any, **options: Any) -> Any:
        """A campaign plan for a ``creatorlens.planner.Brief``, a mapping of brief fields (the
        REST API's and the planner form's, validated by ``Brief.build``: a BriefError names the
        field and the fix) or a brief TOML path."""
        from creatorlens.planner import Brief, plan, plan_candidates

        if isinstance(brief, Mapping):
            brief = Brief.build(**brief)
        elif not isinstance(brief, Brief):
            brief = Brief.from_toml(brief)
        self._require_scorecard()
        if brief.goal == "word_of_mouth":
            options.setdefault("edges", self.edge_table())
        elif brief.overlap:
            from creatorlens.planner._step import follow_pairs

            # follower lists (follow edges) replace the segment model's overlap for their creators
            options.setdefault("followers", follow_pairs(self.store))
        return plan(plan_candidates(self.store, brief), brief, **options)

    def prices(
        self,
        creator: str | dict[str, Any],
        platform: str | None = None,
        *,
        currency: str = "",
        usd_per_unit: float | None = None,
    ) -> Any:
        """Estimated price range per deliverable with the CPM and cost per engagement it implies
        and its sources: the planner's estimator for one profile (a handle or a scorecard row).
        Currency: given, else the creator's country's (KR -> KRW), else USD."""
        from creatorlens.planner import creator_prices

        row = creator if isinstance(creator, dict) else self.creator(creator, platform)
        return creator_prices(row, currency=currency, usd_per_unit=usd_per_unit)

    def grow(self, handle: str, target: Any, budget: float, **options: Any) -> Any:
        """Growth plan for one creator: follower gain for a promotion budget, segments, partners."""
        from creatorlens.audience import Target
        from creatorlens.planner import grow_from_store

        if isinstance(target, str):
            target = Target.parse(target)
        self._require_scorecard()
        return grow_from_store(self.store, handle, target, budget, **options)

    # -- authenticity ------------------------------------------------------------------------
    def audit(
        self,
        handle: str,
        platform: str | None = None,
        *,
        followers: str | Path | pd.DataFrame | None = None,
    ) -> AuthenticityReport:
        """Authenticity report of one creator (optionally with a follower sample to score)."""
        from creatorlens.authenticity import read_follower_sample
        from creatorlens.authenticity._step import audit_creator

        row = self.creator(handle, platform)
        sample = read_follower_sample(followers) if isinstance(followers, str | Path) else followers
        if sample is not None and isinstance(followers, str | Path):
            from creatorlens.authenticity import FakeAccountClassifier, canonical_profiles
            from creatorlens.authenticity._audience_quality import check_follower_inputs

            # Refuse a file that is not a follower sample here, where its name is known.
            check_follower_inputs(
                canonical_profiles(sample), FakeAccountClassifier.load(), str(followers)
            )
        return audit_creator(self.store, row, sample)

    def add_follower_sample(
        self,
        handle: str,
        source: str | Path | pd.DataFrame,
        platform: str | None = None,
        *,
        observed_at: datetime | None = None,
    ) -> int:
        """Store a follower sample of one creator (the file ``audit --followers`` reads) in
        ``follower_samples``; ``score()`` and ``audit`` then use it. Returns the rows stored."""
        import pandas as pd
        import pyarrow as pa

        from creatorlens.authenticity import read_follower_sample
        from creatorlens.authenticity._io import follower_sample_rows
        from creatorlens.store import FOLLOWER_SAMPLES

        row = self.creator(handle, platform)
        profiles = read_follower_sample(source) if isinstance(source, str | Path) else source
        when = pd.Timestamp(observed_at or datetime.now(UTC).replace(tzinfo=None))
        name = str(source) if isinstance(source, str | Path) else "dataframe"
        rows = follower_sample_rows(profiles, str(row["creator_id"]), when, name)
        self.store.upsert_latest(
            FOLLOWER_SAMPLES, pa.Table.from_pandas(rows, preserve_index=False)
        )
        return len(rows)

    def audit_followers(
        self, path_or_dataframe: str | Path | pd.DataFrame, platform: str | None = None
    ) -> FollowerAudit:
        """Fake / mass-follower / inactive shares of a follower sample, with intervals."""
        from creatorlens.authenticity import audit_follower_sample, read_follower_sample

        if isinstance(path_or_dataframe, str | Path):
            sample, source = read_follower_sample(path_or_dataframe), str(path_or_dataframe)
        else:
            sample, source = path_or_dataframe, "follower sample"
        return audit_follower_sample(sample, platform=platform, source=source)

    # -- disclosure (creatorlens.content) ----------------------------------------------------
    def audit_disclosure(
        self,
        handle: str | None = None,
        jurisdictions: Sequence[str] = ("us", "kr", "uk"),
        platform: str | None = None,
    ) -> DisclosureAudit:
        """Sponsorship-disclosure verdicts and transparency of one creator (or of every creator)."""
        from creatorlens.content._disclosure_step import audit_disclosure

        creator_id = None if handle is None else str(self.creator(handle, platform)["creator_id"])
        return audit_disclosure(self.store, creator_id, jurisdictions)

    # -- demo (creatorlens.demo) -------------------------------------------------------------
    def demo(
        self,
        *,
        seed: int = 7,
        creators: int = 20_000,
        posts_per_creator: int = 30,
        score: bool = True,
        on_step: StepProgress | None = None,
    ) -> tuple[DemoData, ScoreReport | None]:
        """Fill the workspace with the deterministic demo data and its ground truth, then score."""
        from creatorlens.demo import generate_demo, write_demo

        data = generate_demo(seed, creators, posts_per_creator)
        write_demo(self.store, data)
        return data, (self.score(on_step=on_step) if score else None)

    # -- word of mouth and audience overlap at scale (issue 15 sections 3-4) --------------------
    def edge_table(self) -> pd.DataFrame | None:
        """The workspace's interaction edges (source, target, kind, weight, ...), or None before
        any edges were ingested; the word_of_mouth goal plans on them. Read as plain SQL (the
        same frame as ``Store.frame``, compared on the demo): a plan need not import Ibis."""
        if not self.store.has_table("edges"):
            return None
        frame: pd.DataFrame = self.store.arrow(f"SELECT * FROM {self.store.sql_name('edges')}").to_pandas()
        return frame

    def overlap(self, handles: Sequence[str], platform: str | None = None) -> Any:
        """Audience overlap of up to 100 creators (``AudienceOverlap``): exact from follower
        samples, Theta sketches for large follower lists (follower samples and ``follow`` edges).
        A creator without any follower data is an error naming it (no made-up overlap)."""
        from creatorlens.audience import audience_overlap
        from creatorlens.audience._overlap_scale import follower_lists

        rows = [self.creator(h, platform) for h in handles]
        keys = {str(r["creator_id"]): (str(r["creator_id"]), str(r["handle"])) for r in rows}
        lists = follower_lists(
            keys,
            self.store.frame("follower_samples", ["creator_id", "handle"]),
            self.edge_table(),
        )
        empty = [f"@{keys[c][1]}" for c, ids in lists.items() if not ids]
        if empty:
            raise NotFoundError(
                f"no follower sample or follower list for {', '.join(empty)}: store a follower "
                "sample (Workspace.add_follower_sample) or ingest follow edges for them"
            )
        return audience_overlap(lists)

    # -- brands, brand safety, contacts (issue 14 sections 3-5; docs/brands.md) --------------
    def brand_book(self, book: str | Path | None = None) -> BrandBook:
        """The user's brand file (TOML or CSV): ``book``, else the file named by the environment
        variable CREATORLENS_BRANDS, else none (brands are then what the data shows)."""
        import os

        from creatorlens.content.brands import BrandBook, BrandBookError

        path = book if book is not None else os.environ.get("CREATORLENS_BRANDS") or None
        if path is None:
            return BrandBook()
        try:
            text = Path(path).read_text("utf-8")
        except OSError as exc:
            raise BrandBookError(f"brand file {str(path)!r}: {exc.strerror or exc}") from exc
        return BrandBook.parse(text, str(path))

    def brand_mentions(self, book: str | Path | BrandBook | None = None) -> pd.DataFrame:
        """Every brand mention (one row per post x brand; content.brands.MENTION_COLUMNS)."""
        from creatorlens.content._brand_safety_step import resolved_mentions
        from creatorlens.content.brands import BrandBook

        resolved = book if isinstance(book, BrandBook) else self.brand_book(book)
        return resolved_mentions(self.store, resolved)

    def brands(
        self,
        book: str | Path | BrandBook | None = None,
        names: Sequence[str] | None = None,
        jurisdictions: Sequence[str] = ("us", "kr", "uk"),
    ) -> pd.DataFrame:
        """One row per brand (content.brands.brand_summary), most posts first; ``names`` keeps
        those brands (share of voice is then among them). An unknown name is a NotFoundError."""
        from creatorlens.content._brand_safety_step import brand_posts_frame, brand_verdicts
        from creatorlens.content.brands import brand_summary, normalise

        mentions = self.brand_mentions(book)
        if names is not None:
            known = {normalise(b): b for b in mentions["brand"].unique()}
            missing = [n for n in names if normalise(n) not in known]
            if missing:
                raise NotFoundError(
                    f"no brand {', '.join(map(repr, missing))} in this workspace's posts"
                    + (f" (brands found: {', '.join(sorted(known.values())[:10])})" if known else "")
                )
            keep = [known[normalise(n)] for n in names]
            mentions = mentions[mentions["brand"].isin(keep)]
        ids = mentions["post_id"].unique().tolist()
        summary = brand_summary(
            mentions,
            brand_posts_frame(self.store, ids),
            brand_verdicts(self.store, ids),
            jurisdictions,
        )
        if names is not None:
            order = {b: i for i, b in enumerate(keep)}
            return summary.sort_values("brand", key=lambda s: s.map(order), ignore_index=True)
        return summary.sort_values(["posts", "brand"], ascending=[False, True], ignore_index=True)

    def brand(
        self,
        name: str,
        competitors: Sequence[str] = (),
        book: str | Path | BrandBook | None = None,
        top: int = 10,
    ) -> dict[str, Any]:
        """A brand and its competitors side by side: their summary rows (share of voice among
        them), and per brand its creators with posts and sponsored posts, most sponsored first
        (content.brands.brand_creators)."""
        from creatorlens.content.brands import BrandBook, brand_creators

        resolved = book if isinstance(book, BrandBook) else self.brand_book(book)
        names = [name, *[c for c in competitors if c.strip()]]
        summary = self.brands(resolved, names)
        mentions = self.brand_mentions(resolved)
        mentions = mentions[mentions["brand"].isin(summary["brand"])]
        creators = self.store.table("creators").select("creator_id", "handle", "platform", "followers")
        people = creators.filter(creators.creator_id.isin(mentions["creator_id"].unique().tolist()))
        return {"brands": summary, "creators": brand_creators(mentions, people.to_pandas(), top)}

    def creator_brands(
        self,
        handle: str | Mapping[str, Any],
        platform: str | None = None,
        book: str | Path | BrandBook | None = None,
    ) -> list[dict[str, Any]]:
        """The brands one creator posted about ("past sponsors" when sponsored), with dates and
        links to the posts (content.brands.creator_brands). ``handle`` may be the creator's row
        (``creator()``), which saves looking it up again."""
        from creatorlens.content._brand_safety_step import post_links, resolved_mentions
        from creatorlens.content.brands import BrandBook, creator_brands

        creator_id = str(self._creator_row(handle, platform)["creator_id"])
        resolved = book if isinstance(book, BrandBook) else self.brand_book(book)
        mentions = resolved_mentions(self.store, resolved, [creator_id])
        links = post_links(self.store, mentions["post_id"].unique().tolist())
        return creator_brands(mentions, links)

    def safety(
        self,
        handle: str,
        platform: str | None = None,
        *,
        keywords: Mapping[str, Sequence[str]] | Sequence[str] | None = None,
        limit: int = 50,
    ) -> dict[str, Any]:
        """Brand safety of one creator: the scores row (share of flagged posts per category with
        its interval, the safety score) and the flagged posts with the matched terms. With
        ``keywords`` (a user list, as ``{category: [terms]}`` or plain terms = ``custom``) the
        creator's posts are screened now with the lexicon plus them."""
        from creatorlens.content._brand_safety_step import post_links, screen_store
        from creatorlens.content.safety import SafetyMatcher, default_lexicon

        creator_id = str(self.creator(handle, platform)["creator_id"])
        if keywords is None and self.store.has_table("safety_scores"):
            s = self.store.table("safety_scores")
            scores = s.filter(s.creator_id == creator_id).to_pandas()
            f = self.store.table("safety_flags")
            flags = f.filter(f.creator_id == creator_id).to_pandas()
        else:
            lexicon = default_lexicon()
            if keywords is not None:
                lexicon = lexicon.with_keywords(keywords)
            flags, scores = screen_store(self.store, SafetyMatcher(lexicon), [creator_id])
        p = self.store.table("posts")
        ids = flags["post_id"].unique().tolist()
        texts = p.filter(p.post_id.isin(ids)).select("post_id", "posted_at", "caption").to_pandas()
        links = post_links(self.store, ids)
        flagged = flags.merge(texts, on="post_id", how="left").sort_values(
            ["posted_at", "post_id"], ascending=[False, True]
        )
        posts = [
            {
                "post_id": str(r.post_id), "posted_at": str(r.posted_at)[:10], "source": str(r.source),
                "category": str(r.category), "terms": str(r.terms),
                "caption": None if not isinstance(r.caption, str) else r.caption[:280],
                "url": links.get(r.post_id),
            }
            for r in flagged.head(limit).itertuples(index=False)
        ]  # fmt: skip
        row = scores.replace({float("nan"): None}).to_dict("records")
        return {"scores": row[0] if row else None, "flagged": posts}

    def contacts(self, handle: str | Mapping[str, Any], platform: str | None = None) -> list[dict[str, str]]:
        """Public contact details in the creator's bio and profile fields; never guessed.
        ``handle`` may be the creator's row (``creator()``)."""
        from creatorlens.content.contacts import contacts_of

        row = self._creator_row(handle, platform)
        extra = self.store.rows("SELECT extra FROM creators WHERE creator_id = ?", [row["creator_id"]])
        return [x.as_dict() for x in contacts_of(row.get("bio"), extra[0]["extra"] if extra else None)]

    def contact_table(self) -> pd.DataFrame:
        """One row per creator x contact found (platform, handle, kind, value, source): the
        export of `creatorlens contacts`."""
        import pandas as pd

        from creatorlens.content.contacts import contacts_of

        c = self.store.table("creators")
        frame = c.filter(c.bio.notnull() | c.extra.notnull()).select(
            "platform", "handle", "bio", "extra"
        ).to_pandas()
        rows = [
            {"platform": r.platform, "handle": r.handle, **x.as_dict()}
            for r in frame.itertuples(index=False)
            for x in contacts_of(r.bio, r.extra)
        ]
        return pd.DataFrame(rows, columns=["platform", "handle", "kind", "value", "source"])
    # -- collectors (creatorlens.ingest.collect; issue 13) ------------------------------------
    def fetch(self, spec: Any, **options: Any) -> Any:
        """Fetch from an official API (a ``creatorlens.ingest.collect.FetchSpec``), archive every
        raw response beside the workspace file and ingest it; returns a ``FetchReport``.
        ``options``: resume, base_url, budget, credentials, clock, sleep, rng, retry."""
        from creatorlens.ingest.collect import fetch

        return fetch(self.store, self.path, spec, **options)

    def fetch_plan(self, spec: Any, *, budget: int | None = None) -> Any:
        """The calls ``fetch`` would make and their quota cost (``--dry-run``); calls nothing."""
        from creatorlens.ingest.collect import plan

        return plan(spec, db_path=self.path, budget=budget)

    def ingest_archive(self, archive: str | Path) -> Any:
        """Replay an archive of raw responses (``NAME.archive/``) through the payload adapters."""
        from creatorlens.ingest.collect import ingest_archive

        return ingest_archive(self.store, archive)
    # -- discovery: content search and lookalikes (creatorlens.discovery; docs/search.md) ----
    def text_index(self) -> TextIndex:
        """The workspace's full-text index (opened once; built by the first update)."""
        from creatorlens.store._text_index import TextIndex, index_folder

        if self._text_index is None:
            self._text_index = TextIndex(index_folder(self.store.path))
        return self._text_index

    def update_text_index(self, *, full: bool = False) -> IndexUpdate:
        """Index the posts and bios that are new or changed since the last update (``full``:
        every document again, after deleting the index)."""
        from creatorlens.discovery._index_step import update_index
        from creatorlens.store._text_index import TextIndex, index_folder

        if full:
            folder = index_folder(self.store.path)
            if folder is not None:
                import shutil

                shutil.rmtree(folder, ignore_errors=True)
            self._text_index = TextIndex(folder)
        self.last_text_index_update = update_index(self.store, self.text_index(), force=full)
        return self.last_text_index_update

    def _data_version(self) -> tuple[Any, ...]:
        """Changes whenever an ingest or a scoring run changed the workspace (what derived,
        cached models are keyed on)."""
        parts: list[Any] = []
        for table, stamp in (("ingests", "finished_at"), ("score_runs", "published_at")):
            if self.store.has_table(table):
                parts.extend(self.store.exec(f"SELECT count(*), max({stamp}) FROM {table}")[0])
            else:
                parts.extend((0, None))
        return tuple(parts)

    def similar(
        self, handle: str, platform: str | None = None, *, limit: int = 20
    ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Lookalikes of one creator: similar content (topic mix, hashtag and bio terms),
        similar audience where both breakdowns are known, within a comparable size band
        (data/discovery.toml [similar]); each with its scores and what the two share. Returns
        the seed's row and the lookalikes, best first."""
        from dataclasses import asdict

        from creatorlens.discovery._lookalike import LookalikeModel
        from creatorlens.discovery._profiles import workspace_profiles

        seed = self.creator(handle, platform)
        view = self.scorecard()
        # Building every creator's profile is most of the cost (1.8 s of 2 s on a 2,000-creator
        # demo): the model is fitted once per data version, not per request.
        version = self._data_version()
        if self._lookalikes is None or self._lookalikes[0] != version:
            self._lookalikes = (version, LookalikeModel(workspace_profiles(self.store, view)))
        found = self._lookalikes[1].similar(str(seed["creator_id"]), limit)
        cols = [c for c in ("creator_id", "platform", "handle", "display_name", "followers",
                            "tier", "country", "main_niche") if c in view.columns]  # fmt: skip
        ids = [f.creator_id for f in found]
        rows = {
            r["creator_id"]: r
            for r in fetch_bound(self.store.ibis, view.filter(view.creator_id.isin(ids)).select(*cols))
            .to_pylist()
        } if ids else {}  # fmt: skip
        return seed, [{**rows.get(f.creator_id, {}), **asdict(f)} for f in found]

    def _update_text_index_if_built(self) -> None:
        """After an ingest: bring an index that exists up to date (a workspace never searched
        builds its index on the first search instead)."""
        from creatorlens.store._text_index import index_folder

        folder = index_folder(self.store.path)
        if self._text_index is not None or (folder is not None and folder.exists()):
            self.update_text_index()
        self._update_embeddings_if_built()

    def content_search(
        self, query: str, filter: CreatorFilter | None = None, *, limit: int = 20, mode: str = "text"
    ) -> ContentSearch:
        """Creators whose posts (captions, hashtags, titles) and bios match ``query``, best first,
        with the matching posts as evidence, among the creators ``filter`` keeps. The index is
        brought up to date first when an ingest changed the workspace. ``mode``: ``text``
        (full-text), ``semantic`` (sentence embeddings; the ``semantic`` extra) or ``hybrid``
        (both, fused by reciprocal rank; docs/search.md "Semantic search")."""
        from creatorlens.discovery import Query
        from creatorlens.discovery._service import search_content

        if mode != "text":
            return self._semantic_content_search(query, filter, limit=limit, mode=mode)
        index = self.text_index()
        # another process writing the index right now (tantivy's lock): search what it holds
        with contextlib.suppress(OSError, ValueError):
            self.update_text_index()
        view = self.scorecard()
        creator_ids = None
        if filter is not None and filter != CreatorFilter():
            kept = apply_filters(view, filter).select("creator_id")
            creator_ids = fetch_bound(self.store.ibis, kept).column(0).to_pylist()
        return search_content(
            self.store, index, view, Query.parse(query), creator_ids=creator_ids, limit=limit
        )

    # -- communities (creatorlens.communities; issue 15, docs/communities.md) -----------------
    def _require_communities(self, score_missing: bool) -> None:
        """A workspace scored before the graph step existed gets it on first read (unless
        ``score_missing`` is False: a server answers from what is published)."""
        if score_missing and not self.store.has_table("communities"):
            self.score()

    def communities(self, *, score_missing: bool = True) -> ir.Table:
        """One row per community of the interaction graph (table ``communities``), largest first;
        empty when the workspace holds no edges, comments or mentions (or, with
        ``score_missing=False``, when no scoring run has computed them yet)."""
        from creatorlens.store import COMMUNITIES

        self._require_communities(score_missing)
        if not self.store.has_table("communities"):
            import ibis

            return ibis.memtable(COMMUNITIES.empty())
        return self.store.table("communities")

    def community_members(
        self, community: str, limit: int = 100, *, score_missing: bool = True
    ) -> ir.Table:
        """The creators of one community, best local leader first (``graph_features`` with the
        handle and platform). NotFoundError for an unknown community."""
        table = self.communities(score_missing=score_missing)
        found = table.filter(table.community == community).count().execute()
        if not found:
            raise NotFoundError(f"no community {community!r}; `creatorlens communities` lists them")
        features = self.store.table("graph_features")
        card = self.store.table("scorecard").select("creator_id", "handle", "platform", "followers")
        members = features.filter(features.community == community)
        joined = members.left_join(card, members.creator_id == card.creator_id).drop("creator_id_right")
        import ibis

        return joined.order_by([ibis.desc("leader_score"), "creator_id"]).limit(limit)

    def creator_community(
        self,
        handle: str,
        platform: str | None = None,
        members: int = 5,
        *,
        score_missing: bool = True,
    ) -> dict[str, Any] | None:
        """A creator's graph features and community: its row of ``graph_features``, its
        community's row and the community's best local leaders; None when the creator is not in
        the interaction graph."""
        cid = str(self.creator(handle, platform)["creator_id"])
        self._require_communities(score_missing)
        if not self.store.has_table("graph_features"):
            return None
        features = self.store.table("graph_features")
        rows = features.filter(features.creator_id == cid).to_pyarrow().to_pylist()
        if not rows:
            return None
        label = str(rows[0]["community"])
        table = self.communities(score_missing=False)
        summary = table.filter(table.community == label).to_pyarrow().to_pylist()
        leaders = self.community_members(label, members, score_missing=False).to_pyarrow().to_pylist()
        return {"features": rows[0], "community": summary[0] if summary else None, "leaders": leaders}

    # -- the dashboard's creators list (issue 17): numbered pages ------------------------------
    def search_at(
        self,
        filter: CreatorFilter | None = None,
        sort: str = "followers",
        order: Order = "desc",
        limit: int | None = 50,
        offset: int = 0,
        *,
        columns: Sequence[str] | None = None,
        scheme: str | Path | None = None,
    ) -> Page:
        """The page of ``search`` that starts ``offset`` rows into the listing, with the total:
        the same filters (``apply_filters``) and order (``page_query``) as ``search``, counted in
        rows rather than continued from a cursor, so that a page can say "51–100 of 1,234" and
        link back. ``limit=None`` is every row from ``offset`` on (an export)."""
        if offset < 0 or (limit is not None and limit < 1):
            raise OptionError(f"offset {offset} / limit {limit}: offset at least 0, limit at least 1")
        t = self.scorecard(scheme)
        if columns is not None:  # a narrower query compiles and runs faster (the view is wide)
            needed = {*columns, *FILTER_COLUMNS, sort, "creator_id", "er_rankable"}
            t = t.select(*[c for c in t.columns if c in needed])
        t = apply_filters(t, self.with_content_matches(filter or CreatorFilter()))
        query = page_query(t, sort, order, None, None, columns)
        if limit is not None or offset:
            query = query.limit(None if limit is None else limit + 1, offset=offset)
        count = int(fetch_bound(self.store.ibis, t.count()).as_py())
        fetched = fetch_bound(self.store.ibis, query)
        return make_page(fetched, columns, sort, order, limit, count)

    # -- watch and follower history (creatorlens.ingest.collect, metrics._history; issue 13) --
    def watch(self, watch_list: Any, **options: Any) -> Any:
        """Run the due fetches of a watch list (a TOML path or a ``WatchList``); returns a
        ``WatchReport``. ``options``: loop, runs, on_report, base_urls, credentials, clock, sleep,
        rng, retry (docs/collectors.md, "Watch")."""
        from creatorlens.ingest.collect import watch

        return watch(self.store, self.path, watch_list, **options)

    def follower_history(self, creator_id: str) -> Any:
        """The creator's daily follower series with its 1/7/30-day gains and projections
        (a ``metrics.History``, Social Blade-style)."""
        from creatorlens.metrics import follower_history

        snaps = self.snapshots(creator_id).select("observed_at", "followers").to_pyarrow().to_pylist()
        return follower_history((s["observed_at"], s["followers"]) for s in snaps)

    def view_history(self, creator_id: str) -> Any:
        """The creator's daily series of its account's lifetime total views (YouTube
        ``statistics.viewCount``) with its 1/7/30-day gains and projections (a ``metrics.History``;
        its ``daily`` is empty when no snapshot knows the views: Instagram, TikTok)."""
        from creatorlens.metrics import count_history

        snaps = self.snapshots(creator_id).select("observed_at", "views").to_pyarrow().to_pylist()
        return count_history((s["observed_at"], s["views"]) for s in snaps)

    # -- the creators list's search box over content (issue 17, docs/search.md) ----------------
    def has_content_index(self) -> bool:
        """Whether the workspace has a content index with documents (built by the first
        ``content_search`` or ``update_text_index``); asking never builds one."""
        from creatorlens.store._text_index import index_folder

        if self._text_index is None:
            folder = index_folder(str(self.store.path))
            if folder is None or not (folder / "state.parquet").exists():
                return False
        return self.text_index().documents > 0

    def with_content_matches(self, filter: CreatorFilter) -> CreatorFilter:
        """``filter`` with ``content_matches`` filled from the content index when it has a
        ``search`` and the workspace has an index: the creators whose posts (captions, hashtags,
        titles) or bio contain every word of the search (discovery terms: Korean tokenised,
        hashtags split), as the list's search box finds them. Reads the index as it is (a
        listing never writes; ingest keeps it current)."""
        if not filter.search or filter.content_matches is not None or not self.has_content_index():
            return filter
        from dataclasses import replace

        from creatorlens.discovery import Query, SearchSettings

        query = Query.parse(filter.search)
        if query.empty:
            return replace(filter, content_matches=())
        raw = self.text_index().search(
            query.terms, limit=SearchSettings.load().list_match_docs, every_term=True
        )
        return replace(filter, content_matches=tuple(dict.fromkeys(c for c in raw.creator_ids if c)))

    # -- semantic search (the `semantic` extra; docs/search.md "Semantic search") -------------
    def vector_store(self) -> VectorStore:
        """The post and bio embeddings stored beside the workspace (opened once; filled by the
        first semantic search). MissingExtraError without the ``semantic`` extra."""
        from creatorlens.discovery._semantic import SemanticSettings, load_encoder
        from creatorlens.store._vector_store import open_vector_store, vectors_folder

        folder = vectors_folder(self.store.path)
        if self._vectors is None or folder is not None:  # on disk: shared, re-read when stale
            encoder, s = load_encoder(), SemanticSettings.load()
            # what decides a vector: another model or other text settings re-embed everything
            name = f"{encoder.name}; max_chars={s.max_chars}; min_letters={s.min_letters}"
            self._vectors = open_vector_store(folder, encoder=name, dim=encoder.dim)
        return self._vectors

    def update_embeddings(self, *, full: bool = False) -> EmbeddingUpdate:
        """Embed the posts and bios that are new or changed since the last update (``full``:
        every document again). MissingExtraError without the ``semantic`` extra."""
        from creatorlens.discovery._semantic import load_encoder
        from creatorlens.discovery._semantic_service import update_embeddings
        from creatorlens.store._vector_store import vectors_folder

        encoder = load_encoder()
        if full:
            folder = vectors_folder(self.store.path)
            if folder is not None:
                import shutil

                shutil.rmtree(folder, ignore_errors=True)
            self._vectors = None
        return update_embeddings(self.store, self.vector_store(), encoder, force=full)

    def _update_embeddings_if_built(self) -> None:
        """After an ingest: embed the new and changed documents of a workspace that has
        embeddings (one never searched semantically embeds nothing; without the extra, the next
        semantic search says what to install)."""
        from creatorlens.discovery._semantic import extra_installed
        from creatorlens.store._vector_store import vectors_folder

        folder = vectors_folder(self.store.path)
        built = self._vectors is not None or (folder is not None and folder.exists())
        if built and extra_installed():
            self.update_embeddings()

    def _semantic_content_search(
        self, query: str, filter: CreatorFilter | None, *, limit: int, mode: str
    ) -> ContentSearch:
        from creatorlens.discovery._semantic import MODES, SemanticSettings, load_encoder
        from creatorlens.discovery._semantic_service import fuse, search_semantic

        if mode not in MODES:
            raise OptionError(f"search mode {mode!r}: choose one of {', '.join(MODES)}")
        encoder = load_encoder()  # MissingExtraError (a UserError) without the extra
        vectors = self.vector_store()
        with contextlib.suppress(OSError):  # a folder another process is writing: as it is
            self.update_embeddings()
        view = self.scorecard()
        creator_ids = None
        if filter is not None and filter != CreatorFilter():
            kept = apply_filters(view, filter).select("creator_id")
            creator_ids = fetch_bound(self.store.ibis, kept).column(0).to_pylist()
        settings = SemanticSettings.load()
        depth = limit if mode == "semantic" else max(limit, settings.fusion_depth)
        semantic = search_semantic(
            self.store, vectors, encoder, view, query, creator_ids=creator_ids, limit=depth
        )
        if mode == "semantic":
            return semantic
        text = self.content_search(query, filter, limit=depth)
        return fuse(text, semantic, limit=limit)


#: Every column ``apply_filters`` may read (tests/test_search.py checks it against a full filter).
FILTER_COLUMNS = (
    "platform", "tier", "followers", "er_followers_lc_median", "er_followers_lc_mean", "n_posts",
    "country", "categories", "handle", "display_name", "bio", "main_niche", "focus",
    "transparency_us", "audience_quality", "language",
)  # fmt: skip


def _search_condition(t: ir.Table, f: CreatorFilter) -> ir.Value | None:
    """The search box: handle, name or bio text, or a content match (``content_matches``)."""
    if f.search:
        needle = f.search.lower()
        match = t.handle.lower().contains(needle) | t.display_name.lower().fill_null("").contains(needle)
        if "bio" in t.columns:  # scorecards written before bio joined the scorecard lack it
            match = match | t.bio.lower().fill_null("").contains(needle)
        if f.content_matches:
            match = match | t.creator_id.isin(list(f.content_matches))
        return match
    if f.content_matches is not None:
        return t.creator_id.isin(list(f.content_matches))
    return None


def apply_filters(t: ir.Table, f: CreatorFilter) -> ir.Table:
    """The filter logic every interface shares. Values are bound as literals, never as SQL text."""
    cols = set(t.columns)
    conditions = []
    if f.platform:
        conditions.append(t.platform == f.platform.lower())
    if f.tier:
        conditions.append(t.tier == f.tier.lower())
    if f.min_followers is not None:
        conditions.append(t.followers >= f.min_followers)
    if f.max_followers is not None:
        conditions.append(t.followers < f.max_followers)
    from creatorlens.metrics import headline_er

    er = headline_er(t)
    if f.min_er is not None:
        conditions.append(er >= f.min_er)
    if f.max_er is not None:
        conditions.append(er <= f.max_er)
    if f.min_posts is not None:
        conditions.append(t.n_posts >= f.min_posts)
    if f.country:
        conditions.append(t.country.upper().isin([c.strip().upper() for c in f.country.split(",")]))
    if f.category:
        conditions.append(t.categories.lower().contains(f.category.lower()))
    searched = _search_condition(t, f)
    if searched is not None:
        conditions.append(searched)
    optional: list[tuple[str, str, Callable[[Any, Any], Any]]] = [
        ("niche", "main_niche", lambda c, v: c == v),
        ("min_focus", "focus", lambda c, v: c >= v),
        ("transparency_below", "transparency_us", lambda c, v: c < v),
        ("min_quality", "audience_quality", lambda c, v: c >= v),
        # scorecards written before language joined the scorecard lack it
        ("language", "language", lambda c, v: c.lower().isin([x.strip().lower() for x in v.split(",")])),
    ]
    for attr, column, make in optional:
        value = getattr(f, attr)
        if value is None:
            continue
        if column not in cols:
            raise OptionError(
                f"filter {attr.replace('_', '-')} needs {column!r}, which this workspace has not "
                "computed; run `creatorlens score` first"
            )
        conditions.append(make(t[column], value))
    return t.filter(*conditions) if conditions else t


def open(path: str | Path = DEFAULT_PATH, *, read_only: bool = False) -> Workspace:
    """Open (or create) a workspace."""
    return Workspace(path, read_only=read_only)
