from __future__ import annotations

from pathlib import Path

import pytest

from creatorlens.planner import Brief, BriefError, goal_names, load_goal


def test_goal_presets_are_data() -> None:
    assert set(goal_names()) == {"awareness", "trust", "community", "balanced", "word_of_mouth"}
    awareness = load_goal("awareness")
    assert awareness.tier_preference["mega"] > awareness.tier_preference["nano"]
    trust = load_goal("trust")
    assert max(trust.tier_preference, key=trust.tier_preference.__getitem__) == "micro"
    community = load_goal("community")
    assert max(community.tier_preference, key=community.tier_preference.__getitem__) == "nano"
    assert load_goal("trust", {"engagement": 2.0}).engagement == 2.0


def test_brief_from_toml(tmp_path: Path) -> None:
    path = tmp_path / "brief.toml"
    path.write_text(
        'budget = 20000\ncurrency = "EUR"\nusd_per_unit = 1.1\ngoal = "trust"\n'
        'niches = ["beauty"]\n'
        '[target]\nage = "18-34"\ncountry = ["KR"]\n'
        "[constraints]\nmax_posts_per_creator = 2\nmax_budget_share_per_creator = 0.2\n"
        'include = ["@Someone"]\n'
        "[constraints.tier_shares.micro]\nmin = 0.3\n"
    )
    brief = Brief.from_toml(path)
    assert brief.budget_usd == pytest.approx(22000)
    assert brief.target.ages == ("18-24", "25-34")
    assert brief.constraints.tier_shares["micro"].min == 0.3
    assert brief.constraints.include == ("someone",)
    assert Brief.model_validate_json(brief.model_dump_json()) == brief


@pytest.mark.parametrize(
    ("fields", "fragment"),
    [
        ({"budget": 0}, "budget"),
        ({"budget": 10, "goal": "fame"}, "use one of"),
        ({"budget": 10, "currency": "XYZ"}, "no exchange rate"),
        ({"budget": 10, "target": "age=20-30"}, "not the start of a band"),
        ({"budget": 10, "constraints": {"tier_shares": {"giga": {"max": 0.5}}}}, "unknown tier"),
        (
            {"budget": 10, "constraints": {"tier_shares": {"nano": {"min": 0.8, "max": 0.5}}}},
            "above max",
        ),
        (
            {
                "budget": 10,
                "constraints": {"tier_shares": {"nano": {"min": 0.6}, "micro": {"min": 0.6}}},
            },
            "more than 100%",
        ),
        ({"budget": 10, "platforms": "myspace"}, "platform"),
        ({"budget": 10, "options": "glitter"}, "option"),
        ({"budget": 10, "ctr": (0.5, 0.1, 0.2)}, "low <= mid <= high"),
    ],
)
def test_invalid_briefs_explain_themselves(fields: dict[str, object], fragment: str) -> None:
    with pytest.raises(BriefError, match=fragment):
        Brief.build(**fields)


def test_missing_brief_file(tmp_path: Path) -> None:
    with pytest.raises(BriefError, match="no such brief"):
        Brief.from_toml(tmp_path / "nope.toml")
