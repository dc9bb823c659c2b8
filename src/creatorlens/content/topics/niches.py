"""A creator's niche, focus, consistency and expertise from the topics of their posts."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    pass

from creatorlens.content.topics.classifier import TopicClassifier
from creatorlens.content.topics.lexicon import OTHER, Taxonomy, content_constants, topic_from_categories


def evidence_json(terms: Mapping[str, Sequence[str]]) -> str:
    """Stable JSON for per-topic term lists."""
    return json.dumps({k: list(v) for k, v in sorted(terms.items())}, ensure_ascii=False)



def _normalised_entropy(weights: Sequence[float], n_classes: int) -> float:
    arr = np.asarray([w for w in weights if w > 0], dtype=float)
    if n_classes < 2 or arr.size == 0:
        return 0.0
    p = arr / arr.sum()
    return float(-(p * np.log(p)).sum() / np.log(n_classes))


def classify_posts(
    posts: pd.DataFrame,
    creators: pd.DataFrame | None = None,
    classifier: TopicClassifier | None = None,
) -> pd.DataFrame:
    """Classify every post; the creator's bio (from ``creators``) is a weak extra field.

    Returns one row per post: post_id, creator_id, posted_at, topic, confidence, evidence
    (comma-separated), feed_only, n_words and ``terms`` (topic -> matched terms, for depth).
    """
    clf = classifier if classifier is not None else TopicClassifier().fit()
    frame = posts.copy()
    if creators is not None and "bio" in creators.columns and "creator_id" in frame.columns:
        bios = creators.set_index("creator_id")["bio"]
        frame["bio"] = frame["creator_id"].map(bios)
    results = clf.classify_columns(frame)
    return pd.DataFrame(
        {
            "post_id": frame.get("post_id", pd.Series(range(len(frame)))).to_numpy(),
            "creator_id": frame.get("creator_id", pd.Series([None] * len(frame))).to_numpy(),
            "posted_at": pd.to_datetime(
                frame.get("posted_at", pd.Series([pd.NaT] * len(frame)))
            ).to_numpy(),
            "topic": results["topic"],
            "confidence": [round(c, 4) for c in results["confidence"]],
            "evidence": [", ".join(e) for e in results["evidence"]],
            "feed_only": results["feed_only"],
            "n_words": results["n_words"],
            "terms": results["terms"],
        }
    )


def _consistency(
    topical: pd.DataFrame, main_of: pd.Series, const: Mapping[str, Any]
) -> pd.DataFrame:
    """Per creator: share of monthly windows whose top topic (confidence-weighted) is the main
    niche, and the number of windows; null share with fewer than ``min_windows`` windows."""
    dated = topical.dropna(subset=["posted_at"])
    empty = pd.DataFrame(columns=["consistency", "consistency_windows"])
    if dated.empty:
        return empty
    frame = dated.assign(month=pd.to_datetime(dated["posted_at"]).dt.to_period("M"))
    per = frame.groupby(["creator_id", "month", "topic"], observed=True)["confidence"].agg(
        ["sum", "size"]
    )
    per = per.reset_index()
    sizes = per.groupby(["creator_id", "month"], observed=True)["size"].transform("sum")
    per = per[sizes >= int(const["min_posts_per_window"])]
    per["is_main"] = per["topic"] == per["creator_id"].map(main_of)
    # Top topic per window; a tie goes to the main niche.
    top = per.sort_values(["creator_id", "month", "sum", "is_main"]).drop_duplicates(
        ["creator_id", "month"], keep="last"
    )
    stats = top.groupby("creator_id")["is_main"].agg(["mean", "size"])
    out = pd.DataFrame(
        {
            "consistency": stats["mean"].where(stats["size"] >= int(const["min_windows"])),
            "consistency_windows": stats["size"],
        }
    )
    return out


def _peer_percentiles(frame: pd.DataFrame, min_group: int) -> pd.Series:
    """Mid-rank percentile (0..100) of ER within (platform, main_niche) groups of >= min_group."""
    out = pd.Series(np.nan, index=frame.index, dtype=float)
    valid = frame.dropna(subset=["er"])
    valid = valid[valid["main_niche"] != OTHER]
    for _, group in valid.groupby(["platform", "main_niche"], dropna=False):
        if len(group) < min_group:
            continue
        ranks = group["er"].rank(method="average")
        out.loc[group.index] = 100.0 * (ranks - 0.5) / len(group)
    return out


def creator_niches(
    post_topics: pd.DataFrame,
    creators: pd.DataFrame,
    scorecard: pd.DataFrame | None = None,
    *,
    taxonomy: str = "taxonomy.toml",
    classifier: TopicClassifier | None = None,
) -> pd.DataFrame:
    """Main niche, focus, consistency and expertise per creator (docs/content.md).

    ``post_topics`` is the output of :func:`classify_posts`; ``creators`` needs creator_id and
    optionally platform, bio, categories; ``scorecard`` (optional) supplies
    er_followers_lc_median for the peer-engagement component.
    """
    tax = Taxonomy.load(taxonomy)
    const = content_constants()
    niche_c, exp_c = const["niche"], const["expertise"]
    n_topics = len(tax.topics)
    order = {t: i for i, t in enumerate(tax.classes)}
    pt = post_topics[post_topics["creator_id"].isin(creators["creator_id"])]
    topical = pt[pt["topic"] != OTHER]
    n_posts = pt.groupby("creator_id").size()
    n_topical = topical.groupby("creator_id").size()
    weights = topical.groupby(["creator_id", "topic"])["confidence"].sum().rename("w").reset_index()
    weights["share"] = weights["w"] / weights.groupby("creator_id")["w"].transform("sum")
    weights["order"] = weights["topic"].map(order)
    weights = weights.sort_values(["creator_id", "share", "order"], ascending=[True, False, True])
    main_of = weights.drop_duplicates("creator_id").set_index("creator_id")["topic"]
    plogp = weights["share"] * np.log(weights["share"].clip(lower=1e-300))
    entropy = -plogp.groupby(weights["creator_id"]).sum() / np.log(n_topics)
    mixes: dict[str, dict[str, float]] = {}
    for cid, topic, share in zip(
        weights["creator_id"], weights["topic"], weights["share"], strict=True
    ):
        mixes.setdefault(str(cid), {})[str(topic)] = round(float(share), 4)
    in_main = (pt["topic"] == pt["creator_id"].map(main_of)).groupby(pt["creator_id"]).sum()
    vocab: dict[str, dict[str, int]] = {}
    main_lookup = main_of.to_dict()
    for cid, terms in zip(pt["creator_id"], pt["terms"], strict=True):
        main = main_lookup.get(cid)
        if main is None:
            continue
        counts = vocab.setdefault(cid, {})
        for term in terms.get(main, ()):
            if term != "#feed":
                key = term.lstrip("#")
                counts[key] = counts.get(key, 0) + 1
    consistency = _consistency(topical, main_of, niche_c)
    median_words = pt.groupby("creator_id")["n_words"].median()

    frame = creators[["creator_id"]].copy()
    frame["platform"] = creators["platform"] if "platform" in creators.columns else None
    cid_s = frame["creator_id"]
    has_posts = cid_s.isin(main_of.index)
    frame["main_niche"] = cid_s.map(main_of).astype(object)
    frame["niche_source"] = np.where(has_posts, "posts", "none")
    frame["n_posts"] = cid_s.map(n_posts).fillna(0).astype(int)
    frame["n_topical_posts"] = cid_s.map(n_topical).fillna(0).astype(int)
    # astype(float): with no creators at all, map() gives an empty column of strings
    frame["niche_share"] = (
        (cid_s.map(in_main).astype(float) / cid_s.map(n_posts).astype(float)).round(4).where(has_posts)
    )
    frame["focus"] = (1.0 - cid_s.map(entropy).astype(float)).round(4).where(has_posts)
    frame["consistency"] = cid_s.map(consistency["consistency"]).astype(float).round(4)
    frame["consistency_windows"] = (
        cid_s.map(consistency["consistency_windows"]).fillna(0).astype(int)
    )
    frame["topic_mix"] = [json.dumps(mixes.get(c, {})) for c in cid_s]
    frame["topic_evidence"] = [
        ", ".join(
            f"{t}×{n}"
            for t, n in sorted(vocab.get(c, {}).items(), key=lambda kv: (-kv[1], kv[0]))[:8]
        )
        for c in cid_s
    ]
    frame["vocabulary_terms"] = [len(vocab.get(c, {})) for c in cid_s]
    frame["median_caption_words"] = cid_s.map(median_words).where(has_posts)

    # Creators without topical posts: their ranking categories, else their bio alone.
    missing = frame.index[~has_posts]
    if len(missing):
        clf = classifier if classifier is not None else TopicClassifier(taxonomy).fit()
        sub = creators.loc[missing]
        cats = [
            topic_from_categories(c) for c in sub.get("categories", pd.Series(None, index=missing))
        ]
        bios = sub.get("bio", pd.Series(None, index=missing))
        bio_text = [b if isinstance(b, str) else "" for b in bios]
        bio_topics = [r.topic for r in clf.classify([{"caption": b} for b in bio_text])]
        mains: list[str] = []
        sources: list[str] = []
        for cat, bio_topic in zip(cats, bio_topics, strict=True):
            main, source = (
                (cat, "categories")
                if cat
                else (bio_topic, "bio")
                if bio_topic != OTHER
                else (OTHER, "none")
            )
            mains.append(main)
            sources.append(source)
        frame.loc[missing, "main_niche"] = mains
        frame.loc[missing, "niche_source"] = sources
        frame.loc[missing, "topic_mix"] = [
            json.dumps({m: 1.0} if m != OTHER else {}) for m in mains
        ]
    if frame.empty:
        return frame
    er = pd.Series(np.nan, index=frame.index)
    if scorecard is not None and "er_followers_lc_median" in scorecard.columns:
        er = frame["creator_id"].map(scorecard.set_index("creator_id")["er_followers_lc_median"])
    frame["er"] = pd.to_numeric(er, errors="coerce")
    frame["peer_er_percentile"] = _peer_percentiles(frame, int(exp_c["min_peer_group"]))
    vocab_part = (frame["vocabulary_terms"] / float(exp_c["vocabulary_reference_terms"])).clip(
        upper=1
    )
    length_part = (
        pd.to_numeric(frame["median_caption_words"], errors="coerce")
        / float(exp_c["caption_reference_words"])
    ).clip(upper=1)
    frame["depth"] = ((vocab_part + length_part) / 2).where(frame["niche_source"] == "posts")
    parts = {
        "focus": (pd.to_numeric(frame["focus"], errors="coerce"), float(exp_c["weight_focus"])),
        "depth": (frame["depth"], float(exp_c["weight_depth"])),
        "peer": (frame["peer_er_percentile"] / 100.0, float(exp_c["weight_peer_er"])),
    }
    num = pd.Series(0.0, index=frame.index)
    den = pd.Series(0.0, index=frame.index)
    n_parts = pd.Series(0, index=frame.index)
    for values, weight in parts.values():
        present = values.notna()
        num += values.fillna(0) * weight
        den += present * weight
        n_parts += present.astype(int)
    expertise = (100 * num / den.where(den > 0)).round(2)
    frame["expertise"] = expertise.where((frame["niche_source"] == "posts") & (n_parts >= 2))
    frame["expertise_components"] = n_parts.where(frame["niche_source"] == "posts", 0)
    frame["depth"] = frame["depth"].round(4)
    frame["peer_er_percentile"] = frame["peer_er_percentile"].round(2)
    return frame.drop(columns=["er"])
