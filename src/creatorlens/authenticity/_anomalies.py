"""Growth and engagement anomalies.

Growth: per creator, the per-day log growth between consecutive follower snapshots is compared with
its rolling median (trend), weekday effects are removed when snapshots are daily, and the residual
is scaled by 1.4826 x MAD (a robust standard deviation). Intervals beyond ``z_threshold`` that also
move at least ``min_relative_jump`` of the audience are merged into events and labelled by what the
posts around them show:

* ``viral`` — a post in the look-back window far above the creator's median engagement or views;
* ``promoted`` — paid reach (``likes_total`` above ``likes``), or a spike on a paid post;
* ``bought`` — "possible bought followers": a jump that no engagement explains;
* ``purge`` — a sudden drop (platform clean-ups of fake accounts).

Engagement: ER far below near-size peers, far above with pod-like comments, and comment/like/view
ratios outside what the platform and tier show. Every rule's number is in
``data/authenticity/anomalies.toml``.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from numpy.lib.stride_tricks import sliding_window_view

from creatorlens.authenticity._config import anomaly_config
from creatorlens.authenticity._units import fraction_series
from creatorlens.data._schemas import AnomaliesGrowth, AnomaliesPods

FloatArray = npt.NDArray[np.float64]

GROWTH_COLUMNS = ("creator_id", "observed_at", "start_at", "kind", "magnitude", "z", "explanation")
#: ``note``: the explanation as {code, values, text} for the presentation layer to word in the
#: reader's language (``text`` is the English wording, the same as ``explanation``).
ENGAGEMENT_COLUMNS = ("creator_id", "kind", "value", "z", "explanation", "note")
KIND_LABELS = {
    "bought": "possible bought followers",
    "viral": "viral (engagement spiked with it)",
    "promoted": "promoted (paid reach)",
    "purge": "sudden drop (purge)",
}


class GrowthRules(AnomaliesGrowth):
    """Follower-growth anomaly rules: data/authenticity/anomalies.toml [growth], its schema's fields."""

    @classmethod
    def from_config(cls) -> GrowthRules:
        return cls.model_validate(anomaly_config()["growth"])


def min_snapshots(rules: GrowthRules | None = None) -> int:
    """Follower snapshots (distinct dates) a creator needs before growth anomalies are checked:
    the rolling trend needs half a window and the robust scale ``min_scale_points`` points."""
    rules = rules or GrowthRules.from_config()
    return max(rules.min_scale_points, rules.rolling_window // 2)


def _rolling_median(values: FloatArray, window: int) -> FloatArray:
    """Centred rolling median; the edges use the nearest full window's values (NaN padding)."""
    if len(values) == 0:
        return values
    half = window // 2
    padded = np.concatenate([np.full(half, np.nan), values, np.full(half, np.nan)])
    windows = sliding_window_view(padded, window)
    # Only windows that reach into the padding hold NaN; the rest take the plain (faster) median.
    full_from, full_to = half, len(values) + half - window + 1
    if full_to <= full_from:
        with np.errstate(all="ignore"):
            out: FloatArray = np.nanmedian(windows, axis=1)
        return out
    out = np.empty(len(windows))
    out[full_from:full_to] = np.median(windows[full_from:full_to], axis=1)
    edges = np.r_[0:full_from, full_to : len(windows)]
    if len(edges):
        with np.errstate(all="ignore"):
            out[edges] = np.nanmedian(windows[edges], axis=1)
    return out


def _series_residuals(
    days: FloatArray, followers: FloatArray, weekdays: npt.NDArray[np.int64], rules: GrowthRules
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Per interval: robust z, excess followers beyond the trend, interval length (days)."""
    dt = np.diff(days)
    growth = np.diff(np.log1p(followers)) / dt
    baseline = _rolling_median(growth, rules.rolling_window)
    residual = growth - baseline
    daily = np.median(dt) <= 1.5
    if daily and (days[-1] - days[0]) >= 7 * rules.min_weeks_for_weekday:
        interval_weekday = weekdays[1:]
        for weekday in range(7):
            mask = interval_weekday == weekday
            if mask.sum() >= 3:
                residual[mask] -= np.median(residual[mask])
    mad = np.median(np.abs(residual - np.median(residual)))
    scale = max(1.4826 * mad, rules.min_scale)
    z = residual / scale
    excess = followers[:-1] * np.expm1(residual * dt)
    return z, excess, dt


def _post_engagement(posts: pd.DataFrame) -> pd.DataFrame:
    def column(name: str) -> pd.Series:
        if name in posts.columns:
            return pd.to_numeric(posts[name], errors="coerce")
        return pd.Series(np.nan, index=posts.index)

    likes, comments = column("likes"), column("comments")
    likes_total, comments_total = column("likes_total"), column("comments_total")
    engagement = likes_total.fillna(likes).fillna(0) + comments_total.fillna(comments).fillna(0)
    paid_flag = (
        posts["is_paid"].fillna(False).astype(bool)
        if "is_paid" in posts.columns
        else pd.Series(False, index=posts.index)
    )
    return pd.DataFrame(
        {
            "creator_id": posts["creator_id"].to_numpy(),
            "posted_at": pd.to_datetime(posts["posted_at"]).to_numpy(),
            "engagement": engagement.to_numpy(dtype=float),
            "views": column("views").to_numpy(dtype=float),
            "likes": likes.to_numpy(dtype=float),
            "likes_total": likes_total.to_numpy(dtype=float),
            "is_paid": paid_flag.to_numpy(dtype=bool),
        }
    )


def _spike_baseline(values: pd.Series, rules: GrowthRules) -> tuple[float, float]:
    """Median and the ratio to it that counts as a spike for this creator.

    The ratio must reach ``engagement_spike_factor`` and also be an outlier among the creator's
    own posts (``engagement_spike_z`` robust SDs of log engagement), so a creator whose posts
    swing widely needs a larger spike.
    """
    clean = values.to_numpy(dtype=float)
    clean = clean[np.isfinite(clean) & (clean > 0)]
    if len(clean) == 0:
        return 0.0, np.inf
    logs = np.log(clean)
    centre = float(np.median(logs))
    spread = 1.4826 * float(np.median(np.abs(logs - centre)))
    return float(np.exp(centre)), max(
        rules.engagement_spike_factor, float(np.exp(rules.engagement_spike_z * spread))
    )


def _label_event(
    window: pd.DataFrame,
    baselines: tuple[tuple[float, float], tuple[float, float]],
    rules: GrowthRules,
) -> tuple[str, str]:
    """Kind and explanation of a jump given the posts in its look-back window."""
    if window.empty:
        return "bought", "no post in the window to explain it"
    best, needed, spiked = 0.0, rules.engagement_spike_factor, False
    for column, (median, threshold) in zip(("engagement", "views"), baselines, strict=True):
        if median <= 0:
            continue
        ratios = (window[column] / median).to_numpy(dtype=float)
        top = float(np.nanmax(np.r_[ratios, 0.0]))
        if top / threshold > best / needed:
            best, needed = top, threshold
        spiked = spiked or top >= threshold
    paid_reach = bool(
        (window["likes_total"] > window["likes"] * (1 + rules.paid_reach_margin))
        .fillna(False)
        .any()
    )
    paid_post = bool(window["is_paid"].any())
    if spiked:
        if paid_reach or paid_post:
            return "promoted", (
                f"a paid post around it reached {best:.1f}x the creator's median "
                f"(spike for this creator: {needed:.1f}x)"
            )
        return "viral", (
            f"a post around it reached {best:.1f}x the creator's median engagement/views "
            f"(spike for this creator: {needed:.1f}x)"
        )
    if paid_reach:
        return "promoted", "posts around it show paid reach (total likes above organic likes)"
    extra = (
        "; a paid-partnership post is in the window but drew no extra engagement"
        if paid_post
        else ""
    )
    return "bought", (
        f"{len(window)} post(s) around it peaked at {best:.1f}x the median "
        f"(spike for this creator: {needed:.1f}x){extra}"
    )


def display_rounding(followers: FloatArray) -> FloatArray:
    """Per count, how far a count shown as "1.6M" or "12.5K" may be from the truth: half the
    step of one decimal of its K/M/B unit (50,000 for "1.6M"), where the count is a multiple of
    that step; 0 for other counts. Ranking exports print counts so; an API count that happens to
    be that round only gets a wider margin."""
    margin = np.zeros_like(followers)
    for unit in (1e3, 1e6, 1e9):
        step = unit / 10
        shown = (followers >= unit) & (followers < unit * 1000) & (np.mod(followers, step) == 0)
        margin = np.where(shown, step / 2, margin)
    return margin


def detect_growth_anomalies(
    snapshots: pd.DataFrame,
    posts: pd.DataFrame | None = None,
    rules: GrowthRules | None = None,
) -> pd.DataFrame:
    """Follower jumps and drops per creator, labelled bought / viral / promoted / purge.

    ``snapshots``: creator_id, observed_at, followers. ``posts`` (optional): creator_id, posted_at,
    likes, comments, views, likes_total, comments_total, is_paid. Returns ``GROWTH_COLUMNS``;
    ``magnitude`` is followers added (negative: lost) beyond the creator's trend.
    """
    rules = rules or GrowthRules.from_config()
    frame = snapshots[["creator_id", "observed_at", "followers"]].dropna()
    frame = frame.assign(observed_at=pd.to_datetime(frame["observed_at"]))
    frame = frame.drop_duplicates(["creator_id", "observed_at"]).sort_values(
        ["creator_id", "observed_at"], kind="stable"
    )
    engagement = _post_engagement(posts) if posts is not None and len(posts) else None
    # Positions of each creator's posts; a creator's frame is cut only when a jump needs it.
    if engagement is not None:
        engagement = engagement.sort_values("posted_at")
        post_positions: dict[Any, Any] = engagement.groupby(
            "creator_id", sort=False
        ).indices
    else:
        post_positions = {}
    creator_ids = frame["creator_id"].to_numpy()
    times = frame["observed_at"].to_numpy(dtype="datetime64[us]")
    days_all = (
        (times - times.min()).astype("timedelta64[us]").astype(np.float64) / 86_400e6
        if len(times)
        else np.zeros(0)
    )
    weekdays_all = ((times.astype("datetime64[D]").astype(np.int64) + 3) % 7).astype(np.int64)
    followers_all = frame["followers"].to_numpy(dtype=np.float64)
    boundaries = np.flatnonzero(creator_ids[1:] != creator_ids[:-1]) + 1
    starts = np.r_[0, boundaries]
    ends = np.r_[boundaries, len(creator_ids)]
    min_points = min_snapshots(rules)

    rows: list[dict[str, Any]] = []
    for start, end in zip(starts, ends, strict=True):
        if end - start < min_points:
            continue
        days = days_all[start:end]
        if np.any(np.diff(days) <= 0):
            continue
        z, excess, _ = _series_residuals(
            days, followers_all[start:end], weekdays_all[start:end], rules
        )
        base = followers_all[start : end - 1]
        # A jump must exceed what display rounding alone allows: "1.6M" then "1.7M" may be
        # 1,649,999 then 1,650,000 (the real tiktok-vn-2025 export's _ethandavidd read as +100K).
        margin = display_rounding(followers_all[start:end])
        beyond = np.sign(excess) * np.maximum(np.abs(excess) - (margin[:-1] + margin[1:]), 0)
        up = (
            (z >= rules.z_threshold)
            & (beyond >= rules.min_absolute_jump)
            & (beyond >= rules.min_relative_jump * np.maximum(base, 1))
        )
        down = (
            (z <= -rules.z_threshold)
            & (-beyond >= rules.min_absolute_jump)
            & (-beyond >= rules.min_relative_drop * np.maximum(base, 1))
        )
        flagged = np.where(up, 1, np.where(down, -1, 0))
        if not flagged.any():
            continue
        creator = creator_ids[start]
        positions = post_positions.get(creator)
        creator_posts = (
            engagement.iloc[positions]
            if engagement is not None and positions is not None
            else None
        )
        baselines = ((0.0, np.inf), (0.0, np.inf))
        if creator_posts is not None and len(creator_posts):
            baselines = (
                _spike_baseline(creator_posts["engagement"], rules),
                _spike_baseline(creator_posts["views"], rules),
            )
        index = 0
        while index < len(flagged):
            sign = flagged[index]
            if sign == 0:
                index += 1
                continue
            last = index
            while last + 1 < len(flagged) and flagged[last + 1] == sign:
                last += 1
            start_at = pd.Timestamp(times[start + index])
            observed_at = pd.Timestamp(times[start + last + 1])
            magnitude = float(excess[index : last + 1].sum())
            peak = float(z[index : last + 1][np.argmax(np.abs(z[index : last + 1]))])
            if sign < 0:
                kind = "purge"
                explanation = (
                    f"lost {-magnitude:,.0f} followers beyond the trend "
                    f"({-magnitude / max(base[index], 1):.1%}) between "
                    f"{start_at:%Y-%m-%d} and {observed_at:%Y-%m-%d}"
                )
            else:
                window = pd.DataFrame()
                if creator_posts is not None:
                    lookback = start_at - pd.Timedelta(days=rules.lookback_days)
                    in_window = (creator_posts["posted_at"] >= lookback) & (
                        creator_posts["posted_at"] <= observed_at
                    )
                    window = creator_posts[in_window]
                kind, why = _label_event(window, baselines, rules)
                explanation = (
                    f"{KIND_LABELS[kind]}: +{magnitude:,.0f} followers beyond the trend "
                    f"({magnitude / max(base[index], 1):.1%}) between "
                    f"{start_at:%Y-%m-%d} and {observed_at:%Y-%m-%d}; {why}"
                )
            rows.append(
                {
                    "creator_id": creator,
                    "observed_at": observed_at,
                    "start_at": start_at,
                    "kind": kind,
                    "magnitude": magnitude,
                    "z": peak,
                    "explanation": explanation,
                }
            )
            index = last + 1
    return pd.DataFrame(rows, columns=list(GROWTH_COLUMNS))


# -- comments: engagement pods ------------------------------------------------------------------

_WHITESPACE = re.compile(r"\s+")
_WORD = re.compile(r"\w")


class PodRules(AnomaliesPods):
    """Engagement-pod rules: data/authenticity/anomalies.toml [pods], its schema's fields."""

    @classmethod
    def from_config(cls) -> PodRules:
        return cls.model_validate(anomaly_config()["pods"])


def comment_pod_signals(
    comments: pd.DataFrame, posts: pd.DataFrame, rules: PodRules | None = None
) -> pd.DataFrame:
    """Per creator: duplicate short comments, emoji-only comments, repeated commenter order.

    ``comments``: post_id, author, text, created_at. ``posts``: post_id, creator_id, posted_at.
    ``same_order_share`` is the share of consecutive post pairs whose first ``order_prefix``
    commenters are the same accounts in the same order (Tagger's pod signal).
    """
    rules = rules or PodRules.from_config()
    columns = [
        "creator_id",
        "n_comments",
        "duplicate_short_share",
        "emoji_only_share",
        "same_order_share",
        "pod_evidence_share",
        "is_pod",
    ]
    if comments.empty:
        return pd.DataFrame(columns=columns)
    joined = comments.merge(
        posts[["post_id", "creator_id", "posted_at"]], on="post_id", how="inner"
    )
    text = (
        joined["text"]
        .fillna("")
        .astype(str)
        .str.lower()
        .str.strip()
        .map(lambda t: _WHITESPACE.sub(" ", t))
    )
    joined = joined.assign(
        norm=text,
        short=text.str.len() <= rules.short_comment_chars,
        emoji_only=(text.str.len() > 0) & ~text.map(lambda t: bool(_WORD.search(t))),
    )
    repeats = joined.groupby(["creator_id", "norm"])["norm"].transform("size")
    joined["duplicate_short"] = joined["short"] & (repeats >= 2) & (joined["norm"].str.len() > 0)

    per_creator = joined.groupby("creator_id").agg(
        n_comments=("norm", "size"),
        duplicate_short_share=("duplicate_short", "mean"),
        emoji_only_share=("emoji_only", "mean"),
    )
    ordered = joined.sort_values(["creator_id", "posted_at", "post_id", "created_at"])
    prefixes = ordered.groupby(["creator_id", "posted_at", "post_id"], sort=False)["author"].apply(
        lambda authors: tuple(authors.astype(str).head(rules.order_prefix))
    )
    same_order: dict[Any, float] = {}
    for creator, sequence in prefixes.groupby(level=0, sort=False):
        values = [v for v in sequence.to_list() if len(v) == rules.order_prefix]
        pairs = list(itertools.pairwise(values))
        same_order[creator] = float(np.mean([a == b for a, b in pairs])) if pairs else 0.0
    per_creator["same_order_share"] = pd.Series(same_order).reindex(per_creator.index).fillna(0.0)
    # The share the score counts as pod-like is Tagger's signature alone (the same commenters in
    # the same order). Repeated short comments are a flag, not a share of pod comments: ordinary
    # fans write the same "wow" and "🔥🔥🔥" under many posts (on the demo's non-pod creators
    # ~65% of comments are such repeats, which made their comments look two-thirds pod-made).
    per_creator["pod_evidence_share"] = per_creator["same_order_share"]
    enough = per_creator["n_comments"] >= rules.min_comments
    per_creator["is_pod"] = enough & (
        (per_creator["duplicate_short_share"] >= rules.duplicate_share)
        | (per_creator["same_order_share"] >= rules.same_order_share)
        | (per_creator["emoji_only_share"] >= rules.emoji_only_share)
    )
    return per_creator.reset_index()[columns]


# -- engagement versus peers and ratios ---------------------------------------------------------


def _robust_z(values: pd.Series, groups: pd.Series, min_group: int) -> pd.Series:
    frame = pd.DataFrame({"v": values, "g": groups})
    median = frame.groupby("g")["v"].transform("median")
    mad = frame.groupby("g")["v"].transform(lambda s: (s - s.median()).abs().median())
    size = frame.groupby("g")["v"].transform("count")
    z = (frame["v"] - median) / (1.4826 * mad.where(mad > 0))
    return z.where(size >= min_group)


#: An engagement anomaly's explanation by code: the English sentence (the evidence JSON's text,
#: the CLI and the API). Pages in another language word the code from the i18n catalogue's
#: ``[notes]``, with the same values (like the audit notes, ``_report.NOTE_TEXT``).
ANOMALY_TEXT: dict[str, str] = {
    "anomaly_er_far_below_peers": (
        "ER at percentile {percentile:.0f} of near-size peers: an inactive or fake audience "
        "engages little"
    ),
    "anomaly_er_far_above_peers": (
        "ER at percentile {percentile:.0f} of near-size peers, no pod-like comments seen "
        "(or no comments loaded)"
    ),
    "anomaly_engagement_pod": (
        "ER at percentile {percentile:.0f} of near-size peers, with pod-like comments "
        "(duplicates / same commenters in the same order)"
    ),
    **{
        f"anomaly_ratio_outlier_{kind}_{direction}": (
            f"{label} {{ratio:.3g}} is {{z:.1f}} robust SDs {direction} {{platform}}:{{tier}} creators"
        )
        for kind, label in (("comments_per_like", "comments per like"), ("likes_per_view", "likes per view"))
        for direction in ("above", "below")
    },
    "anomaly_pod_like_comments": (
        "{duplicate:.0%} duplicate short comments, {same_order:.0%} of posts open with the same "
        "commenters in the same order, {emoji:.0%} emoji-only"
    ),
}


def _note(code: str, **values: float | str) -> dict[str, Any]:
    """An engagement anomaly's explanation as data: ``anomaly_<code>`` of ``ANOMALY_TEXT``, the
    values that fill it and its English text."""
    key = f"anomaly_{code}"
    return {"code": key, "values": values, "text": ANOMALY_TEXT[key].format(**values)}


def detect_engagement_anomalies(
    scorecard: pd.DataFrame, pods: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Flags from the scorecard (ER vs near-size peers, ratios within platform x tier) and pods.

    ``scorecard`` needs creator_id, platform, tier, er_percentile_peers, avg_likes, avg_comments,
    avg_views (missing columns simply yield no flag). ``pods`` is ``comment_pod_signals`` output.
    """
    rules = anomaly_config()["engagement"]
    rows: list[dict[str, Any]] = []
    pod_index = pods.set_index("creator_id") if pods is not None and len(pods) else None

    if "er_percentile_peers" in scorecard.columns:
        # A fraction in [0, 1] (the scorecard's unit), like the thresholds in anomalies.toml.
        percentile = fraction_series(scorecard["er_percentile_peers"], "er_percentile_peers")
        for creator, value in zip(scorecard["creator_id"], percentile, strict=True):
            if np.isnan(value):
                continue
            if value <= float(rules["low_percentile"]):
                explained = _note("er_far_below_peers", percentile=100 * value)
                rows.append(
                    {
                        "creator_id": creator,
                        "kind": "er_far_below_peers",
                        "value": value,
                        "z": np.nan,
                        "explanation": explained["text"],
                        "note": explained,
                    }
                )
            elif value >= float(rules["high_percentile"]):
                is_pod = bool(
                    pod_index is not None
                    and creator in pod_index.index
                    and pod_index.at[creator, "is_pod"]
                )
                kind = "engagement_pod" if is_pod else "er_far_above_peers"
                explained = _note(kind, percentile=100 * value)
                rows.append(
                    {
                        "creator_id": creator,
                        "kind": kind,
                        "value": value,
                        "z": np.nan,
                        "explanation": explained["text"],
                        "note": explained,
                    }
                )

    needed = {"platform", "tier", "avg_likes"}
    if needed <= set(scorecard.columns):
        groups = scorecard["platform"].astype(str) + ":" + scorecard["tier"].astype(str)
        likes = pd.to_numeric(scorecard["avg_likes"], errors="coerce")
        ratios = {
            "comments_per_like": ("avg_comments", likes),
            "likes_per_view": ("avg_views", None),
        }
        threshold = float(rules["ratio_z_threshold"])
        for kind, (column, numerator) in ratios.items():
            if column not in scorecard.columns:
                continue
            other = pd.to_numeric(scorecard[column], errors="coerce")
            ratio = other / likes if numerator is not None else likes / other
            with np.errstate(all="ignore"):
                log_ratio = pd.Series(np.log(ratio.where(ratio > 0)), index=ratio.index)
            z = _robust_z(log_ratio, groups, int(rules["min_group_size"]))
            outliers = z.abs() >= threshold
            for creator, value, score, group in zip(
                scorecard["creator_id"][outliers],
                ratio[outliers],
                z[outliers],
                groups[outliers],
                strict=True,
            ):
                direction = "above" if score > 0 else "below"
                platform, _, tier = str(group).partition(":")
                explained = _note(
                    f"ratio_outlier_{kind}_{direction}", ratio=float(value), z=abs(float(score)),
                    platform=platform, tier=tier,
                )  # fmt: skip
                rows.append(
                    {
                        "creator_id": creator,
                        "kind": f"ratio_outlier_{kind}",
                        "value": float(value),
                        "z": float(score),
                        "explanation": explained["text"],
                        "note": explained,
                    }
                )

    if pod_index is not None:
        flagged = {row["creator_id"] for row in rows if row["kind"] == "engagement_pod"}
        for creator, row in pod_index[pod_index["is_pod"]].iterrows():
            if creator in flagged:
                continue
            explained = _note(
                "pod_like_comments", duplicate=float(row["duplicate_short_share"]),
                same_order=float(row["same_order_share"]), emoji=float(row["emoji_only_share"]),
            )  # fmt: skip
            rows.append(
                {
                    "creator_id": creator,
                    "kind": "pod_like_comments",
                    "value": float(row["pod_evidence_share"]),
                    "z": np.nan,
                    "explanation": explained["text"],
                    "note": explained,
                }
            )
    return pd.DataFrame(rows, columns=list(ENGAGEMENT_COLUMNS))
