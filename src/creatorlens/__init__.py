"""creatorlens: open influencer-marketing intelligence."""

__version__ = "0.1.0"
