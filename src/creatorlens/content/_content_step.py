"""Store step: niche, expertise, audience homogeneity and closeness -> ``content_scores``.

Reads posts, creators, audience, comments (and the scorecard when present) through the store,
calls the pure functions of this package and writes two derived tables:

- ``post_topics``: post_id, topic, confidence, evidence, feed_only, taxonomy_version
- ``content_scores``: one row per creator (columns: CONTENT_SCORE_COLUMNS, docs/content.md)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa

from creatorlens.content._closeness import closeness
from creatorlens.content._homogeneity import audience_homogeneity
from creatorlens.content.topics import Taxonomy, TopicClassifier, classify_posts, creator_niches

if TYPE_CHECKING:
    from creatorlens.store import Store

__all__ = ["CONTENT_SCORE_COLUMNS", "content_scores_frame", "score_content"]

_POST_COLUMNS = (
    "post_id",
    "creator_id",
    "posted_at",
    "caption",
    "title",
    "hashtags",
    "likes",
    "comments",
)
#: The columns of every post an incremental run reads (the changed posts' text comes apart).
_COUNT_COLUMNS = ("post_id", "creator_id", "posted_at", "likes", "comments")
_CREATOR_COLUMNS = (
    "creator_id",
    "platform",
    "handle",
    "bio",
    "categories",
    "country",
    "followers",
    "extra",
)

#: Column order of the ``content_scores`` table.
CONTENT_SCORE_COLUMNS: dict[str, pa.DataType] = {
    "creator_id": pa.string(),
    "main_niche": pa.string(),
    "niche_source": pa.string(),
    "niche_share": pa.float64(),
    "focus": pa.float64(),
    "consistency": pa.float64(),
    "consistency_windows": pa.int64(),
    "expertise": pa.float64(),
    "expertise_components": pa.int64(),
    "niche_depth": pa.float64(),
    "niche_er_percentile": pa.float64(),
    "n_topical_posts": pa.int64(),
    "topic_mix": pa.string(),
    "topic_evidence": pa.string(),
    "homogeneity_overall": pa.float64(),
    "homogeneity_dimensions": pa.int64(),
    "homogeneity_age": pa.float64(),
    "homogeneity_gender": pa.float64(),
    "homogeneity_country": pa.float64(),
    "homogeneity_city": pa.float64(),
    "homogeneity_language": pa.float64(),
    "homogeneity_interest": pa.float64(),
    "audience_local_share": pa.float64(),
    "audience_local_city_share": pa.float64(),
    "comments_per_1k_followers": pa.float64(),
    "reply_share": pa.float64(),
    "conversation_depth": pa.float64(),
    "repeat_commenter_share": pa.float64(),
    "n_comments": pa.int64(),
    "closeness": pa.float64(),
    "closeness_components": pa.int64(),
    "taxonomy_version": pa.string(),
}


def _read(store: Store, name: str, columns: tuple[str, ...] | None = None) -> pd.DataFrame | None:
    return store.frame(name, columns)


def _city_from_extra(creators: pd.DataFrame) -> pd.Series:
    import json

    def city(extra: object) -> object:
        if not isinstance(extra, str) or not extra.startswith("{"):
            return None
        try:
            return json.loads(extra).get("city")
        except (ValueError, AttributeError):
            return None

    return (
        creators["extra"].map(city)
        if "extra" in creators.columns
        else pd.Series(None, index=creators.index)
    )


def content_scores_frame(
    posts: pd.DataFrame,
    creators: pd.DataFrame,
    audience: pd.DataFrame | None = None,
    comments: pd.DataFrame | None = None,
    scorecard: pd.DataFrame | None = None,
    *,
    classifier: TopicClassifier | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pure core of the step: (content_scores, post_topics) as DataFrames."""
    clf = classifier if classifier is not None else TopicClassifier().fit()
    version = Taxonomy.load(clf.taxonomy).version
    creators = creators.copy()
    if "city" not in creators.columns:
        creators["city"] = _city_from_extra(creators)
    post_topics = classify_posts(posts, creators, clf)
    out = _creator_scores(post_topics, posts, creators, audience, comments, scorecard, clf, version)
    topics = post_topics[["post_id", "topic", "confidence", "evidence", "feed_only"]].copy()
    topics["taxonomy_version"] = version
    return out, topics


def _creator_scores(
    post_topics: pd.DataFrame,
    posts: pd.DataFrame,
    creators: pd.DataFrame,
    audience: pd.DataFrame | None,
    comments: pd.DataFrame | None,
    scorecard: pd.DataFrame | None,
    clf: TopicClassifier,
    version: str,
) -> pd.DataFrame:
    """The per-creator half of the step, from every post's classification (``classify_posts``
    output) and creators with their ``city``."""
    niches = creator_niches(post_topics, creators, scorecard, taxonomy=clf.taxonomy, classifier=clf)
    niches = niches.rename(
        columns={"depth": "niche_depth", "peer_er_percentile": "niche_er_percentile"}
    )
    homogeneity = audience_homogeneity(
        audience if audience is not None else pd.DataFrame(), creators
    )
    close = closeness(posts, creators, comments)
    out = creators[["creator_id"]].merge(niches, on="creator_id", how="left")
    if not homogeneity.empty:
        out = out.merge(homogeneity, on="creator_id", how="left")
    out = out.merge(close, on="creator_id", how="left")
    out["taxonomy_version"] = version
    for column in CONTENT_SCORE_COLUMNS:
        if column not in out.columns:
            out[column] = None
    return out[list(CONTENT_SCORE_COLUMNS)]


def _to_arrow(frame: pd.DataFrame, types: dict[str, pa.DataType]) -> pa.Table:
    def clean(value: object, typ: pa.DataType) -> object:
        if (
            value is None
            or (isinstance(value, float) and value != value)
            or value is pd.NaT
            or value is pd.NA
        ):
            return None
        if pa.types.is_integer(typ):
            return int(value)  # type: ignore[call-overload]
        if pa.types.is_floating(typ):
            return float(value)  # type: ignore[arg-type]
        if pa.types.is_boolean(typ):
            return bool(value)
        return str(value)

    def convert(values: pd.Series, typ: pa.DataType) -> pa.Array:
        # Fast paths where Arrow's own conversion gives what ``clean`` gives value by value:
        # float columns (NaN -> null) and string/bool columns that hold only str/bool and nulls.
        if pa.types.is_floating(typ) and values.dtype.kind == "f":
            return pa.array(values.to_numpy(), type=typ, from_pandas=True)
        if values.dtype == object:
            kind = pd.api.types.infer_dtype(values, skipna=True)
            if (pa.types.is_string(typ) and kind in ("string", "empty")) or (
                pa.types.is_boolean(typ) and kind == "boolean"
            ):
                return pa.array(values, type=typ, from_pandas=True)
        if pa.types.is_boolean(typ) and values.dtype == bool:
            return pa.array(values.to_numpy(), type=typ)
        return pa.array([clean(v, typ) for v in values], type=typ)

    arrays = [convert(frame[name], typ) for name, typ in types.items()]
    return pa.Table.from_arrays(arrays, names=list(types))


_TOPIC_TYPES: dict[str, pa.DataType] = {
    "post_id": pa.string(),
    "topic": pa.string(),
    "confidence": pa.float64(),
    "evidence": pa.string(),
    "feed_only": pa.bool_(),
    "taxonomy_version": pa.string(),
}

#: What a post's topic depends on besides its own text (store/_incremental.py): the taxonomy
#: files and the classifier's code (with the Latin folding table it builds on).
_RULE_FILES = ("topics/taxonomy.toml", "topics/label_map.toml", "topics/content_scores.toml")
_RULE_MODULES = ("creatorlens.content.topics", "creatorlens.content._fold")


def _inputs(store: Store) -> tuple[pd.DataFrame, pd.DataFrame | None, pd.DataFrame | None,
                                   pd.DataFrame | None] | None:
    creators = _read(store, "creators", _CREATOR_COLUMNS)
    if creators is None:
        return None
    audience = _read(store, "audience")
    comments = _read(store, "comments")
    scorecard = _read(store, "scorecard", ("creator_id", "er_followers_lc_median", "er_rankable"))
    if scorecard is not None and "er_rankable" in scorecard.columns:
        # an ER from too few posts or flagged implausible enters no percentile (docs/metrics.md)
        rankable = scorecard.pop("er_rankable").fillna(False).astype(bool)
        scorecard["er_followers_lc_median"] = scorecard["er_followers_lc_median"].where(rankable)
    return creators, audience, comments, scorecard


def score_content(store: Store, *, incremental: bool = False) -> None:
    """Compute and write ``post_topics`` and ``content_scores`` for every creator in the store.

    ``incremental``: classify only the posts whose text, creator bio or rules changed since the
    published run and reuse the other posts' topics; the per-creator scores are recomputed for
    every creator either way (the niche ER percentile compares creators with each other)."""
    read = _inputs(store)
    if read is None:
        return
    creators, audience, comments, scorecard = read
    if store.has_table("posts"):
        _score_content_cached(store, creators, audience, comments, scorecard, full=not incremental)
        return
    posts = pd.DataFrame(columns=list(_POST_COLUMNS))
    scores, topics = content_scores_frame(posts, creators, audience, comments, scorecard)
    store.replace_table("content_scores", _to_arrow(scores, CONTENT_SCORE_COLUMNS))
    store.replace_table("post_topics", _to_arrow(topics, _TOPIC_TYPES))


def _score_content_cached(
    store: Store,
    creators: pd.DataFrame,
    audience: pd.DataFrame | None,
    comments: pd.DataFrame | None,
    scorecard: pd.DataFrame | None,
    *,
    full: bool,
) -> None:
    """Both modes of a workspace with posts: classify the changed posts (all of them when
    ``full``), take the others' published classification, and write the inputs table."""
    import json

    from creatorlens.store._incremental import merge_post_rows, post_delta, rules_digest, sql_part

    clf = TopicClassifier().fit()
    version = Taxonomy.load(clf.taxonomy).version
    digest = rules_digest(_RULE_FILES, _RULE_MODULES, (version, _kiwi_version()))
    parts = ", ".join(
        sql_part(c) for c in ("p.creator_id", "p.caption", "p.title", "p.hashtags", "c.bio")
    )
    hashes = (
        f"SELECT p.post_id, p.creator_id, md5(concat_ws(chr(31), {parts}, '{digest}')) "
        f"AS input_hash FROM {store.sql_name('posts')} p "
        f"LEFT JOIN {store.sql_name('creators')} c ON c.creator_id = p.creator_id"
    )
    delta = post_delta(store, "content", hashes, ("post_topics",), full=full)
    creators = creators.copy()
    if "city" not in creators.columns:
        creators["city"] = _city_from_extra(creators)
    if delta.changed < delta.posts:
        # the text of the changed posts only; the counts of all (closeness)
        posts = _read(store, "posts", _COUNT_COLUMNS)
        assert posts is not None
        changed = store.arrow(delta.changed_ids_sql()).column("post_id").to_pylist()
        table = store.table("posts")
        present = [c for c in _POST_COLUMNS if c in table.columns]
        texts = table.filter(table.post_id.isin(changed)).select(*present).to_pandas()
        new = classify_posts(texts, creators, clf)
        kept = store.arrow(
            "SELECT t.post_id, t.topic, t.confidence, t.evidence, t.feed_only, i.n_words, i.terms "
            f'FROM "post_topics" t JOIN "content_inputs" i ON i.post_id = t.post_id '
            f"WHERE t.post_id IN ({delta.kept_ids_sql()})"
        ).to_pandas()
        kept["terms"] = [json.loads(t) for t in kept["terms"]]
        owners = posts[["post_id", "creator_id", "posted_at"]].copy()
        owners["posted_at"] = pd.to_datetime(owners["posted_at"])
        kept = owners.merge(kept, on="post_id", how="inner")
        every = pd.concat([kept[new.columns], new], ignore_index=True)
        # in the posts' order, as a full run classifies them (sums of floats keep their order)
        every = posts[["post_id"]].merge(every, on="post_id", how="inner")
    else:
        posts = _read(store, "posts", _POST_COLUMNS)
        assert posts is not None
        new = classify_posts(posts, creators, clf)
        every = new
    scores = _creator_scores(every, posts, creators, audience, comments, scorecard, clf, version)
    store.replace_table("content_scores", _to_arrow(scores, CONTENT_SCORE_COLUMNS))
    topics = new[["post_id", "topic", "confidence", "evidence", "feed_only"]].copy()
    topics["taxonomy_version"] = version
    merge_post_rows(store, "post_topics", _to_arrow(topics, _TOPIC_TYPES), delta)
    inputs = store.arrow(
        f"SELECT post_id, creator_id, input_hash FROM {delta.table} WHERE changed"
    ).to_pandas()
    inputs = inputs.merge(new[["post_id", "n_words", "terms"]], on="post_id", how="left")
    inputs["terms"] = [
        json.dumps({k: list(v) for k, v in t.items()}, ensure_ascii=False) for t in inputs["terms"]
    ]
    store.raw.register("_content_inputs_new", pa.Table.from_pandas(inputs, preserve_index=False))
    try:
        keep = (
            f'SELECT d.post_id, d.creator_id, d.input_hash, i.n_words, i.terms FROM "content_inputs" i '
            f"JOIN {delta.table} d ON d.post_id = i.post_id WHERE NOT d.changed UNION ALL BY NAME "
            if delta.previous
            else ""
        )
        store.replace_sql(
            "content_inputs",
            f"{keep}SELECT post_id, creator_id, input_hash, CAST(n_words AS BIGINT) AS n_words, "
            "terms FROM _content_inputs_new",
        )
    finally:
        store.raw.unregister("_content_inputs_new")


def _kiwi_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("kiwipiepy")
    except PackageNotFoundError:
        return "none"
