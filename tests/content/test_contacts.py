"""content.contacts: public contacts from bios and profile fields, never invented."""

from __future__ import annotations

from hypothesis import given, strategies as st

from creatorlens.content.contacts import contacts_of


def test_bio_and_fields() -> None:
    found = contacts_of(
        "collabs 📩 hello.jay@gmail.com | linktr.ee/jay_k | https://www.jayshop.com/new. 문의: jay@naver.com",
        '{"website": "jay.kr", "business_phone_number": "+82 10-1234-5678", "Business_Email": "biz@jay.kr"}',
    )
    pairs = {(c.kind, c.value, c.source) for c in found}
    assert ("email", "biz@jay.kr", "business_email") in pairs
    assert ("website", "https://jay.kr", "website") in pairs
    assert ("phone", "+82 10-1234-5678", "business_phone_number") in pairs
    assert ("email", "hello.jay@gmail.com", "bio") in pairs
    assert ("email", "jay@naver.com", "bio") in pairs
    assert ("link_in_bio", "linktr.ee/jay_k", "bio") in pairs
    assert ("website", "https://www.jayshop.com/new", "bio") in pairs  # trailing "." dropped


def test_nothing_is_guessed() -> None:
    assert contacts_of("follow @nike and @glowlab for more", None) == []
    assert contacts_of(None, '{"music_title": "original sound"}') == []
    assert contacts_of("", '{"phone": "12"}') == []  # not a phone number


@given(st.text(max_size=200))
def test_every_contact_found_is_in_the_text(bio: str) -> None:
    for contact in contacts_of(bio, None):
        assert contact.value in bio
