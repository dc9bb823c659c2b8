"""Workspace.similar: the fitted lookalike model is reused until the data changes."""

from __future__ import annotations

from pathlib import Path

import pytest

import creatorlens
from creatorlens.discovery import _lookalike

POSTS = """\
platform,handle,followers,country,post_id,posted_at,caption,hashtags,likes,comments,views
instagram,glow_a,20000,KR,a1,2025-01-05 10:00:00,vegan toner review #veganskincare,veganskincare,900,20,5000
instagram,glow_b,21000,KR,b1,2025-01-05 10:00:00,vegan serum review #veganskincare,veganskincare,800,10,4000
instagram,food_c,22000,US,c1,2025-01-05 10:00:00,best tacos in LA #foodie,foodie,500,9,3000
"""

MORE = """\
platform,handle,followers,country,post_id,posted_at,caption,hashtags,likes,comments,views
instagram,glow_d,19000,KR,d1,2025-01-06 10:00:00,vegan cleanser review #veganskincare,veganskincare,700,9,3000
"""


def test_the_model_is_fitted_once_per_data_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fits: list[int] = []
    real_init = _lookalike.LookalikeModel.__init__

    def counting_init(self: object, *args: object, **kwargs: object) -> None:
        fits.append(1)
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(_lookalike.LookalikeModel, "__init__", counting_init)
    first, second = tmp_path / "posts.csv", tmp_path / "more.csv"
    first.write_text(POSTS, encoding="utf-8")
    second.write_text(MORE, encoding="utf-8")
    with creatorlens.open(tmp_path / "ws.duckdb") as ws:
        ws.ingest(first)
        ws.score()
        _, before = ws.similar("glow_a", limit=5)
        again = ws.similar("glow_a", limit=5)[1]
        assert len(fits) == 1 and again == before  # the second request reused the model
        ws.ingest(second)
        ws.score()
        _, after = ws.similar("glow_a", limit=5)
        assert len(fits) == 2  # new data, a new fit
        assert "glow_d" in {r["handle"] for r in after} - {r["handle"] for r in before}


def test_a_candidate_sharing_nothing_with_the_seed_is_not_listed() -> None:
    """Same size band, no shared topic or term: score 0, so not a lookalike (discovery.toml
    [similar] min_score); the creator sharing the seed's topic is."""
    profiles = [
        _lookalike.Profile("youtube:seed", 1e8, (), {"gaming": 1.0}),
        _lookalike.Profile("youtube:gamer", 9e7, (), {"gaming": 1.0}),
        _lookalike.Profile("instagram:cook", 9e7, (), {"food": 1.0}),
        _lookalike.Profile("instagram:blank", 9e7, ()),  # nothing known: never listed
    ]
    found = _lookalike.LookalikeModel(profiles).similar("youtube:seed", limit=10)
    assert [r.creator_id for r in found] == ["youtube:gamer"]
    assert found[0].score == pytest.approx(1.0)
