"""content.brands: the brand file, mention candidates, resolution and the summaries."""

from __future__ import annotations

from typing import cast

import pandas as pd
import pytest

from creatorlens.content.brands import (
    BrandBook,
    BrandBookError,
    brand_summary,
    candidates,
    creator_brands,
    handle_stem,
    resolve,
)
from creatorlens.content.brands._extract import label_brands

TOML = """
[[brand]]
name = "Glow Lab"
handles = ["@glowlab_official", "glowlab.kr"]
hashtags = ["#glowlab", "glowlabxme"]
"""


def _posts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "post_id": ["p1", "p2", "p3", "p4", "p5"],
            "creator_id": ["a", "b", "a", "c", "b"],
            "posted_at": pd.to_datetime(["2025-01-01", "2025-01-05", "2025-02-01", "2025-02-03", "2025-03-01"]),
            "caption": [
                "love it @glowlab_official #glowlab #ad",
                "gifted by @glowlab_official with my friend @jinny",
                "coffee with @jinny",
                "#lorealparispartner new serum",
                "my own @b_handle post #glowlab",
            ],
            "mentions": ["glowlab_official", "glowlab_official jinny", "jinny", None, "b_handle"],
            "hashtags": ["glowlab ad", "", "", "lorealparispartner", "glowlab"],
            "is_paid": [None, None, None, None, None],
            "extra": [None, None, None, '{"sponsor": "@dewy.skin"}', None],
        }
    )


def _sponsored() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "post_id": ["p1", "p2", "p3", "p4", "p5"],
            "sponsored": [True, True, False, True, False],
            "sponsored_evidence": ["label: #ad", "signal: gifted by @glowlab_official", "", "label: #lorealparispartner", ""],
        }
    )


HANDLES = pd.Series({"a": "a_handle", "b": "b_handle", "c": "c_handle"})


def test_a_toml_and_a_csv_brand_file_name_the_same_brand() -> None:
    toml = BrandBook.parse(TOML)
    csv = BrandBook.parse("brand,kind,value\nGlow Lab,handle,@glowlab_official\nGlow Lab,hashtag,#GlowLab\n")
    assert toml.by_handle["glowlab_official"] == "Glow Lab" == csv.by_handle["glowlab_official"]
    assert toml.by_hashtag["glowlab"] == "Glow Lab" == csv.by_hashtag["glowlab"]
    assert toml.by_handle["glowlab.kr"] == "Glow Lab"


def test_a_broken_brand_file_is_the_users_error() -> None:
    with pytest.raises(BrandBookError, match="no name"):
        BrandBook.parse("[[brand]]\nhandles = ['x']\n")
    with pytest.raises(BrandBookError, match="handle or hashtag"):
        BrandBook.parse("brand,kind,value\nX,website,x.com\n")


def test_candidates_read_mentions_partner_fields_disclosure_and_brand_hashtags() -> None:
    found = candidates(_posts(), HANDLES, _sponsored())
    kinds = set(zip(found["post_id"], found["token"], found["kind"], strict=True))
    assert ("p1", "glowlab_official", "mention") in kinds
    assert ("p1", "glowlab", "hashtag") in kinds  # the stem of a mentioned handle
    assert ("p2", "glowlab_official", "disclosure") in kinds  # named in the disclosure evidence
    assert ("p4", "dewy.skin", "partner") in kinds  # a paid-partner field of the source
    assert ("p4", "lorealparis", "disclosure") in kinds  # the brand inside a partner label
    assert not (found["token"] == "b_handle").any()  # a creator naming itself is no brand


def test_resolution_uses_the_book_first_then_the_data_and_drops_friends() -> None:
    found = candidates(_posts(), HANDLES, _sponsored())
    by_data = resolve(found)
    assert set(by_data["brand"]) == {"glowlab_official", "dewy.skin", "lorealparis"}
    assert "jinny" not in set(by_data["brand"])  # mentioned in one creator's sponsored post only
    by_book = resolve(found, BrandBook.parse(TOML))
    glow = by_book[by_book["brand"] == "Glow Lab"]
    # handle, hashtag and disclosure resolve to one brand, one row per post
    assert sorted(glow["post_id"]) == ["p1", "p2", "p5"]
    assert set(glow["source"]) == {"book"}
    assert glow.set_index("post_id").loc["p5", "sponsored"] == False  # noqa: E712


@pytest.mark.parametrize("book", [None, BrandBook.parse(TOML)])
def test_resolving_some_creators_gives_their_rows_of_the_whole_resolution(book: BrandBook | None) -> None:
    # "a" alone never made glowlab_official a brand (b's sponsored post did, with a's): the
    # brands are decided over every creator even when only one creator's rows are wanted.
    found = candidates(_posts(), HANDLES, _sponsored())
    whole = resolve(found, book)
    for ids in (["a"], ["b"], ["c"], ["a", "c"], []):
        some = resolve(found, book, creator_ids=ids)
        expected = whole[whole["creator_id"].isin(ids)].reset_index(drop=True)
        pd.testing.assert_frame_equal(some.reset_index(drop=True), expected, check_dtype=False)
    assert not resolve(found, book, creator_ids=["a"]).empty


def test_brand_summary_share_of_voice_and_compliance() -> None:
    mentions = resolve(candidates(_posts(), HANDLES, _sponsored()), BrandBook.parse(TOML))
    posts = pd.DataFrame(
        {"post_id": ["p1", "p2", "p3", "p4", "p5"], "likes": [90, 40, 5, 10, 0],
         "comments": [10, 10, 0, 0, 0], "followers": [1000, 1000, 1000, 500, 1000]}
    )  # fmt: skip
    verdicts = pd.DataFrame(
        {"post_id": ["p1", "p2", "p4"], "jurisdiction": ["us"] * 3, "sponsored": [True] * 3,
         "verdict": ["compliant", "non_compliant", "compliant"]}
    )  # fmt: skip
    summary = brand_summary(mentions, posts, verdicts, ["us"]).set_index("brand")
    assert summary["share_of_voice"].sum() == pytest.approx(1.0)
    glow = summary.loc["Glow Lab"]
    assert glow["posts"] == 3 and glow["creators"] == 2 and glow["sponsored_posts"] == 2
    assert glow["median_er"] == pytest.approx(0.05)  # (100/1000, 50/1000, 0/1000)
    assert glow["checked_us"] == 2 and glow["compliant_us"] == 1 and glow["compliance_us"] == 0.5
    assert 0 < glow["compliance_us_low"] < 0.5 < glow["compliance_us_high"] < 1


def test_creator_brands_lists_sponsored_brands_first_with_links_only_when_known() -> None:
    mentions = resolve(candidates(_posts(), HANDLES, _sponsored()), BrandBook.parse(TOML))
    links = pd.Series({"p1": "https://www.tiktok.com/@a_handle/video/1", "p3": "not a url"})
    mine = creator_brands(mentions[mentions["creator_id"] == "a"], links)
    assert [b["brand"] for b in mine] == ["Glow Lab"]
    items = cast(list[dict[str, object]], mine[0]["items"])
    assert items[0]["url"] == "https://www.tiktok.com/@a_handle/video/1"


def test_label_brands_and_handle_stems() -> None:
    assert label_brands("label: #sponsoredbyNutifood; label: #ad; label: #hoptaccungUnilever") == ["nutifood", "unilever"]
    assert handle_stem("glowlab_official") == "glowlab"
    assert handle_stem("dewyskin.kr") == "dewyskin"
