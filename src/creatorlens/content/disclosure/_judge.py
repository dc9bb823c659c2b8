"""Judging one post's facts under one jurisdiction's rule set in force on its date.

Per label hit: accepted label? same language as the content? position accepted for the medium?
The best hit decides; with no hit the post is undisclosed. Wording comes from ``messages.toml``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from creatorlens.content.disclosure._rules import (
    Jurisdiction,
    LabelJudgement,
    MediumRule,
    Messages,
    RuleSet,
)
from creatorlens.content.disclosure._scan import Hit, PostFacts
from creatorlens.content.disclosure._vocabulary import Vocabulary

Verdict = Literal["compliant", "non_compliant", "undisclosed_likely_ad", "not_sponsored"]
VERDICTS: tuple[str, ...] = ("compliant", "non_compliant", "undisclosed_likely_ad", "not_sponsored")


_CLARITY_RANK = {"clear": 0, "ambiguous": 1, "not_allowed": 2}


@dataclass(frozen=True)
class Judgement:
    rule_set: str
    label: str | None
    label_position: str | None
    label_clarity: str | None
    verdict: str
    rule_ids: tuple[str, ...]
    explanation_en: str
    explanation_ko: str


@dataclass(frozen=True)
class _Assessment:
    hit: Hit
    position: str
    clarity: str
    failures: tuple[tuple[str, str], ...]  # (reason, rule id)
    label_rule: str
    medium_rule: str


def _video_position(times: Sequence[float], duration: float, rs: RuleSet, vocab: Vocabulary) -> str:
    ordered = sorted(times)
    at_start = ordered[0] <= vocab.start_window_s
    at_end = duration > 0 and ordered[-1] >= duration - vocab.end_window_s
    if at_start and at_end:
        if rs.repeat_every_s > 0:
            limit = rs.repeat_every_s + rs.repeat_tolerance_s
            gaps = np.diff(np.asarray(ordered, dtype=float))
            if gaps.size and float(gaps.max()) > limit:
                return "video_start_end"
        return "video_throughout"
    if at_start:
        return "video_start"
    if at_end:
        return "video_end"
    return "video_middle"


class Judge:
    """Judges one post's facts under a jurisdiction's rule set (the rules are data: no state)."""

    def __init__(self, vocabulary: Vocabulary, messages: Messages) -> None:
        self.vocabulary = vocabulary
        self.messages = messages

    # -- single post ------------------------------------------------------------------------------
    def judge(
        self, facts: PostFacts, jurisdiction: Jurisdiction, rule_set_index: int | None = None
    ) -> Judgement:
        if rule_set_index is None:
            rule_set_index = jurisdiction.rule_set_index(facts.posted_at)
        rs = jurisdiction.rule_sets[rule_set_index]
        if not facts.sponsored:
            return self.not_sponsored(rs, facts)
        medium = rs.media.get(facts.medium) or rs.media["image_post"]
        assessments = self._assess(facts, rs, medium)
        if not assessments:
            return self._undisclosed(facts, jurisdiction, rs, medium)
        best = min(
            assessments,
            key=lambda a: (
                len(a.failures),
                _CLARITY_RANK.get(a.clarity, 3),
                a.hit.source != "caption",
            ),
        )
        return self._verdict(best, facts, jurisdiction, rs, medium)

    def _label_judgement(self, rs: RuleSet, key: str) -> LabelJudgement | None:
        """The rule set's judgement of a label, or of the label it ``means`` (lexicon labels)."""
        judgement = rs.labels.get(key)
        if judgement is None:
            term = self.vocabulary.labels.get(key)
            if term is not None and term.means != key:
                judgement = rs.labels.get(term.means)
        return judgement

    def _assess(self, facts: PostFacts, rs: RuleSet, medium: MediumRule) -> list[_Assessment]:
        vocab = self.vocabulary
        accepted = medium.accepted
        if facts.video_known and medium.accepted_when_video_known is not None:
            accepted = medium.accepted_when_video_known
        flag_at_start = False
        transcript: list[tuple[Hit, LabelJudgement, list[tuple[str, str]]]] = []
        assessments: list[_Assessment] = []
        for hit in facts.hits:
            judgement = self._label_judgement(rs, hit.key)
            if judgement is None:
                continue
            failures: list[tuple[str, str]] = []
            if not judgement.accepted:
                failures.append(("label_rejected", judgement.rule))
            term = vocab.labels.get(hit.key)
            label_language = term.language if term is not None else "any"
            if (
                facts.language in rs.same_language_for
                and label_language != "any"
                and (label_language == "ko") != (facts.language == "ko")
            ):
                failures.append(("language", rs.language_rule))
            if hit.source == "transcript":
                transcript.append((hit, judgement, failures))
                continue
            if hit.source == "flag" and not failures:
                flag_at_start = True
            position = hit.position
            if (
                hit.source == "title"
                and rs.title_visible_chars > 0
                and hit.offset + len(hit.surface) > rs.title_visible_chars
            ):
                position = "title_cut"
            if position not in accepted:
                failures.append(self._position_failure(position, facts, medium))
            assessments.append(
                _Assessment(hit, position, judgement.clarity, tuple(failures), judgement.rule, medium.rule)
            )
        if transcript:
            assessments.append(
                self._assess_transcript(transcript, flag_at_start, facts, rs, medium, accepted)
            )
        return assessments

    def _assess_transcript(
        self,
        transcript: list[tuple[Hit, LabelJudgement, list[tuple[str, str]]]],
        flag_at_start: bool,
        facts: PostFacts,
        rs: RuleSet,
        medium: MediumRule,
        accepted: frozenset[str],
    ) -> _Assessment:
        """Spoken labels judged together: start, end and repetition are properties of the set.

        A valid platform flag counts as a label at 0 s (it shows at the start of the video).
        """
        valid = [(hit, judgement) for hit, judgement, failures in transcript if not failures]
        if valid:
            times = [hit.time_s for hit, _ in valid] + ([0.0] if flag_at_start else [])
            hit, judgement = valid[0]
            failures: list[tuple[str, str]] = []
        else:
            times = [hit.time_s for hit, _, _ in transcript]
            hit, judgement, first_failures = transcript[0]
            failures = list(first_failures)
        position = _video_position(times, facts.duration_s, rs, self.vocabulary)
        if position not in accepted:
            failures.append(("position", medium.rule))
        return _Assessment(
            Hit(hit.key, hit.surface, "transcript", position, time_s=hit.time_s),
            position,
            judgement.clarity,
            tuple(failures),
            judgement.rule,
            medium.rule,
        )

    @staticmethod
    def _position_failure(position: str, facts: PostFacts, medium: MediumRule) -> tuple[str, str]:
        if position == "title_cut" and medium.title_rule:
            return ("title_cut", medium.title_rule)
        if facts.video_known and medium.video_rule and position in medium.accepted:
            return ("video_only_description", medium.video_rule)
        return ("position", medium.rule)

    # -- verdict wording --------------------------------------------------------------------------
    def _fill(self, template: str, **values: Any) -> tuple[str, str]:
        texts = self.messages.templates[template]
        return texts["en"].format(**values["en"]), texts["ko"].format(**values["ko"])

    def not_sponsored(self, rs: RuleSet, facts: PostFacts | None = None) -> Judgement:
        if facts is not None and facts.context:
            rule = self.vocabulary.context_rules[facts.context[0]]
            template = "not_endorsement" if rule.effect == "not_endorsement" else "follow_bait"
            label = next((h.surface for h in facts.hits if h.hashtag), "")
            values = {"rule": rule.id, "label": label}
            en, ko = self._fill(template, en=values, ko=values)
            return Judgement(rs.id, None, None, None, "not_sponsored", facts.context, en, ko)
        en, ko = self._fill("not_sponsored", en={}, ko={})
        return Judgement(rs.id, None, None, None, "not_sponsored", (), en, ko)

    def _undisclosed(
        self, facts: PostFacts, jurisdiction: Jurisdiction, rs: RuleSet, medium: MediumRule
    ) -> Judgement:
        kinds = list(dict.fromkeys(kind for kind, _ in facts.evidence))
        rules = [rs.undisclosed_rule] + [rs.evidence_rules[k] for k in kinds if k in rs.evidence_rules]
        vocab = self.vocabulary
        names_en = [vocab.signals[k].display_en if k in vocab.signals else k for k in kinds]
        names_ko = [vocab.signals[k].display_ko if k in vocab.signals else k for k in kinds]
        suggest = {"en": rs.suggest_ko if facts.language == "ko" else rs.suggest_en}
        suggest["ko"] = suggest["en"]
        en, ko = self._fill(
            "undisclosed",
            en={
                "evidence": ", ".join(names_en),
                "suggest": suggest["en"],
                "where": medium.where_en,
            },
            ko={
                "evidence": ", ".join(names_ko),
                "suggest": suggest["ko"],
                "where": medium.where_ko,
            },
        )
        return Judgement(
            rs.id, None, None, None, "undisclosed_likely_ad", tuple(dict.fromkeys(rules)), en, ko
        )

    def _verdict(
        self,
        best: _Assessment,
        facts: PostFacts,
        jurisdiction: Jurisdiction,
        rs: RuleSet,
        medium: MediumRule,
    ) -> Judgement:
        messages = self.messages
        hit = best.hit
        label = hit.surface.strip()
        suggest_for_language = None
        if best.failures and best.failures[0][0] == "language":
            suggest_for_language = rs.suggest_ko if facts.language == "ko" else rs.suggest_en
        common: dict[str, dict[str, Any]] = {
            lang: {
                "label": label,
                "position": messages.position(best.position, lang),
                "where": medium.where_en if lang == "en" else medium.where_ko,
                "jurisdiction": jurisdiction.name_en if lang == "en" else jurisdiction.name_ko,
                "chars": rs.title_visible_chars,
            }
            for lang in ("en", "ko")
        }
        if not best.failures:
            term = self.vocabulary.labels.get(hit.key)
            language = term.language if term else "en"
            suggest = rs.suggest_ko if language == "ko" else rs.suggest_en
            template = "compliant" if best.clarity == "clear" else "compliant_ambiguous"
            en, ko = self._fill(
                template,
                en={**common["en"], "suggest": suggest},
                ko={**common["ko"], "suggest": suggest},
            )
            rules: tuple[str, ...] = (best.label_rule, best.medium_rule)
            return Judgement(
                rs.id,
                label,
                best.position,
                best.clarity,
                "compliant",
                tuple(dict.fromkeys(rules)),
                en,
                ko,
            )
        reason = best.failures[0][0]
        term = self.vocabulary.labels.get(hit.key)
        suggest = suggest_for_language or (
            rs.suggest_ko if term is not None and term.language == "ko" else rs.suggest_en
        )
        en, ko = self._fill(
            reason, en={**common["en"], "suggest": suggest}, ko={**common["ko"], "suggest": suggest}
        )
        rules = tuple(dict.fromkeys(rule for _, rule in best.failures))
        return Judgement(rs.id, label, best.position, best.clarity, "non_compliant", rules, en, ko)
