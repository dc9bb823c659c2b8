"""Injected events, audiences and comments are recorded in the truth tables and in the data."""

from __future__ import annotations

import numpy as np
import pandas as pd

from creatorlens.demo import DemoData, load_calibration


def _snapshots_with_previous(demo: DemoData) -> pd.DataFrame:
    snaps: pd.DataFrame = demo.follower_snapshots.to_pandas().sort_values(["creator_id", "observed_at"])
    snaps["previous"] = snaps.groupby("creator_id").followers.shift()
    return snaps


def test_every_event_kind_is_recorded_at_the_calibrated_rate(demo: DemoData) -> None:
    cal = load_calibration()
    events = demo.truth_events.to_pandas()
    truth = demo.truth_creators.to_pandas()
    assert set(events.kind) == {"bought", "purge", "viral", "promoted"}
    eligible = (truth.tier != "none").mean()
    for column, key in (
        ("has_bought_spike", "bought_spike_share"),
        ("has_viral_burst", "viral_burst_share"),
    ):
        expected = cal.value("authenticity", key) * eligible
        assert abs(truth[column].mean() - expected) < 0.015, column
    assert 0 < truth.is_promoted.mean() < 0.03
    assert 0 < truth.is_pod.mean() < 0.05
    bought = set(events[events.kind == "bought"].creator_id)
    assert bought == set(truth[truth.has_bought_spike].creator_id)
    assert set(events[events.kind == "viral"].creator_id) == set(
        truth[truth.has_viral_burst].creator_id
    )
    assert set(events[events.kind == "purge"].creator_id) <= bought
    # the flags are disjoint so that a detector's hits and false alarms are unambiguous
    flags = truth[["has_bought_spike", "has_viral_burst", "is_pod", "is_promoted"]].sum(axis=1)
    assert flags.max() == 1


def test_a_spike_raises_followers_by_its_size_at_its_date(demo: DemoData) -> None:
    events = demo.truth_events.to_pandas().merge(
        _snapshots_with_previous(demo), on=["creator_id", "observed_at"], how="left"
    )
    assert events.followers.notna().all()  # every event date is a snapshot date
    jump = events.followers - events.previous
    organic = jump - events["size"]
    # what remains beyond the recorded size is one week of organic change (well under 3%)
    assert (organic.abs() <= 0.03 * events.previous + 2).all()
    spikes = events[events.kind.isin(["bought", "viral"])]
    assert spikes.size_pct.between(0.05 - 0.01, 0.40 + 0.01).all()
    assert (events[events.kind == "purge"]["size"] < 0).all()


def test_ordinary_weeks_change_much_less_than_a_spike(demo: DemoData) -> None:
    snaps = _snapshots_with_previous(demo).dropna(subset=["previous"])
    events = demo.truth_events.to_pandas()[["creator_id", "observed_at"]].assign(event=True)
    snaps = snaps.merge(events, on=["creator_id", "observed_at"], how="left")
    calm = snaps[snaps.event.isna() & (snaps.previous >= 1000)]
    change = (calm.followers - calm.previous) / calm.previous
    assert change.abs().quantile(0.99) < 0.03


def test_last_snapshot_equals_the_creator_count(demo: DemoData) -> None:
    snaps = demo.follower_snapshots.to_pandas()
    last = snaps.sort_values("observed_at").groupby("creator_id").tail(1).set_index("creator_id")
    creators = demo.creators.to_pandas().set_index("creator_id")
    assert (last.loc[creators.index, "followers"] == creators.followers).all()
    assert (last.loc[creators.index, "posts_count"] == creators.posts_count).all()
    assert (snaps.followers > 0).all()


def test_bought_spikes_keep_flat_engagement_and_viral_bursts_lift_it(demo: DemoData) -> None:
    posts = demo.posts.to_pandas()[["post_id", "creator_id", "posted_at", "likes", "views"]]
    posts = posts.merge(demo.truth_posts.to_pandas()[["post_id", "viral"]], on="post_id")
    events = demo.truth_events.to_pandas()
    ratios = []
    for row in events[events.kind == "bought"].itertuples():
        mine = posts[posts.creator_id == row.creator_id]
        before = mine[mine.posted_at < row.observed_at - pd.Timedelta(days=7)].likes
        after = mine[mine.posted_at >= row.observed_at].likes
        if len(before) >= 3 and len(after) >= 3 and before.median() > 20:
            ratios.append(after.median() / before.median())
    assert len(ratios) > 20
    assert 0.7 < float(np.median(ratios)) < 1.4  # no engagement change with a bought spike
    assert not posts[posts.creator_id.isin(events[events.kind == "bought"].creator_id)].viral.any()

    viral = events[events.kind == "viral"]
    lifts = []
    for row in viral.itertuples():
        mine = posts[posts.creator_id == row.creator_id]
        trigger = mine[mine.post_id == row.post_id].likes.iloc[0]
        lifts.append(trigger / max(mine.likes.median(), 1))
    assert float(np.median(lifts)) >= 5


def test_promoted_posts_show_paid_reach(demo: DemoData) -> None:
    posts = demo.posts.to_pandas().set_index("post_id")
    promoted = demo.truth_events.to_pandas().query("kind == 'promoted'")
    rows = posts.loc[promoted.post_id]
    assert (rows.platform == "instagram").all()
    assert (rows.likes_total > rows.likes).all() and rows.is_paid.all()
    organic = posts[posts.likes_total.notna() & ~posts.index.isin(promoted.post_id)]
    assert (organic.likes_total == organic.likes).all()


def test_pods_comment_on_each_other_in_the_same_order(demo: DemoData) -> None:
    truth = demo.truth_creators.to_pandas()
    comments = demo.comments.to_pandas()
    post_owner = demo.posts.to_pandas().set_index("post_id").creator_id
    comments["owner"] = post_owner.loc[comments.post_id].to_numpy()
    pods = truth[truth.is_pod]
    assert len(pods) > 0
    for pod_id, members in pods.groupby("pod_id"):
        owner = members.creator_id.iloc[0]
        handles = set(members.handle) - {members.handle.iloc[0]}  # the owner's replies aside
        mine = comments[comments.owner == owner].sort_values(["post_id", "created_at"])
        sequences = {
            tuple(group[group.author.isin(handles)].author) for _, group in mine.groupby("post_id")
        }
        assert len(sequences) == 1, pod_id  # the same accounts, in the same order, every post
        assert len(next(iter(sequences))) == len(members) - 1


def test_comments_have_creator_replies(demo: DemoData) -> None:
    comments = demo.comments.to_pandas()
    replies = comments[comments.reply_to.notna()]
    assert len(replies) > 0
    assert set(replies.reply_to) <= set(comments.comment_id)
    owner = demo.posts.to_pandas().set_index("post_id").creator_id
    handles = demo.creators.to_pandas().set_index("creator_id").handle
    expected = handles.loc[owner.loc[replies.post_id]].to_numpy()
    assert (replies.author.to_numpy() == expected).all()
    parents = comments.set_index("comment_id").created_at.loc[replies.reply_to].to_numpy()
    assert (replies.created_at.to_numpy() >= parents).all()


def test_audience_shares_sum_to_one_and_some_creators_have_none(demo: DemoData) -> None:
    audience = demo.audience.to_pandas()
    assert audience.share.between(0, 1).all()
    sums = audience.groupby(["creator_id", "dimension", "source"]).share.sum()
    assert np.allclose(sums, 1.0)
    assert set(audience.dimension) == {
        "age",
        "gender",
        "country",
        "language",
        "interest",
        "city",
        "age_gender",
    }
    assert set(audience[audience.dimension == "age"].bucket) == {
        "13-17",
        "18-24",
        "25-34",
        "35-44",
        "45-54",
        "55+",
    }
    assert set(audience[audience.dimension == "gender"].bucket) == {"female", "male", "other"}
    assert (audience.source == "demo").all()
    covered = audience.creator_id.nunique() / demo.creators.num_rows
    assert 0.80 < covered < 0.90
    truth = demo.truth_creators.to_pandas()
    assert set(truth[truth.has_audience].creator_id) == set(audience.creator_id)


def test_small_creators_have_local_audiences(demo: DemoData) -> None:
    audience = demo.audience.to_pandas().query("dimension == 'country'")
    creators = demo.truth_creators.to_pandas()[["creator_id", "country", "tier"]]
    home = audience.merge(creators, on="creator_id").query("bucket == country")
    by_tier = home.groupby("tier").share.median()
    assert by_tier["nano"] > by_tier["micro"] > by_tier["macro"] > by_tier["mega"]
    assert by_tier["nano"] > 0.7


def test_audience_gender_follows_the_niche(demo: DemoData) -> None:
    audience = demo.audience.to_pandas().query("dimension == 'gender' and bucket == 'female'")
    niche = demo.truth_creators.to_pandas()[["creator_id", "niche"]]
    female = audience.merge(niche, on="creator_id").groupby("niche").share.median()
    assert female["beauty"] > 0.7 and female["automotive"] < 0.3
