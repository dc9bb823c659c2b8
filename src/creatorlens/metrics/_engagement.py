"""Engagement, reach and cadence metrics per creator, as backend-agnostic Ibis expressions.

Definitions (versioned in ``METRIC_SPEC_VERSION``; docs/metrics.md is the written spec):

- Window: per creator, the latest ``last_n`` posts (default 30) that are at least
  ``min_age_days`` old (default 7) when observed, optionally only posts since ``since``.
  A post's age is ``observed_at - posted_at`` (the time the counts were read), so a post scraped
  two days after it went up is excluded however old the export is. Posts with the same
  ``posted_at`` are ordered by ``post_id``, so the window is the same on every engine.
- Engagements of a post: ``lc = likes + comments``; ``lcs = lc + shares``; ``lcss = lcs + saves``.
  A missing component makes that variant missing for the post (never counted as 0).
- By followers: ``er_followers_<v>_mean = mean(eng_<v>) / followers`` and ``..._median =
  median(eng_<v>) / followers`` (followers = the creator's current count).
- By views / reach: per post ``eng / views`` over posts with views > 0, then mean and median.
- When a creator has no posts but the export states per-post averages (ranking exports), the
  follower ER uses them: ``(avg_likes + avg_comments) / followers``; ``er_source`` says which.
- Division by zero or a missing input gives null, never inf or NaN; ``null_reasons`` says why.
- Rankable (``er_rankable``): at least ``min_posts`` eligible posts (ERs from posts) and no
  plausibility flag (likes above views, ER by views above 100 %, ER by followers above the
  platform's bound; ``data/engagement_rules.toml``). ``er_flags`` says why not.
"""

from __future__ import annotations

import json

import ibis
import ibis.expr.types as ir

from creatorlens.metrics._rules import EngagementRules as EngagementRules, Window as Window

METRIC_SPEC_VERSION = "1.0"

_VARIANTS = {
    "lc": ("likes", "comments"),
    "lcs": ("likes", "comments", "shares"),
    "lcss": ("likes", "comments", "shares", "saves"),
}


def _safe_div(num: ir.NumericValue, den: ir.NumericValue) -> ir.FloatingValue:
    return ibis.ifelse(den.isnull() | (den == 0), ibis.null("float64"), num.cast("float64") / den)


def _sum_all(t: ir.Table, cols: tuple[str, ...]) -> ir.NumericValue:
    total: ir.NumericValue = t[cols[0]]
    for c in cols[1:]:
        total = total + t[c]  # null in any component -> null for the post
    return total


def windowed_posts(posts: ir.Table, window: Window) -> ir.Table:
    """The posts each creator is measured on (latest N, old enough), newest first."""
    age_ok = (posts.observed_at.isnull()) | (
        posts.posted_at <= posts.observed_at - ibis.interval(days=window.min_age_days)
    )
    eligible = posts.filter(posts.posted_at.notnull() & age_ok)
    if window.since is not None:
        eligible = eligible.filter(eligible.posted_at >= window.since)
    if window.until is not None:
        eligible = eligible.filter(eligible.posted_at < window.until)
    # Only creators with more eligible posts than the window holds need their posts ranked; the
    # rest keep all of them. Counting is a hash aggregate, ranking a sort of every post: on
    # 6M posts where most creators fit, skipping the sort for them saves about a third of it.
    # Semi-joins keep the posts' rows as they are (an inner join with the counts made DuckDB hold
    # the joined rows for both branches: +1 GB peak at 6M posts).
    counts = eligible.group_by("creator_id").aggregate(_n_eligible=eligible.count())
    fits = eligible.semi_join(counts.filter(counts._n_eligible <= window.last_n), "creator_id")
    overflow = eligible.semi_join(counts.filter(counts._n_eligible > window.last_n), "creator_id")
    # post_id breaks ties in posted_at: without it, which of two posts with the same timestamp
    # falls out of the window is up to the engine (DuckDB and PostgreSQL chose differently).
    rank = ibis.row_number().over(
        group_by=overflow.creator_id, order_by=[ibis.desc(overflow.posted_at), overflow.post_id]
    )
    ranked = overflow.mutate(_rank=rank)
    return fits.union(ranked.filter(ranked._rank < window.last_n).drop("_rank"))


def post_engagement_metrics(posts: ir.Table, creators: ir.Table, window: Window) -> ir.Table:
    """One row per creator that has windowed posts: averages, medians and ERs over the window."""
    w = windowed_posts(posts, window)
    w = w.mutate(**{f"eng_{v}": _sum_all(w, cols) for v, cols in _VARIANTS.items()})
    w = w.mutate(
        **{
            f"ev_{v}": ibis.ifelse(w.views > 0, w[f"eng_{v}"].cast("float64") / w.views, ibis.null("float64"))
            for v in ("lc", "lcs")
        },
        er_reach_lc=ibis.ifelse(w.reach > 0, w.eng_lc.cast("float64") / w.reach, ibis.null("float64")),
    )
    aggs = w.group_by("creator_id").aggregate(
        n_posts=w.count(),
        n_posts_with_views=w.views.count(),
        **{f"eng_{v}_mean": w[f"eng_{v}"].mean() for v in _VARIANTS},
        **{f"eng_{v}_median": w[f"eng_{v}"].median() for v in _VARIANTS},
        **{f"er_views_{v}_mean": w[f"ev_{v}"].mean() for v in ("lc", "lcs")},
        **{f"er_views_{v}_median": w[f"ev_{v}"].median() for v in ("lc", "lcs")},
        er_reach_lc_mean=w.er_reach_lc.mean(),
        er_reach_lc_median=w.er_reach_lc.median(),
        avg_views=w.views.mean(),
        median_views=w.views.median(),
        # Per-post engagement on a log scale: the planner's predictive interval for one post.
        eng_lc_log_mean=(w.eng_lc.cast("float64") + 1.0).ln().mean(),
        eng_lc_log_sd=(w.eng_lc.cast("float64") + 1.0).ln().std(),
        # The same for views (posts with a view count): the planner's interval for impressions.
        views_log_mean=(w.views.cast("float64") + 1.0).ln().mean(),
        views_log_sd=(w.views.cast("float64") + 1.0).ln().std(),
        avg_likes=w.likes.mean(),
        avg_comments=w.comments.mean(),
        avg_shares=w.shares.mean(),
        # ifelse, not a cast: PostgreSQL cannot cast boolean to bigint
        n_likes_above_views=((w.views > 0) & (w.likes > w.views)).ifelse(1, 0).sum(),
        sum_likes=w.likes.sum(),
        sum_comments=w.comments.sum(),
        window_start=w.posted_at.min(),
        window_end=w.posted_at.max(),
    )
    return aggs


def creator_engagement(
    creators: ir.Table, posts: ir.Table, window: Window, rules: EngagementRules | None = None
) -> ir.Table:
    """Creators left-joined with their post metrics, ERs by followers, reasons for nulls, and
    whether the ER may be ranked (``er_rankable``, ``er_flags``)."""
    aggs = post_engagement_metrics(posts, creators, window)
    j = creators.left_join(aggs, creators.creator_id == aggs.creator_id).drop("creator_id_right")
    j = j.mutate(
        _has_posts=j.n_posts.notnull() & (j.n_posts > 0),
        _followers=j.followers.cast("float64"),
        _reported_lc=j.avg_likes_reported + j.avg_comments_reported,
        _span_days=(j.window_end.epoch_seconds() - j.window_start.epoch_seconds()) / 86400.0,
    )
    has_posts, followers, reported_lc = j._has_posts, j._followers, j._reported_lc

    def follower_er(v: str, stat: str) -> ir.FloatingValue:
        if v != "lc":
            return ibis.ifelse(has_posts, _safe_div(j[f"eng_{v}_{stat}"], followers), ibis.null("float64"))
        # Without posts, a ranking export's per-post averages (or its overall engagement average)
        # stand in; er_source says so.
        fallback = _safe_div(reported_lc, followers).fill_null(
            _safe_div(j.avg_engagement_reported, followers)
        )
        if stat == "median":  # an export's average says nothing about the median
            fallback = ibis.null("float64")
        return ibis.ifelse(has_posts, _safe_div(j[f"eng_lc_{stat}"], followers), fallback)

    out = j.mutate(
        n_posts=j.n_posts.fill_null(0),
        er_source=ibis.cases(
            (has_posts, "posts"),
            (reported_lc.notnull() | j.avg_engagement_reported.notnull(), "reported_averages"),
            else_=ibis.null("string"),
        ),
        **{
            f"er_followers_{v}_{stat}": follower_er(v, stat)
            for v in _VARIANTS
            for stat in ("mean", "median")
        },
        avg_views=ibis.ifelse(has_posts, j.avg_views, j.avg_views_reported),
        avg_likes=ibis.ifelse(has_posts, j.avg_likes, j.avg_likes_reported),
        avg_comments=ibis.ifelse(has_posts, j.avg_comments, j.avg_comments_reported),
        avg_shares=ibis.ifelse(has_posts, j.avg_shares, j.avg_shares_reported),
        comments_per_100_likes=ibis.ifelse(
            has_posts,
            _safe_div(j.sum_comments * 100, j.sum_likes),
            _safe_div(j.avg_comments_reported * 100, j.avg_likes_reported),
        ),
        posts_per_week=ibis.ifelse(
            (j.n_posts > 1) & (j._span_days > 0),
            (j.n_posts - 1) / j._span_days * 7,
            ibis.null("float64"),
        ),
        # shakiraVEVO (96M views, 3.1M likes a video) had an ER by followers but none by views
        er_views_lc_mean=ibis.ifelse(
            has_posts, j.er_views_lc_mean, _safe_div(reported_lc, j.avg_views_reported)
        ),
        er_views_lcs_mean=ibis.ifelse(
            has_posts,
            j.er_views_lcs_mean,
            _safe_div(
                j.avg_likes_reported + j.avg_comments_reported + j.avg_shares_reported,
                j.avg_views_reported,
            ),
        ),
    )
    out = out.mutate(view_rate=_safe_div(out.avg_views, out._followers))
    out = out.mutate(null_reasons=_null_reasons(out, out._has_posts))
    out = _rankability(out, out._has_posts, rules or EngagementRules.load())
    return out.drop("_has_posts", "_followers", "_reported_lc", "_span_days", "n_likes_above_views")


def _rankability(t: ir.Table, has_posts: ir.BooleanValue, rules: EngagementRules) -> ir.Table:
    """``er_flags`` (reasons, '; '-joined, null when none) and ``er_rankable``."""
    ranked_er = t.er_followers_lc_median.fill_null(t.er_followers_lc_mean)
    views_er = t.er_views_lcs_median.fill_null(t.er_views_lc_median)
    reasons: list[ir.StringValue] = []

    def reason(condition: ir.BooleanValue, text: ir.StringValue | str) -> None:
        value = text if isinstance(text, ir.StringValue) else ibis.literal(text)
        reasons.append(ibis.ifelse(condition.fill_null(False), value, ibis.null("string")))

    reason(  # creators without any ER say so in null_reasons, not here
        has_posts.fill_null(False) & (t.n_posts < rules.min_posts),
        ibis.literal("too few posts (")
        + t.n_posts.fill_null(0).cast("string")
        + f" < {rules.min_posts})",
    )
    if rules.likes_above_views:
        reason(
            t.n_likes_above_views.fill_null(0) > 0,
            ibis.literal("likes above views on ")
            + t.n_likes_above_views.cast("string")
            + " of "
            + t.n_posts.cast("string")
            + " posts",
        )
    if rules.max_er_views is not None:
        reason(views_er > rules.max_er_views, f"ER by views above {rules.max_er_views:.0%}")
    bound = ibis.cases(
        *[(t.platform == p, ibis.literal(b)) for p, b in rules.max_er_followers.items()],
        else_=ibis.null("float64"),
    ) if rules.max_er_followers else ibis.null("float64")  # fmt: skip
    reason(
        ranked_er > bound,
        ibis.literal("ER by followers above the ")
        + t.platform
        + " bound ("
        + (bound * 100).round(0).cast("int64").cast("string")
        + "%)",
    )
    joined: ir.StringValue = ibis.null("string")
    for part in reasons:
        joined = ibis.cases(
            (part.isnull(), joined),
            (joined.isnull(), part),
            else_=joined + "; " + part,
        )
    return t.mutate(er_flags=joined, er_rankable=joined.isnull() & ranked_er.notnull())


def _null_reasons(t: ir.Table, has_posts: ir.BooleanValue) -> ir.StringValue:
    """A compact JSON object {metric: reason} for the headline metrics that came out null."""
    parts = []
    checks = [
        ("er_followers", t.er_followers_lc_mean.isnull(), ibis.cases(
            (t.followers.isnull(), "followers unknown"),
            (t.followers == 0, "followers is 0"),
            (~has_posts & t.er_source.isnull(), "no posts in the window and no reported averages"),
            else_="likes or comments missing",
        )),
        ("er_views", t.er_views_lcs_mean.isnull(), ibis.cases(
            (~has_posts & t.er_source.isnull(), "no posts in the window"),
            (t.n_posts_with_views.fill_null(0) == 0, "no view counts"),
            else_="likes, comments or shares missing",
        )),
        ("view_rate", t.view_rate.isnull(), ibis.cases(
            (t.followers.isnull() | (t.followers == 0), "followers unknown or 0"),
            else_="no view counts",
        )),
        ("posts_per_week", t.posts_per_week.isnull(), ibis.literal("needs 2+ posts on different days")),
    ]  # fmt: skip
    for name, is_null, why in checks:
        parts.append(ibis.ifelse(is_null, ibis.literal(f'"{name}": "') + why + '"', ibis.null("string")))
    joined = ibis.literal("{")
    first = ibis.literal(True)
    for part in parts:
        joined = joined + ibis.ifelse(part.isnull(), "", ibis.ifelse(first, "", ", ") + part)
        first = first & part.isnull()
    return joined + "}"


def parse_null_reasons(text: str | None) -> dict[str, str]:
    return dict(json.loads(text)) if text else {}
