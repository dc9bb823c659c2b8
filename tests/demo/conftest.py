from __future__ import annotations

import pytest

from creatorlens.demo import DemoData, generate_demo


@pytest.fixture(scope="session")
def demo() -> DemoData:
    """A mid-sized demo: large enough for tier statistics, small enough for the fast suite."""
    return generate_demo(seed=11, creators=4000, posts_per_creator=30)


@pytest.fixture(scope="session")
def tiny() -> DemoData:
    return generate_demo(seed=5, creators=300, posts_per_creator=12)
