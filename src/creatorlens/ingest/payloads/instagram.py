"""Instagram Graph API responses: business_discovery, IG User, IG Media lists (with paging), media
insights, and the audience metrics ``follower_demographics`` / ``engaged_audience_demographics``
(plus the pre-v18 ``audience_*`` lifetime metrics found in older saved exports).

Field names follow shared/reference/api_fields.md and the Meta developer pages cited in
``data/api_limits.toml``. Nested edges (``media{...}``, ``insights.metric(...)``, ``comments``) are
read wherever the Graph API's field expansion puts them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from creatorlens.ingest.payloads._records import (
    PayloadError,
    PayloadRecords,
    ProfileFields,
    RecordBuilder,
    Row,
    as_count,
    as_text,
    as_time,
    clean_handle,
    extra,
    hashtags_in,
    mapping_or_none,
    mentions_in,
    path,
    profile_row,
    with_extra,
)

PLATFORM = "instagram"
BUSINESS_DISCOVERY = "instagram_graph.business_discovery"
USER = "instagram_graph.user"
MEDIA = "instagram_graph.media"
MEDIA_INSIGHTS = "instagram_graph.media_insights"
AUDIENCE = "instagram_graph.audience_demographics"
ERROR = "instagram_graph.error"
APIS = (BUSINESS_DISCOVERY, USER, MEDIA, MEDIA_INSIGHTS, AUDIENCE, ERROR)

_PROFILE = ProfileFields(
    "id", "name", "biography", "followers_count", "follows_count", "media_count"
)
_MEDIA_TYPES = frozenset({"IMAGE", "VIDEO", "CAROUSEL_ALBUM", "STORY"})
_PRODUCT_TYPES = frozenset({"FEED", "REELS", "STORY", "AD"})
# Fields only an IG User object has (TikTok says following_count / video_count instead).
_USER_ONLY = frozenset(
    {"follows_count", "media_count", "ig_id", "biography", "profile_picture_url"}
)
_DEMOGRAPHIC_METRICS = frozenset({"follower_demographics", "engaged_audience_demographics"})
# Lifetime audience metrics before Graph API v18 (values are {bucket: count} maps).
_LEGACY_AUDIENCE = {
    "audience_gender_age": "age_gender",
    "audience_country": "country",
    "audience_city": "city",
    "audience_locale": "language",
}
_GENDERS = {"F": "female", "M": "male", "U": "unknown"}
# Media insight -> post field. plays / impressions are the pre-2025-04-21 names of what 'views'
# now counts (see data/api_limits.toml); they fill views only when views itself is absent.
_INSIGHT_FIELDS = {
    "views": "views",
    "reach": "reach",
    "saved": "saves",
    "shares": "shares",
    "likes": "likes",
    "comments": "comments",
    "total_likes": "likes_total",
    "total_comments": "comments_total",
}
_DEPRECATED_VIEWS = ("plays", "impressions")


# --------------------------------------------------------------------------------- detection


def detect(doc: object) -> str | None:
    if not isinstance(doc, Mapping):
        return None
    error = mapping_or_none(doc.get("error"))
    if error is not None and ("fbtrace_id" in error or "type" in error) and "errors" not in error:
        return ERROR
    if isinstance(doc.get("business_discovery"), Mapping):
        return BUSINESS_DISCOVERY
    data = doc.get("data")
    if isinstance(data, list) and "kind" not in doc and "error" not in doc:
        return _detect_list(data, has_paging=isinstance(doc.get("paging"), Mapping))
    if _is_media(doc):
        return MEDIA
    if _is_user(doc):
        return USER
    return None


def _detect_list(items: list[Any], *, has_paging: bool) -> str | None:
    objects = [i for i in items if isinstance(i, Mapping)]
    if not objects:
        return MEDIA if has_paging else None
    if all(_is_metric(o) for o in objects):
        names = {str(o.get("name")) for o in objects}
        if names & (_DEMOGRAPHIC_METRICS | _LEGACY_AUDIENCE.keys()):
            return AUDIENCE
        return MEDIA_INSIGHTS
    if sum(_is_media(o) for o in objects) * 2 > len(objects):
        return MEDIA
    return None


def _is_metric(obj: Mapping[str, Any]) -> bool:
    return isinstance(obj.get("name"), str) and ("values" in obj or "total_value" in obj)


def _is_media(obj: Mapping[str, Any]) -> bool:
    return "id" in obj and (
        str(obj.get("media_type")) in _MEDIA_TYPES
        or str(obj.get("media_product_type")) in _PRODUCT_TYPES
    )


def _is_user(obj: Mapping[str, Any]) -> bool:
    return "username" in obj and "id" in obj and bool(_USER_ONLY & obj.keys())


# --------------------------------------------------------------------------------- reading


def read(pages: list[tuple[str, object]], api: str, handle: str | None) -> PayloadRecords:
    builder = RecordBuilder(api, PLATFORM)
    for prefix, page in pages:
        if not isinstance(page, Mapping):
            raise PayloadError("an Instagram Graph API response must be a JSON object", prefix)
        if api == ERROR:
            error = page.get("error") or {}
            kind = error.get("type", "no type")
            raise PayloadError(
                f"Instagram Graph API error {error.get('code')!r} ({kind}): "
                f"{error.get('message') or 'no message'}",
                path(prefix, "error"),
            )
        if api == BUSINESS_DISCOVERY:
            _user(page["business_discovery"], path(prefix, "business_discovery"), builder)
        elif api == USER:
            _user(page, prefix, builder)
        elif api == MEDIA:
            _media_page(page, prefix, handle, builder)
        elif api == MEDIA_INSIGHTS:
            _insights_page(page, prefix, handle, builder)
        elif api == AUDIENCE:
            owner = clean_handle(handle)
            if owner is None:
                raise PayloadError(
                    "account insights do not name the account; pass --handle USERNAME", prefix
                )
            _audience(page.get("data"), path(prefix, "data"), owner, builder)
    return builder.out


def _user(user: Mapping[str, Any], where: str, builder: RecordBuilder) -> None:
    record = builder.record()
    owner = clean_handle(user.get("username"))
    if owner is None:
        raise PayloadError("the account has no username", where)
    row = profile_row(PLATFORM, owner, user, _PROFILE)
    used = (*_PROFILE, "username", "media", "insights")
    builder.add_creator(with_extra(row, extra(user, used)), record, where)
    media = mapping_or_none(user.get("media"))
    if media is not None:
        _media_items(media.get("data"), path(path(where, "media"), "data"), owner, builder)
    insights = mapping_or_none(user.get("insights"))
    if insights is not None:
        _audience(insights.get("data"), path(path(where, "insights"), "data"), owner, builder)


def _media_page(
    page: Mapping[str, Any], prefix: str, handle: str | None, builder: RecordBuilder
) -> None:
    if "data" in page:
        _media_items(page["data"], path(prefix, "data"), clean_handle(handle), builder)
    else:  # a single IG Media object
        _media_items([page], prefix, clean_handle(handle), builder, single=True)


def _media_items(
    items: object,
    where: str,
    owner: str | None,
    builder: RecordBuilder,
    *,
    single: bool = False,
) -> None:
    if not isinstance(items, list):
        raise PayloadError("expected a list of media", where)
    for record, item_where, item in builder.objects(items, where, "a media item", single=single):
        item_owner = clean_handle(item.get("username")) or owner
        if item_owner is None:
            raise PayloadError(
                "media has no username (add 'username' to the fields) ; pass --handle USERNAME",
                item_where,
            )
        row = _media_row(item, item_where, builder)
        row["handle"] = item_owner
        builder.add_post(row, record, item_where)
        comments = mapping_or_none(item.get("comments"))
        if comments is not None:
            _comments(comments.get("data"), path(path(item_where, "comments"), "data"),
                      row["platform_post_id"], None, builder)  # fmt: skip


def _post_kind(item: Mapping[str, Any]) -> str | None:
    product, media_type = item.get("media_product_type"), item.get("media_type")
    if product == "REELS":
        return "reel"
    if product == "STORY" or media_type == "STORY":
        return "story"
    return {"CAROUSEL_ALBUM": "carousel", "VIDEO": "video", "IMAGE": "photo"}.get(str(media_type))


def _media_row(item: Mapping[str, Any], where: str, builder: RecordBuilder) -> Row:
    caption = as_text(item.get("caption"))
    row: Row = {
        "platform_post_id": as_text(item.get("id")),
        "posted_at": as_time(item.get("timestamp")),
        "kind": _post_kind(item),
        "caption": caption,
        "hashtags": hashtags_in(caption),
        "mentions": mentions_in(caption),
        "likes": as_count(item.get("like_count")),
        "comments": as_count(item.get("comments_count")),
        "likes_total": as_count(item.get("total_like_count")),
        "comments_total": as_count(item.get("total_comments_count")),
        "post_url": as_text(item.get("permalink")),
        # An AD product is promotion by definition; otherwise the Graph API does not say.
        "is_paid": True if item.get("media_product_type") == "AD" else None,
    }
    used = ["id", "timestamp", "caption", "like_count", "comments_count", "total_like_count",
            "total_comments_count", "permalink", "username", "comments"]  # fmt: skip
    insights = mapping_or_none(item.get("insights"))
    leftovers = extra(item, used)
    if insights is not None:
        leftovers.pop("insights", None)
        unused = _apply_insights(row, insights.get("data"), path(path(where, "insights"), "data"),
                                 builder)  # fmt: skip
        if unused:
            leftovers["insights"] = unused
    return with_extra(row, leftovers)


def _metric_value(metric: Mapping[str, Any]) -> object:
    total = mapping_or_none(metric.get("total_value"))
    if total is not None and "value" in total:
        return total["value"]
    values = metric.get("values")
    if isinstance(values, list) and values and isinstance(values[0], Mapping):
        return values[0].get("value")
    return None


def _apply_insights(
    row: Row, metrics: object, where: str, builder: RecordBuilder
) -> dict[str, Any]:
    """Put media insight values into the post row; return those that map to no column."""
    if not isinstance(metrics, list):
        raise PayloadError("expected a list of insight metrics", where)
    values: dict[str, object] = {}
    for i, metric in enumerate(metrics):
        if not isinstance(metric, Mapping) or not isinstance(metric.get("name"), str):
            raise PayloadError("an insight metric needs a 'name'", path(where, i))
        values[metric["name"]] = _metric_value(metric)
    unused: dict[str, Any] = {}
    for name, value in values.items():
        target = _INSIGHT_FIELDS.get(name)
        if target is None:
            if name not in _DEPRECATED_VIEWS:
                unused[name] = value
            continue
        if value is not None and (target in ("views", "reach", "saves", "shares")
                                  or row.get(target) is None):  # fmt: skip
            row[target] = as_count(value)
    if row.get("views") is None:
        for name in _DEPRECATED_VIEWS:
            if values.get(name) is not None:
                row["views"] = as_count(values[name])
                builder.note(where, f"views taken from the deprecated '{name}' metric")
                break
    return unused


def _insights_page(
    page: Mapping[str, Any], prefix: str, handle: str | None, builder: RecordBuilder
) -> None:
    where = path(prefix, "data")
    record = builder.record()
    metrics = page.get("data")
    media_id = _insights_owner_id(metrics)
    if media_id is None:
        raise PayloadError("media insights whose metric ids do not name the media", where)
    owner = clean_handle(handle)
    if owner is None:
        raise PayloadError("media insights do not name the account; pass --handle USERNAME", where)
    row: Row = {"platform_post_id": media_id}
    unused = _apply_insights(row, metrics, where, builder)
    row["handle"] = owner
    builder.add_post(with_extra(row, {"insights": unused} if unused else {}), record, where)


def _insights_owner_id(metrics: object) -> str | None:
    """The object id in a metric id such as ``17895695668004550/insights/reach/lifetime``."""
    if not isinstance(metrics, list):
        return None
    for metric in metrics:
        if isinstance(metric, Mapping) and "/insights/" in str(metric.get("id", "")):
            return str(metric["id"]).split("/insights/", 1)[0] or None
    return None


# --------------------------------------------------------------------------------- audience


def _audience(metrics: object, where: str, owner: str, builder: RecordBuilder) -> None:
    if not isinstance(metrics, list):
        raise PayloadError("expected a list of insight metrics", where)
    for i, metric in enumerate(metrics):
        metric_where = path(where, i)
        if not isinstance(metric, Mapping):
            raise PayloadError("an insight metric must be a JSON object", metric_where)
        name = str(metric.get("name"))
        source = f"instagram_graph.{name}"
        if name in _DEMOGRAPHIC_METRICS:
            _breakdowns(metric, metric_where, owner, source, builder)
        elif name in _LEGACY_AUDIENCE:
            _legacy_audience(metric, metric_where, owner, source, _LEGACY_AUDIENCE[name], builder)


def _breakdowns(
    metric: Mapping[str, Any], where: str, owner: str, source: str, builder: RecordBuilder
) -> None:
    total_value = mapping_or_none(metric.get("total_value")) or {}
    breakdowns = total_value.get("breakdowns") or []
    all_where = path(path(where, "total_value"), "breakdowns")
    if not isinstance(breakdowns, list):
        raise PayloadError("breakdowns must be a list", all_where)
    if not breakdowns:
        builder.note(where, f"{source} has no breakdown: withheld (fewer than 100 people) or empty")
    for b, breakdown in enumerate(breakdowns):
        b_where = path(all_where, b)
        if not isinstance(breakdown, Mapping):
            raise PayloadError("a breakdown must be a JSON object", b_where)
        keys = [str(k) for k in _as_list(breakdown.get("dimension_keys"))]
        dimension = "_".join(keys)
        results = breakdown.get("results") or []
        if not isinstance(results, list):
            raise PayloadError("results must be a list", path(b_where, "results"))
        buckets: list[tuple[int, str, str, object]] = []
        for record, r_where, result in builder.objects(
            results, path(b_where, "results"), "a breakdown result"
        ):
            labels = [str(v) for v in _as_list(result.get("dimension_values"))]
            bucket = "|".join(_bucket_label(k, v) for k, v in zip(keys, labels, strict=False))
            buckets.append((record, r_where, bucket, as_count(result.get("value"))))
        _add_shares(buckets, owner, dimension, source, builder)


def _legacy_audience(
    metric: Mapping[str, Any],
    where: str,
    owner: str,
    source: str,
    dimension: str,
    builder: RecordBuilder,
) -> None:
    counts = _metric_value(metric)
    if not isinstance(counts, Mapping):
        builder.note(where, f"{source} has no values: withheld or empty")
        return
    buckets: list[tuple[int, str, str, object]] = []
    for key, value in counts.items():
        record = builder.record()
        bucket = str(key)
        if dimension == "age_gender" and "." in bucket:  # "F.18-24"
            gender, age = bucket.split(".", 1)
            bucket = f"{age}|{_GENDERS.get(gender, gender)}"
        buckets.append((record, path(path(where, "values[0].value"), str(key)), bucket,
                        as_count(value)))  # fmt: skip
    _add_shares(buckets, owner, dimension, source, builder)


def _as_list(value: object) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _bucket_label(key: str, value: str) -> str:
    return _GENDERS.get(value, value) if key == "gender" else value


def _add_shares(
    buckets: list[tuple[int, str, str, object]],
    owner: str,
    dimension: str,
    source: str,
    builder: RecordBuilder,
) -> None:
    """Counts -> shares of the breakdown's listed total (the API lists counts, not shares)."""
    counted = [c for *_, c in buckets if isinstance(c, int) and not isinstance(c, bool)]
    total = sum(counted)
    for record, where, bucket, count in buckets:
        share = None
        if isinstance(count, int) and not isinstance(count, bool) and total > 0:
            share = count / total
        row: Row = {
            "handle": owner,
            "dimension": dimension,
            "bucket": bucket,
            "share": share,
            "source": source,
        }
        if share is None:
            row["_extra"] = {"value": count}
        builder.add_audience(row, record, where)


# --------------------------------------------------------------------------------- comments


def _comments(
    items: object, where: str, post_id: str | None, parent: str | None, builder: RecordBuilder
) -> None:
    if not isinstance(items, list):
        return
    for record, c_where, comment in builder.objects(items, where, "a comment"):
        comment_id = as_text(comment.get("id"))
        row: Row = {
            "comment_id": comment_id,
            "post_id": post_id,
            "author": clean_handle(comment.get("username")),
            "text": as_text(comment.get("text")),
            "created_at": as_time(comment.get("timestamp")),
            "reply_to": parent,
        }
        used = ("id", "username", "text", "timestamp", "replies")
        builder.add_comment(with_extra(row, extra(comment, used)), record, c_where)
        replies = mapping_or_none(comment.get("replies"))
        if replies is not None:
            _comments(replies.get("data"), path(path(c_where, "replies"), "data"), post_id,
                      comment_id, builder)  # fmt: skip
