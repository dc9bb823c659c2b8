"""Checking a table of posts: read each post once, judge per jurisdiction, one row per pair.

Captions with no label and no signal skip the full reading; judgements are memoised per layout
signature (labels, positions, evidence kinds, language), so most sponsored posts cost a lookup.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from creatorlens.content.disclosure._judge import Judge, Judgement
from creatorlens.content.disclosure._rules import (
    Jurisdiction,
    jurisdiction_codes,
    jurisdiction_rules,
    message_templates,
)
from creatorlens.content.disclosure._scan import PostFacts, analyse_post, scan_text
from creatorlens.content.disclosure._vocabulary import Vocabulary, shared_vocabulary

VERDICT_COLUMNS: tuple[str, ...] = (
    "post_id",
    "jurisdiction",
    "rule_set",
    "sponsored",
    "sponsored_evidence",
    "label",
    "label_position",
    "label_clarity",
    "verdict",
    "rule_ids",
    "explanation_en",
    "explanation_ko",
)


class DisclosureChecker:
    """The disclosure rules of one or more jurisdictions, applied to tables of posts.

    A plain rules object, not an estimator: nothing is learnt, so there is no ``fit``. The rules
    (jurisdictions, vocabulary, message templates) are read from package data when the checker
    is made, and an unknown jurisdiction fails there. ``vocabulary`` replaces the shared one
    (a benchmark's prefilter contender, a test's own lexicon).
    """

    def __init__(
        self,
        jurisdictions: Sequence[str] | str = ("us", "kr", "uk"),
        vocabulary: Vocabulary | None = None,
    ) -> None:
        self.jurisdictions: tuple[Jurisdiction, ...] = tuple(
            jurisdiction_rules(code) for code in jurisdiction_codes(jurisdictions)
        )
        self.vocabulary = vocabulary if vocabulary is not None else shared_vocabulary()
        self.messages = message_templates()
        self._judge = Judge(self.vocabulary, self.messages)

    def judge(
        self, facts: PostFacts, jurisdiction: Jurisdiction, rule_set_index: int | None = None
    ) -> Judgement:
        """One post's facts under ``jurisdiction`` (the rule set in force on its date)."""
        return self._judge.judge(facts, jurisdiction, rule_set_index)

    # -- batch ------------------------------------------------------------------------------------
    def check(self, posts: pd.DataFrame) -> pd.DataFrame:
        """One row per post x jurisdiction (post order, then jurisdiction); ``VERDICT_COLUMNS``."""
        vocab = self.vocabulary
        n = len(posts)
        columns = {f: _column(posts, f) for f in POST_FIELDS}
        post_ids = posts["post_id"].tolist() if "post_id" in posts.columns else list(range(n))
        has_more = _has_more_than_caption(posts)
        posted_at = _posted_dates(posts)

        sponsored: list[tuple[int, PostFacts]] = []
        for row, caption in enumerate(columns["caption"]):
            caption_text = caption if isinstance(caption, str) else ""
            if not has_more[row]:
                scan = scan_text(caption_text, vocab)
                if not scan.labels and not scan.signals:
                    continue
                facts = analyse_post(vocab, caption_scan=scan, **{f: columns[f][row] for f in POST_FIELDS})
            else:
                facts = analyse_post(vocab, **{f: columns[f][row] for f in POST_FIELDS})
            if facts.sponsored or facts.context:
                sponsored.append((row, facts))

        jurisdictions = self.jurisdictions
        width = len(jurisdictions)
        out = {c: np.empty(n * width, dtype=object) for c in VERDICT_COLUMNS}
        out["post_id"][:] = np.repeat(np.asarray(post_ids, dtype=object), width)
        is_sponsored = np.zeros(n, dtype=bool)
        evidence = np.full(n, "", dtype=object)
        for row, facts in sponsored:
            is_sponsored[row] = facts.sponsored
            evidence[row] = "; ".join(f"{kind}: {text.strip()}" for kind, text in facts.evidence)
        for j, jurisdiction in enumerate(jurisdictions):
            effective = np.array([rs.effective_from for rs in jurisdiction.rule_sets], dtype="datetime64[D]")
            set_index = np.searchsorted(effective, posted_at, side="right") - 1
            set_index = np.clip(set_index, 0, len(effective) - 1)
            set_index[np.isnat(posted_at)] = len(effective) - 1
            baseline = [self._judge.not_sponsored(rs) for rs in jurisdiction.rule_sets]
            judged: list[Judgement] = [baseline[i] for i in set_index]
            # Posts with the same labels, positions, evidence kinds and language get the same
            # judgement; most sponsored posts share a handful of layouts ("#ad" as first hashtag).
            memo: dict[tuple[Any, ...], Judgement] = {}
            for row, facts in sponsored:
                index = int(set_index[row])
                key = (index, facts.signature())
                judgement = memo.get(key)
                if judgement is None:
                    judgement = self.judge(facts, jurisdiction, index)
                    memo[key] = judgement
                judged[row] = judgement
            out["jurisdiction"][j::width] = jurisdiction.code
            out["sponsored"][j::width] = is_sponsored
            out["sponsored_evidence"][j::width] = evidence
            for column, values in (
                ("rule_set", [x.rule_set for x in judged]),
                ("label", [x.label for x in judged]),
                ("label_position", [x.label_position for x in judged]),
                ("label_clarity", [x.label_clarity for x in judged]),
                ("verdict", [x.verdict for x in judged]),
                ("rule_ids", [",".join(x.rule_ids) for x in judged]),
                ("explanation_en", [x.explanation_en for x in judged]),
                ("explanation_ko", [x.explanation_ko for x in judged]),
            ):
                target = out[column]
                target[j::width] = np.asarray(values, dtype=object) if values else values
        frame = pd.DataFrame(out, columns=list(VERDICT_COLUMNS))
        frame["sponsored"] = frame["sponsored"].astype(bool)
        return frame

    def agreement(self, posts: pd.DataFrame, expected: pd.DataFrame) -> float:
        """Share of (post_id, jurisdiction) verdicts that match ``expected`` (columns post_id,
        jurisdiction, verdict)."""
        predicted = self.check(posts)
        merged = expected.merge(predicted, on=["post_id", "jurisdiction"], suffixes=("_expected", ""))
        if merged.empty:
            return float("nan")
        return float((merged["verdict"] == merged["verdict_expected"]).mean())


POST_FIELDS: tuple[str, ...] = (
    "caption", "title", "hashtags", "on_image_text", "is_paid", "kind", "platform", "posted_at",
    "transcript", "duration_s", "comments_text", "language", "mentions",
)  # fmt: skip
_EXTRA_TEXT_FIELDS = ("title", "hashtags", "on_image_text", "transcript", "comments_text")


def _column(posts: pd.DataFrame, name: str) -> list[Any]:
    if name not in posts.columns:
        return [None] * len(posts)
    values: list[Any] = posts[name].tolist()
    return values


def _has_more_than_caption(posts: pd.DataFrame) -> np.ndarray:
    """Rows that need the full reading (any text besides the caption, or the paid flag)."""
    more = np.zeros(len(posts), dtype=bool)
    for name in _EXTRA_TEXT_FIELDS:
        if name in posts.columns:
            column = posts[name]
            filled = column.notna().to_numpy() & (column.astype(str).str.len() > 0).to_numpy()
            more |= filled
    if "is_paid" in posts.columns:
        more |= posts["is_paid"].fillna(False).astype(bool).to_numpy()
    return more


def _posted_dates(posts: pd.DataFrame) -> np.ndarray:
    if "posted_at" not in posts.columns:
        return np.full(len(posts), np.datetime64("NaT"), dtype="datetime64[D]")
    stamps = pd.to_datetime(posts["posted_at"], errors="coerce", utc=True)
    return stamps.dt.tz_convert(None).to_numpy().astype("datetime64[D]")


@lru_cache(maxsize=8)
def _checker(codes: tuple[str, ...]) -> DisclosureChecker:
    return DisclosureChecker(codes)


# --------------------------------------------------------------------------------------------------
# Public functions
# --------------------------------------------------------------------------------------------------
def check_disclosure(
    posts: pd.DataFrame, jurisdictions: Sequence[str] | str = ("us", "kr", "uk")
) -> pd.DataFrame:
    """Verdict per post x jurisdiction.

    ``posts`` columns (all optional but ``post_id``): caption, title, hashtags (space-separated,
    without '#'), on_image_text, is_paid, kind, platform, posted_at, transcript (JSON
    ``[[start_s, text], ...]``),
    duration_s, comments_text (the creator's own comments), language, mentions.
    """
    return _checker(jurisdiction_codes(jurisdictions)).check(posts)


def check_post(
    caption: str | None = None,
    *,
    jurisdictions: Sequence[str] | str = ("us", "kr", "uk"),
    post_id: str = "post",
    **fields: Any,
) -> pd.DataFrame:
    """Check a single post; keyword fields as in :func:`check_disclosure`."""
    unknown = set(fields) - {
        "title", "hashtags", "on_image_text", "is_paid", "kind", "platform", "posted_at",
        "transcript", "duration_s", "comments_text", "language", "mentions", "creator_id",
    }  # fmt: skip
    if unknown:
        raise TypeError(f"unknown post fields: {sorted(unknown)}")
    if isinstance(fields.get("transcript"), list | tuple):
        fields["transcript"] = json.dumps(fields["transcript"], ensure_ascii=False)
    row = {"post_id": post_id, "caption": caption, **fields}
    return check_disclosure(pd.DataFrame([row]), jurisdictions)
