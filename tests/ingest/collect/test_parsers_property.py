"""Property tests of the collectors' parsers: channel references and Retry-After."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

from hypothesis import given, strategies as st

from creatorlens.ingest.collect._http import retry_after_seconds
from creatorlens.ingest.collect.youtube import ChannelRef, parse_channel

ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-"
channel_ids = st.text(ID_CHARS, min_size=22, max_size=22).map(lambda s: "UC" + s)
handles = st.text("abcdefghijklmnopqrstuvwxyz0123456789._-", min_size=3, max_size=30)


@given(channel_ids, st.sampled_from(["", "/videos", "/featured"]), st.booleans())
def test_channel_id_in_any_form(channel_id: str, tail: str, scheme: bool) -> None:
    url = f"{'https://' if scheme else ''}www.youtube.com/channel/{channel_id}{tail}"
    assert parse_channel(url) == parse_channel(channel_id) == ChannelRef("id", channel_id)


@given(handles)
def test_handle_with_or_without_at_and_as_url(handle: str) -> None:
    expected = ChannelRef("forHandle", f"@{handle}")
    assert parse_channel(handle) == expected  # lower-case: never a UC… channel id
    assert parse_channel(f"@{handle}") == expected
    assert parse_channel(f"https://www.youtube.com/@{handle}/shorts") == expected


@given(st.integers(min_value=0, max_value=10**7))
def test_retry_after_seconds(seconds: int) -> None:
    assert retry_after_seconds(str(seconds), datetime(2026, 1, 1, tzinfo=UTC)) == float(seconds)


@given(st.integers(min_value=-86_400, max_value=86_400))
def test_retry_after_http_date(offset: int) -> None:
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    text = format_datetime(now + timedelta(seconds=offset), usegmt=True)
    assert retry_after_seconds(text, now) == float(max(0, offset))
