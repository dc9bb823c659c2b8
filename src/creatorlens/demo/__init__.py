"""Deterministic synthetic demo workspace with ground truth (see docs/demo-data.md)."""

from creatorlens.demo._captions import COMPLIANT_STYLES, NONCOMPLIANT_STYLES, STYLES
from creatorlens.demo._data import Calibration, load_calibration
from creatorlens.demo._generator import (
    DEMO_TRUTH_COMMUNITIES,
    DEMO_TRUTH_CREATORS,
    DEMO_TRUTH_EVENTS,
    DEMO_TRUTH_FOLLOWERS,
    DEMO_TRUTH_POSTS,
    DemoData,
    generate_demo,
)
from creatorlens.demo._write import write_demo

__all__ = [
    "COMPLIANT_STYLES",
    "DEMO_TRUTH_COMMUNITIES",
    "DEMO_TRUTH_CREATORS",
    "DEMO_TRUTH_EVENTS",
    "DEMO_TRUTH_FOLLOWERS",
    "DEMO_TRUTH_POSTS",
    "NONCOMPLIANT_STYLES",
    "STYLES",
    "Calibration",
    "DemoData",
    "generate_demo",
    "load_calibration",
    "write_demo",
]
