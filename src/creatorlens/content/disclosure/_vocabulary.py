"""The shared vocabulary: label terms, signals, negations and context cues, as one pattern set.

Built from ``signals.toml``, the per-language ``lexicon_*.toml`` and ``context_rules.toml``; the
order of the patterns is their priority (see ``Vocabulary.load``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Self

from creatorlens.content.disclosure._patterns import (
    SEPARATORS,
    PatternSet,
    Prefilter,
    hashtag_alternation,
    prefix_alternation,
    suffix_alternation,
    word_alternation,
)
from creatorlens.content.disclosure._rules import (
    DATA_PATH,
    ContextRule,
    load_context_rules,
    read_toml,
)


@dataclass(frozen=True)
class LabelTerm:
    key: str
    language: str
    implies: str  # always | with_mention | never
    display: str
    #: the signals.toml label key whose judgement this label shares (itself for signals.toml labels)
    means: str = ""
    #: the text must contain this script for the label to count (lexicon ``script``), else None
    script: re.Pattern[str] | None = None


@dataclass(frozen=True)
class SignalKind:
    key: str
    needs_mention: bool
    display_en: str
    display_ko: str


def _lexicon_files() -> list[str]:
    """The per-language lexicons of data/disclosure (lexicon_*.toml), in name order."""
    folder = resources.files("creatorlens").joinpath(DATA_PATH)
    return sorted(
        item.name
        for item in folder.iterdir()
        if item.name.startswith("lexicon_") and item.name.endswith(".toml")
    )


def _rule_entry(raw: Mapping[str, Any], rule_id: str) -> Mapping[str, Any]:
    return next(entry for entry in raw["rules"] if entry["id"] == rule_id)


def _rule_cues(
    raw: Mapping[str, Any], effects: set[str], rule_id: str | None = None
) -> list[tuple[str, str, str]]:
    """(regex, rule id, language) of every cue of the rules with these effects: per rule, the
    hashtags of each language, then the phrases."""
    out: list[tuple[str, str, str]] = []
    for entry in raw["rules"]:
        if entry["effect"] not in effects or (rule_id is not None and entry["id"] != rule_id):
            continue
        cues = entry.get("cues", {})
        for language, table in cues.items():
            if table.get("hashtags"):
                out.append((hashtag_alternation(table["hashtags"]), entry["id"], language))
        for language, table in cues.items():
            out.extend((phrase, entry["id"], language) for phrase in table.get("phrases", []))
    return out


class _PatternList:
    """The vocabulary's patterns as they are appended, in priority order, with their script gates.

    A pattern is gated by the ``script`` of the lexicon it comes from (Japanese "#PR" is not tried
    on an English post): a label form by its label's lexicon, a cue, negation or signal phrase by
    its language's lexicon. signals.toml patterns carry no gate.
    """

    def __init__(self, lexicons: Sequence[Mapping[str, Any]]) -> None:
        self.alternatives: list[tuple[str, str, str]] = []  # (regex, kind, key)
        #: pattern index -> script its text must contain (lexicon `script`, also for its cues)
        self.gates: dict[int, str] = {}
        self._language_scripts = {
            str(lx["language"]): str(lx["script"]) for lx in lexicons if lx.get("script")
        }
        self._label_scripts = {
            entry["key"]: str(lx["script"]) for lx in lexicons if lx.get("script") for entry in lx["labels"]
        }

    def add(self, regex: str, kind: str, key: str = "") -> None:
        """Append an ungated pattern."""
        self.alternatives.append((regex, kind, key))

    def add_for_label(self, regex: str, kind: str, key: str) -> None:
        """Append a form of label ``key``, gated by the script of the lexicon defining it."""
        self._add_gated(regex, kind, key, self._label_scripts.get(key))

    def add_for_language(self, regex: str, kind: str, key: str, language: str) -> None:
        """Append a cue or phrase of ``language``, gated by that language's lexicon script."""
        self._add_gated(regex, kind, key, self._language_scripts.get(language))

    def _add_gated(self, regex: str, kind: str, key: str, script: str | None) -> None:
        self.add(regex, kind, key)
        if script:
            self.gates[len(self.alternatives) - 1] = script

    def check_no_capture(self) -> None:
        """The matcher reports which alternative matched by group; a capturing pattern breaks that."""
        for regex, _, _ in self.alternatives:
            if re.compile(regex).groups:
                raise ValueError(f"disclosure pattern must not capture: {regex!r}")


def _add_urls(
    raw: Mapping[str, Any], patterns: _PatternList
) -> tuple[list[tuple[str, str]], list[tuple[re.Pattern[str], str]]]:
    """The link pattern (scheme or www, or a bare known host like "amzn.to/…"), first of all; and
    the (host suffix, signal) and (url parameter, signal) tables that classify a found link."""
    url_hosts: list[tuple[str, str]] = []
    url_params: list[tuple[re.Pattern[str], str]] = []
    bare_hosts: list[str] = []
    for sig in raw["signals"]:
        for host in sig.get("hosts", []):
            url_hosts.append((host.lower(), sig["key"]))
            if "." in host and not host.endswith("."):
                bare_hosts.append(re.escape(host))
        for param in sig.get("url_params", []):
            url_params.append((re.compile(param, re.IGNORECASE), sig["key"]))
    url_regex = r"(?:https?://|www\.)[^\s<>\"']+"
    if bare_hosts:
        url_regex += r"|\b(?:" + "|".join(sorted(bare_hosts, key=len, reverse=True)) + r")/[^\s<>\"']*"
    patterns.add(url_regex, "url")
    return url_hosts, url_params


def _add_negations(raw: Mapping[str, Any], context: Mapping[str, Any], patterns: _PatternList) -> None:
    """Negations and own-purchase statements come before every label, so that a denial consumes
    the label inside it ("not #ad")."""
    negations = raw["negations"]
    own_tags = [t.lower() for t in negations.get("own_purchase_hashtags", [])]
    other_tags = [t.lower() for t in negations["hashtags"] if t.lower() not in own_tags]
    for tags, kind in ((own_tags, "own_purchase"), (other_tags, "negation")):
        if tags:
            patterns.add(hashtag_alternation(tags), kind)
    for phrase in negations.get("own_purchase_phrases", []):
        patterns.add(phrase, "own_purchase")
    for phrase in negations["phrases"]:
        patterns.add(phrase, "negation")
    # Denials in the other languages (context rules with effect "cancel"), after the core list.
    for cue_regex, _rule, language in _rule_cues(context, {"cancel"}):
        patterns.add_for_language(cue_regex, "negation", "", language)


def _add_label_hashtags(
    raw: Mapping[str, Any],
    lexicon_entries: Sequence[tuple[Mapping[str, Any], Mapping[str, Any]]],
    patterns: _PatternList,
) -> dict[str, tuple[str, ...]]:
    """Label hashtags, before the label words so a hashtag keeps its rank; returns the brand-stem
    suffixes per label key (longest first), which the scan checks against the post."""
    # Label hashtags match whole tokens only: "#ad" and "#ad!" but never "#adidas" or
    # "#ad🐧_squad".
    for entry in raw["labels"]:
        if entry.get("hashtags"):
            patterns.add(hashtag_alternation(entry["hashtags"]), "label_hashtag", entry["key"])
    # Lexicon labels: whole hashtags, then compound hashtags (label word + brand), then
    # brand-stem hashtags ("#<brand>partner"), which the scan keeps only when the stem is
    # tagged or mentioned too.
    for _lexicon, entry in lexicon_entries:
        if entry.get("hashtags"):
            patterns.add_for_label(hashtag_alternation(entry["hashtags"]), "label_hashtag", entry["key"])
    for _lexicon, entry in lexicon_entries:
        if entry.get("hashtag_prefixes"):
            patterns.add_for_label(
                prefix_alternation(entry["hashtag_prefixes"]), "label_hashtag", entry["key"]
            )
    suffixes: dict[str, tuple[str, ...]] = {}
    for _lexicon, entry in lexicon_entries:
        if entry.get("hashtag_suffixes"):
            ends = tuple(sorted({t.lower() for t in entry["hashtag_suffixes"]}, key=len))
            suffixes[entry["key"]] = ends[::-1]
            patterns.add_for_label(suffix_alternation(ends), "label_suffix", entry["key"])
    return suffixes


def _label_term(source: Mapping[str, Any], entry: Mapping[str, Any]) -> LabelTerm:
    """A label entry; language and script default to those of its file (``source``)."""
    key = entry["key"]
    script = entry.get("script", source.get("script"))
    return LabelTerm(
        key,
        entry.get("language", source.get("language", "")),
        entry["implies"],
        entry["display"],
        means=entry.get("means", key),
        script=re.compile(script) if script else None,
    )


def _add_label_forms(entry: Mapping[str, Any], patterns: _PatternList) -> None:
    """A label's written forms: bracketed or line-leading words, line-leading capitals, phrases."""
    key = entry["key"]
    words = entry.get("words", [])
    if words:
        alt = word_alternation(words)
        patterns.add_for_label(r"[\[(【<{「]\s*" + alt + r"\s*[\])】>}」]", "label", key)
        line_leading = r"^[^\w\n]{0,3}" + alt + r"(?:[ \t]*" + SEPARATORS + r"|[ \t]*$)"
        patterns.add_for_label(line_leading, "label", key)
    for caps in entry.get("caps", []):
        patterns.add_for_label(r"^[^\w\n]{0,3}(?-i:" + re.escape(caps) + r")(?=[ \t])", "label", key)
    for phrase in entry.get("phrases", []):
        patterns.add_for_label(phrase, "label", key)


def _add_labels(
    raw: Mapping[str, Any],
    lexicon_entries: Sequence[tuple[Mapping[str, Any], Mapping[str, Any]]],
    context: Mapping[str, Any],
    rules: Mapping[str, ContextRule],
    patterns: _PatternList,
) -> dict[str, LabelTerm]:
    """Every label (signals.toml first, then the lexicons) with its forms, then the cues of the
    context rules that count as a label; a key defined twice or an unknown label is an error."""
    labels: dict[str, LabelTerm] = {}
    label_entries = [(raw, entry) for entry in raw["labels"]] + list(lexicon_entries)
    for source, entry in label_entries:
        if entry["key"] in labels:
            raise ValueError(f"disclosure label key {entry['key']!r} is defined twice")
        labels[entry["key"]] = _label_term(source, entry)
        _add_label_forms(entry, patterns)
    for rule_id in [r.id for r in rules.values() if r.effect == "label"]:
        label_key = _rule_entry(context, rule_id)["label"]
        if label_key not in labels:
            raise ValueError(f"context rule {rule_id}: unknown label {label_key!r}")
        for cue_regex, _rule, language in _rule_cues(context, {"label"}, rule_id):
            patterns.add_for_language(cue_regex, "label", label_key, language)
    return labels


def _add_signals(
    raw: Mapping[str, Any],
    lexicons: Sequence[Mapping[str, Any]],
    context: Mapping[str, Any],
    rules: Mapping[str, ContextRule],
    patterns: _PatternList,
) -> dict[str, SignalKind]:
    """The signal kinds (signals.toml, then those the context rules add) and their phrases; a
    lexicon may add phrases only to a signal signals.toml defines."""
    signals: dict[str, SignalKind] = {}
    for sig in raw["signals"]:
        signals[sig["key"]] = SignalKind(
            sig["key"], bool(sig["needs_mention"]), sig["display_en"], sig["display_ko"]
        )
        for phrase in sig.get("phrases", []):
            patterns.add(phrase, "signal", sig["key"])
    for lexicon in lexicons:
        for sig in lexicon.get("signals", []):
            if sig["key"] not in signals:
                raise ValueError(f"lexicon {lexicon['language']}: unknown signal {sig['key']!r}")
            for phrase in sig.get("phrases", []):
                patterns.add_for_language(phrase, "signal", sig["key"], str(lexicon["language"]))
    for rule_id in [r.id for r in rules.values() if r.effect == "signal"]:
        entry = _rule_entry(context, rule_id)
        signals[entry["signal"]] = SignalKind(
            entry["signal"], bool(entry["needs_mention"]), entry["display_en"],
            entry["display_ko"],
        )  # fmt: skip
        for cue_regex, _rule, language in _rule_cues(context, {"signal"}, rule_id):
            patterns.add_for_language(cue_regex, "signal", entry["signal"], language)
    return signals


@dataclass(frozen=True)
class Vocabulary:
    version: str
    labels: Mapping[str, LabelTerm]
    signals: Mapping[str, SignalKind]
    matcher: PatternSet
    url_hosts: tuple[tuple[str, str], ...]  # (host suffix, signal key)
    url_params: tuple[tuple[re.Pattern[str], str], ...]
    preview_lines: int
    preview_chars: int
    hangul_min_share: float
    start_window_s: float
    end_window_s: float
    media: Mapping[str, str]
    platform_flag_key: str
    platform_flag_display_en: str
    platform_flag_display_ko: str
    context_rules: Mapping[str, ContextRule] = field(default_factory=dict)
    #: label key -> the hashtag suffixes whose stem must be tagged or mentioned (CTX-BRAND-STEM)
    suffixes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    lexicon_versions: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, prefilter: Callable[[Sequence[str]], Prefilter] | None = None) -> Self:
        """Read the vocabulary's data files; ``prefilter`` replaces hyperscan (benchmarks).

        The order the patterns are added in is their priority (earlier wins a tie): links,
        negations, label hashtags, label forms and label cues, signals, then context cues.
        """
        raw = read_toml("signals.toml")
        lexicons = [read_toml(name) for name in _lexicon_files()]
        context = read_toml("context_rules.toml")
        rules = load_context_rules(context)
        patterns = _PatternList(lexicons)
        url_hosts, url_params = _add_urls(raw, patterns)
        _add_negations(raw, context, patterns)
        lexicon_entries = [(lexicon, entry) for lexicon in lexicons for entry in lexicon["labels"]]
        suffixes = _add_label_hashtags(raw, lexicon_entries, patterns)
        labels = _add_labels(raw, lexicon_entries, context, rules, patterns)
        signals = _add_signals(raw, lexicons, context, rules, patterns)
        # Context cues (follow-bait, a shop's own advert) are recorded by rule id; last, so they
        # never take a label's place.
        for cue_regex, rule_id, language in _rule_cues(context, {"not_evidence", "not_endorsement"}):
            patterns.add_for_language(cue_regex, "cue", rule_id, language)
        patterns.check_no_capture()

        flag = raw["platform_flag"]
        layout = raw["layout"]
        return cls(
            version=str(raw["version"]),
            labels=labels,
            signals=signals,
            matcher=PatternSet(patterns.alternatives, patterns.gates, prefilter),
            url_hosts=tuple(url_hosts),
            url_params=tuple(url_params),
            preview_lines=int(layout["preview_lines"]),
            preview_chars=int(layout["preview_chars"]),
            hangul_min_share=float(raw["language"]["hangul_min_share"]),
            start_window_s=float(raw["transcript"]["start_window_s"]),
            end_window_s=float(raw["transcript"]["end_window_s"]),
            media={k: v for k, v in raw["media"].items() if k != "source"},
            platform_flag_key=flag["key"],
            platform_flag_display_en=flag["display_en"],
            platform_flag_display_ko=flag["display_ko"],
            context_rules=rules,
            suffixes=suffixes,
            lexicon_versions={str(lexicon["language"]): str(lexicon["version"]) for lexicon in lexicons}
            | {"context_rules": str(context["version"])},
        )

    def medium(self, platform: str, kind: str) -> str:
        platform, kind = platform.lower(), kind.lower()
        return self.media.get(f"{platform}:{kind}") or self.media.get(kind) or self.media["default"]

    def classify_url(self, url: str) -> str | None:
        lowered = url.lower()
        stripped = re.sub(r"^(?:https?://)?(?:www\.)?", "", lowered)
        host = stripped.split("/", 1)[0].split("?", 1)[0]
        for pattern, key in self.url_params:
            if pattern.search(lowered):
                return key
        for suffix, key in self.url_hosts:
            if "/" in suffix:
                if stripped.startswith(suffix):
                    return key
            elif suffix.endswith("."):
                if host.startswith(suffix):
                    return key
            elif suffix.startswith("."):
                if host.endswith(suffix):
                    return key
            elif host == suffix or host.endswith("." + suffix):
                return key
        return None


@lru_cache(maxsize=1)
def shared_vocabulary() -> Vocabulary:
    return Vocabulary.load()
