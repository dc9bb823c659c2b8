"""The demo generator: determinism, schema, calibration against calibration.toml, ground truth."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

from creatorlens.demo import (
    COMPLIANT_STYLES,
    DEMO_TRUTH_COMMUNITIES,
    DEMO_TRUTH_CREATORS,
    DEMO_TRUTH_EVENTS,
    DEMO_TRUTH_FOLLOWERS,
    DEMO_TRUTH_POSTS,
    STYLES,
    DemoData,
    generate_demo,
    load_calibration,
)
from creatorlens.store import TABLES_BY_NAME
from creatorlens.tiers import TierScheme

TRUTH_SPECS = (
    DEMO_TRUTH_CREATORS,
    DEMO_TRUTH_EVENTS,
    DEMO_TRUTH_POSTS,
    DEMO_TRUTH_FOLLOWERS,
    DEMO_TRUTH_COMMUNITIES,
)

NICHES = {
    "beauty",
    "fashion",
    "food",
    "travel",
    "fitness",
    "family_parenting",
    "pets",
    "home_interior",
    "tech",
    "gaming",
    "finance_crypto",
    "education",
    "entertainment_comedy",
    "music",
    "sports",
    "automotive",
    "health",
}


def _all_tables(data: DemoData) -> dict[str, pa.Table]:
    return {**data.source_tables(), **data.truth_tables()}


def test_same_seed_gives_identical_tables() -> None:
    first = generate_demo(seed=3, creators=150, posts_per_creator=8)
    second = generate_demo(seed=3, creators=150, posts_per_creator=8)
    for name, table in _all_tables(first).items():
        assert table.equals(_all_tables(second)[name]), name


def test_different_seed_gives_different_tables() -> None:
    first = generate_demo(seed=3, creators=150, posts_per_creator=8)
    other = generate_demo(seed=4, creators=150, posts_per_creator=8)
    assert not first.creators.equals(other.creators)
    assert not first.posts.equals(other.posts)
    assert not first.follower_snapshots.equals(other.follower_snapshots)


def test_source_tables_match_the_store_schema_exactly(tiny: DemoData) -> None:
    for name, table in tiny.source_tables().items():
        assert table.schema.equals(TABLES_BY_NAME[name].arrow_schema()), name
    for spec in TRUTH_SPECS:
        assert tiny.truth_tables()[spec.name].schema.equals(spec.arrow_schema())


def test_primary_keys_are_unique_and_ids_follow_the_contract(demo: DemoData) -> None:
    for name, table in _all_tables(demo).items():
        spec = (
            TABLES_BY_NAME.get(name)
            or {s.name: s for s in TRUTH_SPECS}[name]
        )
        keys = table.select(list(spec.primary_key)).to_pandas()
        assert not keys.duplicated().any(), name
    creators = demo.creators.to_pandas()
    assert (creators.creator_id == creators.platform + ":" + creators.handle.str.lower()).all()
    posts = demo.posts.to_pandas()
    assert (posts.post_id == posts.platform + ":" + posts.platform_post_id).all()
    assert set(posts.creator_id) <= set(creators.creator_id)


def test_sizes_follow_the_arguments(tiny: DemoData) -> None:
    assert tiny.creators.num_rows == 300
    assert tiny.posts.num_rows == 300 * 12
    weeks = load_calibration().value("growth", "snapshot_weeks")
    assert tiny.follower_snapshots.num_rows == 300 * weeks


def test_tier_shares_match_the_calibrated_mix(demo: DemoData) -> None:
    cal = load_calibration()
    scheme = TierScheme.load("seed")
    creators = demo.creators.to_pandas()
    creators["tier"] = [scheme.assign(f) or "none" for f in creators.followers]
    truth = demo.truth_creators.to_pandas()
    assert (creators.tier.to_numpy() == truth.tier.to_numpy()).all()
    for platform, group in creators.groupby("platform"):
        expected = dict(zip(cal.value("tiers", "names"), cal.tier_mix(str(platform)), strict=True))
        observed = group.tier.value_counts(normalize=True)
        for tier, share in expected.items():
            got = float(observed.get(tier, 0.0))
            # binomial standard error at this sample size, with a 4-sigma band
            tolerance = 4 * np.sqrt(share * (1 - share) / len(group)) + 0.002
            assert abs(got - share) <= tolerance, (platform, tier, got, share)
    nano_micro = creators.tier.isin(["nano", "micro"]).mean()
    assert nano_micro > 0.7  # most creators are small


def test_median_engagement_by_tier_matches_the_published_targets(demo: DemoData) -> None:
    cal = load_calibration()
    posts = demo.posts.to_pandas()
    creators = demo.creators.to_pandas()[["creator_id", "followers"]]
    truth = demo.truth_creators.to_pandas()[["creator_id", "tier"]]
    posts = posts.merge(creators, on="creator_id").merge(truth, on="creator_id")
    er = np.select(
        [posts.platform == "instagram", posts.platform == "tiktok"],
        [
            (posts.likes + posts.comments) / posts.followers,
            (posts.likes + posts.comments + posts.shares) / posts.views,
        ],
        (posts.likes + posts.comments) / posts.views,
    )
    posts["er"] = er
    medians = posts.groupby(["platform", "tier", "creator_id"]).er.median()
    per_tier = medians.groupby(["platform", "tier"]).agg(["median", "size"])
    checked = 0
    for (platform, tier), row in per_tier.iterrows():
        if tier == "none" or row["size"] < 40:
            continue
        target = float(cal.value("engagement", str(platform), "target_median")[tier])
        assert row["median"] == pytest.approx(target, rel=0.15), (platform, tier)
        checked += 1
    assert checked >= 10
    for platform in ("instagram", "tiktok", "youtube"):
        ordered = [
            per_tier.loc[(platform, t), "median"] for t in ("nano", "micro", "macro", "mega")
        ]
        assert ordered == sorted(ordered, reverse=True), platform  # ER falls with size


def test_niches_use_the_exact_ids_and_most_posts_are_on_the_main_niche(demo: DemoData) -> None:
    truth = demo.truth_creators.to_pandas()
    posts = demo.truth_posts.to_pandas().merge(truth[["creator_id", "niche"]], on="creator_id")
    assert set(truth.niche) == NICHES
    assert set(posts.topic) <= NICHES
    on_main = (posts.topic == posts.niche).groupby(posts.creator_id).mean()
    assert 0.7 <= on_main.median() <= 0.9
    assert (on_main >= 0.4).mean() > 0.98


def test_korean_creators_write_korean_captions_with_korean_hashtags(demo: DemoData) -> None:
    posts = demo.posts.to_pandas().merge(
        demo.creators.to_pandas()[["creator_id", "country"]], on="creator_id"
    )
    hangul = re.compile("[\uac00-\ud7a3]")
    korean = posts[posts.country == "KR"]
    english = posts[posts.country != "KR"]
    assert korean.caption.map(lambda c: bool(hangul.search(c))).all()
    assert not english.caption.str.split("\n").str[0].map(lambda c: bool(hangul.search(c))).any()
    truth = demo.truth_posts.to_pandas().set_index("post_id")
    food_kr = korean[truth.loc[korean.post_id, "topic"].to_numpy() == "food"]
    tags = " ".join(food_kr.hashtags).split()
    assert "먹스타그램" in tags and "카페투어" in tags


def test_hashtags_and_mentions_columns_agree_with_the_caption(demo: DemoData) -> None:
    posts = demo.posts.to_pandas().head(20_000)
    for caption, hashtags, mentions in zip(
        posts.caption, posts.hashtags, posts.mentions, strict=True
    ):
        assert hashtags.split() == re.findall(r"#(\w+)", caption)
        found = re.findall(r"@([\w.]*\w)", caption)
        assert (mentions.split() if isinstance(mentions, str) else []) == found


def test_sponsored_share_and_compliance_follow_the_calibration(demo: DemoData) -> None:
    truth = demo.truth_posts.to_pandas()
    share = truth.sponsored.mean()
    assert 0.10 <= share <= 0.15
    sponsored = truth[truth.sponsored]
    compliant = sponsored.disclosure_style.isin(COMPLIANT_STYLES).mean()
    target = load_calibration().value("sponsorship", "compliant_share")
    assert compliant == pytest.approx(target, abs=0.03)
    assert set(sponsored.disclosure_style) == set(STYLES)
    assert truth[~truth.sponsored].disclosure_style.isna().all()


def _first_lines(caption: str, count: int = 1) -> str:
    return "\n".join(caption.split("\n")[:count])


def test_each_disclosure_style_is_written_as_its_name_says(demo: DemoData) -> None:
    posts: pd.DataFrame = demo.posts.to_pandas().merge(demo.truth_posts.to_pandas(), on=["post_id", "creator_id"])
    spon = posts[posts.sponsored]
    labels = re.compile(
        r"#ad\b|#sponsored|^Ad \||Paid partnership|Advertisement|광고|협찬", re.IGNORECASE
    )

    def rows(style: str) -> pd.DataFrame:
        return spon[spon.disclosure_style == style]

    assert (
        rows("clear_first_line").caption.map(lambda c: bool(labels.search(_first_lines(c)))).all()
    )
    first_tags = rows("first_hashtag").hashtags.str.split().str[0]
    assert first_tags.isin(["ad", "sponsored", "paidpartnership", "광고", "협찬", "유료광고"]).all()
    assert rows("paid_flag").is_paid.all()
    assert rows("on_image_label").on_image_text.notna().all()
    buried = rows("buried_hashtag").hashtags.str.split()
    assert buried.map(lambda t: t[7] in {"ad", "sponsored", "광고", "협찬"}).all()
    for caption in rows("after_more_cut").caption:
        lines = caption.split("\n")
        assert len(lines) > 3 and not labels.search("\n".join(lines[:3]))
    ekr = rows("english_label_on_korean")
    assert (ekr.language == "ko").all()
    assert ekr.caption.map(lambda c: bool(re.search(r"#ad\b|\bAD\b|Sponsored|#sponsored", c))).all()
    assert not ekr.caption.str.contains("광고|협찬").any()
    vague = rows("vague_label").caption
    assert vague.str.contains(
        r"#collab|#sp\b|#partner|#spon|Thanks|collaboration|파트너십|컬래버레이션|체험단|홍보성",
        regex=True,
    ).all()
    undisclosed = rows("none")
    assert not undisclosed.caption.map(lambda c: bool(labels.search(c))).any()
    assert (~undisclosed.is_paid).all()
    assert set(undisclosed.signal) >= {"gift", "code", "affiliate", "review_group"}
    signals = r"gifted|PR package|sent me|code|ref=|선물받음|제공받아|할인코드|체험단|구매링크"
    assert undisclosed.caption.str.contains(signals, regex=True).all()


def test_some_youtube_videos_carry_a_timed_transcript(demo: DemoData) -> None:
    posts = demo.posts.to_pandas()
    with_transcript = posts[posts.transcript.notna()]
    assert len(with_transcript) > 0
    assert set(with_transcript.platform) == {"youtube"}
    for text, duration in zip(with_transcript.transcript, with_transcript.duration_s, strict=True):
        segments = json.loads(text)
        starts = [s[0] for s in segments]
        assert starts == sorted(starts) and all(0 <= t <= duration for t in starts)
        assert all(isinstance(s[1], str) and s[1] for s in segments)


def test_post_kinds_per_platform(demo: DemoData) -> None:
    posts = demo.posts.to_pandas()
    kinds = posts.groupby("platform").kind.agg(set).to_dict()
    assert kinds == {
        "tiktok": {"video"},
        "youtube": {"video", "short"},
        "instagram": {"photo", "carousel", "reel"},
    }
    assert posts[posts.kind.isin(["photo", "carousel"])].views.isna().all()
    assert posts[posts.kind.isin(["video", "short", "reel"])].views.notna().all()


def test_posts_span_about_six_months_up_to_the_as_of_date(demo: DemoData) -> None:
    posted = demo.posts.column("posted_at").to_pandas()
    as_of = pd.Timestamp(load_calibration().as_of)
    assert posted.max() <= as_of
    assert (as_of - posted.min()).days <= 190
    assert (as_of - posted.min()).days >= 150
