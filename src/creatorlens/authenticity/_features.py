"""Profile features for fake-account detection, computed in vectorised numpy.

The input is a DataFrame of *canonical profile columns* (see ``PROFILE_COLUMNS``). Every column is
optional: a feature whose inputs are missing is NaN and the classifier imputes it (and says so).
Adapters map the two training sets and the workspace ``creators`` table onto these columns, so one
feature function serves training, follower audits and creators alike.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from creatorlens.authenticity._config import audience_quality_config, feature_catalogue

FloatArray = npt.NDArray[np.float64]

#: Columns a profile table may carry. Text columns (bio, handle, display_name) are only needed when
#: the numeric summaries (bio_length, username_digit_share) are absent.
PROFILE_COLUMNS: tuple[str, ...] = (
    "followers",
    "following",
    "posts_count",
    "has_profile_pic",
    "is_private",
    "has_external_url",
    "bio_length",
    "bio",
    "handle",
    "display_name",
    "username_digit_share",
    "last_post_at",
    "observed_at",
)

#: Accepted spellings of the canonical columns in follower files and API payloads.
PROFILE_SYNONYMS: dict[str, tuple[str, ...]] = {
    "followers": (
        "followers",
        "follower_count",
        "followers_count",
        "userfollowercount",
        "#followers",
        "edge_followed_by",
    ),
    "following": (
        "following",
        "following_count",
        "follows",
        "follows_count",
        "friends_count",
        "userfollowingcount",
        "#follows",
        "edge_follow",
    ),
    "posts_count": (
        "posts_count",
        "posts",
        "media_count",
        "usermediacount",
        "#posts",
        "statuses_count",
    ),
    "has_profile_pic": (
        "has_profile_pic",
        "profile_pic",
        "profile pic",
        "userhasprofilpic",
        "has_profile_picture",
    ),
    "is_private": ("is_private", "private", "userisprivate"),
    "has_external_url": ("has_external_url", "external url", "external_url", "userhasexternalurl"),
    "bio_length": ("bio_length", "description length", "userbiographylength", "biography_length"),
    "bio": ("bio", "biography", "description"),
    "handle": ("handle", "username", "user_name", "screen_name"),
    "display_name": ("display_name", "full_name", "fullname", "name"),
    "username_digit_share": ("username_digit_share", "nums/length username"),
    "last_post_at": ("last_post_at", "last_posted_at", "latest_post_at"),
    "observed_at": ("observed_at",),
}

_DIGIT = re.compile(r"\d")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def feature_names(*, in_model_only: bool = True) -> list[str]:
    """Feature names in catalogue order (only the packaged model's inputs by default)."""
    return [
        f["name"]
        for f in feature_catalogue()["features"]
        if f["group"] == "A" and (f["in_model"] or not in_model_only)
    ]


def canonical_profiles(frame: pd.DataFrame) -> pd.DataFrame:
    """Rename a follower file's / payload's columns to the canonical profile columns.

    Matching is case-insensitive over ``PROFILE_SYNONYMS``; unknown columns are kept as they are.
    """
    lowered = {str(c).strip().lower(): c for c in frame.columns}
    renames: dict[Any, str] = {}
    for canonical, spellings in PROFILE_SYNONYMS.items():
        if canonical in frame.columns:
            continue
        for spelling in spellings:
            original = lowered.get(spelling)
            if original is not None and original not in renames:
                renames[original] = canonical
                break
    return frame.rename(columns=renames)


_INSTAFAKE_FIELDS = {
    "userFollowerCount": "followers",
    "userFollowingCount": "following",
    "userMediaCount": "posts_count",
    "userHasProfilPic": "has_profile_pic",
    "userIsPrivate": "is_private",
    "userBiographyLength": "bio_length",
    "userHasExternalUrl": "has_external_url",
}


def _as_floats(
    frame: pd.DataFrame, fields: dict[str, str], label: str | None = None, *, present_only: bool = False
) -> pd.DataFrame:
    """``frame``'s ``fields`` (source column -> canonical name) as floats, and ``is_fake`` from the
    0/1 column ``label`` when the frame has it. ``present_only``: skip the fields the frame lacks."""
    out = pd.DataFrame(
        {
            canonical: frame[source].astype(float)
            for source, canonical in fields.items()
            if not present_only or source in frame.columns
        }
    )
    if label is not None and label in frame.columns:
        out["is_fake"] = frame[label].astype(int)
    return out


def from_instafake(frame: pd.DataFrame) -> pd.DataFrame:
    """InstaFake ``fake-v1.0`` records -> canonical profile columns (+ ``is_fake``)."""
    # The fake/real files and the non-automated file carry different profile fields: map the
    # ones a file has.
    out = _as_floats(frame, _INSTAFAKE_FIELDS, present_only=True)
    length = frame["usernameLength"].astype(float).clip(lower=1.0)
    out["username_digit_share"] = frame["usernameDigitCount"].astype(float) / length
    if "isFake" in frame.columns:
        out["is_fake"] = frame["isFake"].astype(int)
    return out


_KAGGLE_FIELDS = {
    "#followers": "followers",
    "#follows": "following",
    "#posts": "posts_count",
    "profile pic": "has_profile_pic",
    "private": "is_private",
    "external URL": "has_external_url",
    "description length": "bio_length",
    "nums/length username": "username_digit_share",
}


def from_kaggle(frame: pd.DataFrame) -> pd.DataFrame:
    """Kaggle 'Instagram fake spammer genuine accounts' rows -> canonical columns."""
    return _as_floats(frame, _KAGGLE_FIELDS, "fake")


_TWITTER_BOT_LABELS = {"bot": 1, "human": 0}


def from_twitter_users(frame: pd.DataFrame) -> pd.DataFrame:
    """Twitter v1.1 user fields (bot-repository ``users_flat.csv``) -> canonical columns.

    ``friends_count`` is following and ``statuses_count`` posts; ``default_profile_image`` (the egg)
    means no picture; ``protected`` is private; a non-empty ``url`` is an external URL; the bio is
    ``description`` and the username ``screen_name``. A ``label`` column of bot/human becomes
    ``is_fake``; other labels (``conflict``) are dropped, so every row keeps a known label.
    """
    if "label" in frame.columns:
        frame = frame[frame["label"].isin(list(_TWITTER_BOT_LABELS))]
    out = pd.DataFrame(
        {
            "followers": pd.to_numeric(frame["followers_count"], errors="coerce"),
            "following": pd.to_numeric(frame["friends_count"], errors="coerce"),
            "posts_count": pd.to_numeric(frame["statuses_count"], errors="coerce"),
            "has_profile_pic": 1.0 - frame["default_profile_image"].map(_parse_flag),
            "is_private": frame["protected"].map(_parse_flag),
            "has_external_url": frame["url"].map(_parse_flag).fillna(0.0),
            "bio": frame["description"].astype("string"),
            "handle": frame["screen_name"].astype("string"),
        },
        index=frame.index,
    )
    if "label" in frame.columns:
        out["is_fake"] = frame["label"].map(_TWITTER_BOT_LABELS).astype(int)
    return out.reset_index(drop=True)


#: Columns of the Social Honeypot release (Lee, Eoff & Caverlee 2011), tab-separated, no header.
HONEYPOT_COLUMNS = (
    "UserID",
    "CreatedAt",
    "CollectedAt",
    "NumerOfFollowings",
    "NumberOfFollowers",
    "NumberOfTweets",
    "LengthOfScreenName",
    "LengthOfDescriptionInUserProfile",
)


_HONEYPOT_FIELDS = {
    "NumberOfFollowers": "followers",
    "NumerOfFollowings": "following",
    "NumberOfTweets": "posts_count",
    "LengthOfDescriptionInUserProfile": "bio_length",
}


def from_honeypot(frame: pd.DataFrame) -> pd.DataFrame:
    """Social Honeypot profile rows -> canonical columns (counts and bio length only).

    The release has no picture, privacy, URL or username characters, so those stay missing; its
    dates are not used (the two classes were collected in different months, so dates leak the label).
    """
    return _as_floats(frame, _HONEYPOT_FIELDS, "is_fake")


def from_creators(frame: pd.DataFrame) -> pd.DataFrame:
    """Workspace ``creators`` rows -> canonical profile columns (picture/privacy are unknown)."""
    keep = [
        c
        for c in (
            "followers",
            "following",
            "posts_count",
            "bio",
            "handle",
            "display_name",
            "observed_at",
        )
        if c in frame.columns
    ]
    return frame[keep].copy()


def _numeric(frame: pd.DataFrame, column: str) -> FloatArray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    values = pd.to_numeric(frame[column], errors="coerce")
    return values.to_numpy(dtype=np.float64, na_value=np.nan)


def _flag(frame: pd.DataFrame, column: str) -> FloatArray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    series = frame[column]
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        mapped = series.map(_parse_flag)
        return np.asarray(mapped.to_numpy(na_value=np.nan), dtype=np.float64)
    return _numeric(frame, column)


def _parse_flag(value: object) -> float:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return np.nan
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "y", "t"}:
        return 1.0
    if text in {"0", "false", "no", "n", "f"}:
        return 0.0
    # A non-empty URL / picture address means the flag is set.
    return 1.0 if text not in {"", "nan", "none", "null"} else np.nan


def _text_lengths(frame: pd.DataFrame, column: str) -> FloatArray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    series = frame[column]
    lengths = series.astype("string").str.len().astype("Float64")
    # A null bio in a profile export means "no bio", not "unknown".
    return np.asarray(lengths.fillna(0.0).to_numpy(na_value=np.nan), dtype=np.float64)


def _handles(frame: pd.DataFrame) -> pd.Series | None:
    if "handle" not in frame.columns:
        return None
    return frame["handle"].astype("string").str.strip().str.lstrip("@").str.lower()


def _digit_share(handles: pd.Series) -> FloatArray:
    digits = handles.str.count(r"\d").astype("Float64")
    lengths = handles.str.len().astype("Float64").clip(lower=1)
    return np.asarray((digits / lengths).to_numpy(na_value=np.nan), dtype=np.float64)


def profile_features(profiles: pd.DataFrame) -> pd.DataFrame:
    """All group-A features (catalogue order) for each row of canonical profile columns.

    Counts are log1p-transformed because follower counts span seven orders of magnitude and
    ratios of counts become differences of logs, which stay finite at zero.
    """
    thresholds = audience_quality_config()["thresholds"]
    followers = _numeric(profiles, "followers")
    following = _numeric(profiles, "following")
    posts = _numeric(profiles, "posts_count")
    log_followers = np.log1p(np.clip(followers, 0, None))
    log_following = np.log1p(np.clip(following, 0, None))
    log_posts = np.log1p(np.clip(posts, 0, None))

    bio_length = _numeric(profiles, "bio_length")
    if np.isnan(bio_length).all() and "bio" in profiles.columns:
        bio_length = _text_lengths(profiles, "bio")

    handles = _handles(profiles)
    digit_share = _numeric(profiles, "username_digit_share")
    ends_with_digit = np.full(len(profiles), np.nan)
    name_matches = np.full(len(profiles), np.nan)
    if handles is not None:
        if np.isnan(digit_share).all():
            digit_share = _digit_share(handles)
        ends_with_digit = (
            handles.str.contains(r"\d$", regex=True)
            .astype("Float64")
            .to_numpy(dtype=np.float64, na_value=np.nan)
        )
        if "display_name" in profiles.columns:
            squashed_name = (
                profiles["display_name"]
                .astype("string")
                .str.lower()
                .str.replace(_NON_ALNUM, "", regex=True)
            )
            squashed_handle = handles.str.replace(_NON_ALNUM, "", regex=True)
            name_matches = (
                (squashed_name == squashed_handle)
                .astype("Float64")
                .to_numpy(dtype=np.float64, na_value=np.nan)
            )

    following_per_follower = log_following - log_followers
    columns: dict[str, FloatArray] = {
        "log_followers": log_followers,
        "log_following": log_following,
        "log_posts": log_posts,
        "has_profile_pic": _flag(profiles, "has_profile_pic"),
        "is_private": _flag(profiles, "is_private"),
        "log_bio_length": np.log1p(np.clip(bio_length, 0, None)),
        "username_digit_share": digit_share,
        "log_following_per_follower": following_per_follower,
        "log_following_per_post": log_following - log_posts,
        "log_followers_per_post": log_followers - log_posts,
        "mass_following_excess": np.maximum(
            log_following - np.log1p(float(thresholds["mass_following"])), 0.0
        ),
        "following_excess_over_followers": np.maximum(following_per_follower, 0.0),
        "has_external_url": _flag(profiles, "has_external_url"),
        "username_ends_with_digit": ends_with_digit,
        "name_matches_username": name_matches,
    }
    # np.maximum keeps NaN, so a missing count stays missing in the derived features.
    return pd.DataFrame(
        {name: columns[name] for name in feature_names(in_model_only=False)}, index=profiles.index
    )
