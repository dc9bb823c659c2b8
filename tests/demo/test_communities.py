"""The planted communities and follower graph match calibration.toml [communities]."""

from __future__ import annotations

import numpy as np
import pandas as pd

from creatorlens.demo import DemoData, load_calibration


def _follows(demo: DemoData) -> pd.DataFrame:
    edges: pd.DataFrame = demo.edges.select(["source_id", "target_id", "kind", "platform"]).to_pandas()
    truth = demo.truth_communities.select(["creator_id", "community"]).to_pandas()
    home = dict(zip(truth.creator_id, truth.community, strict=True))
    # a fan's community: the one most of its follows go to (mu is small, so that is its own)
    edges["target_community"] = edges.target_id.map(home)
    return edges


def test_every_follow_is_a_follow_of_a_creator_on_its_platform(demo: DemoData) -> None:
    edges = _follows(demo)
    assert (edges.kind == "follow").all()
    assert edges.target_community.notna().all()
    assert (edges.target_id.str.split(":").str[0] == edges.platform).all()
    assert (edges.source_id.str.split(":").str[0] == edges.platform).all()
    assert not edges.duplicated(["source_id", "target_id"]).any()
    assert (edges.source_id != edges.target_id).all()
    assert edges.target_id.nunique() == demo.creators.num_rows  # every creator has followers


def test_community_sizes_and_leaders(demo: DemoData) -> None:
    conf = load_calibration().section("communities")
    low, high = (int(v) for v in conf["size"])
    truth = demo.truth_communities.to_pandas()
    sizes = truth.groupby("community").size()
    assert (sizes == truth.groupby("community").community_creators.first()).all()
    # a group smaller than the smallest size is one community; a short last piece joins the one
    # before it, so a community can exceed the largest size by less than the smallest
    assert sizes.max() < high + low
    assert (sizes >= low).mean() > 0.5
    assert (truth.groupby("community").is_leader.sum() == 1).all()
    # a community is cut from one platform x country group
    groups = truth.groupby("community").group.agg(lambda g: {x.rsplit("/", 1)[0] for x in g})
    assert (groups.map(len) == 1).all()


def test_crossing_share_of_follows_is_the_mixing_parameter(demo: DemoData) -> None:
    mu = float(load_calibration().value("communities", "mixing"))
    edges = _follows(demo)
    truth = demo.truth_communities.select(["creator_id", "community"]).to_pandas()
    creators = edges[edges.source_id.isin(set(truth.creator_id))]
    home = dict(zip(truth.creator_id, truth.community, strict=True))
    crossing = (creators.source_id.map(home) != creators.target_community).mean()
    # a crossing follow may land in its own community by chance (1 / communities of the platform)
    assert abs(crossing - mu) < 0.03, crossing
    fans = edges[~edges.source_id.isin(set(truth.creator_id))]
    main = fans.groupby("source_id").target_community.agg(lambda s: s.value_counts().index[0])
    fan_crossing = (fans.target_community != fans.source_id.map(main)).mean()
    assert fan_crossing < mu + 0.03


def test_planted_leaders_are_followed_most_in_their_community(demo: DemoData) -> None:
    edges = _follows(demo)
    truth = demo.truth_communities.to_pandas()
    indegree = edges.groupby("target_id").size().rename("indegree")
    frame = truth.merge(indegree, left_on="creator_id", right_index=True)
    frame = frame[frame.community_creators >= 5]
    top = frame.loc[frame.groupby("community").indegree.idxmax()]
    assert top.is_leader.mean() > 0.95
    assert np.all(frame.groupby("community").is_leader.sum() == 1)


def test_commenters_are_mostly_fans_of_the_creators_community(demo: DemoData) -> None:
    comments = demo.comments.select(["post_id", "author"]).to_pandas()
    posts = demo.posts.select(["post_id", "creator_id", "platform"]).to_pandas()
    on = comments.merge(posts, on="post_id")
    on["author_id"] = on.platform + ":" + on.author.str.lower()
    truth = demo.truth_communities.select(["creator_id", "community"]).to_pandas()
    home = dict(zip(truth.creator_id, truth.community, strict=True))
    fans = _follows(demo)
    fan_home = fans.groupby("source_id").target_community.agg(lambda s: s.value_counts().index[0])
    known = on[on.author_id.isin(fan_home.index)]
    # pod members (creators) comment too; everyone else is a planted fan
    assert len(known) > 0.5 * len(on)
    same = (known.author_id.map(fan_home) == known.creator_id.map(home)).mean()
    assert same > 0.8
