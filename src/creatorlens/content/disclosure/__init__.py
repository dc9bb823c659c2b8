"""Sponsorship-disclosure checker: is a post sponsored, is it labelled, and does the label pass?

Pure domain code, split the way pandera splits what a check is from the engine that runs it.
What the rules are lives in ``creatorlens/data/disclosure/*.toml``; the code knows only the
*shape* of a rule, never a jurisdiction's content (docs/disclosure.md):

- ``_rules``: jurisdictions (cited rules, dated rule sets), context rules, message templates.
- ``_patterns``: the pattern set, one alternation's semantics behind a hyperscan prefilter.
- ``_vocabulary``: label terms, signals, negations and cues of signals.toml, the lexicons and the
  context rules, compiled into one pattern set in priority order.
- ``_scan``: reading one post into jurisdiction-independent facts (hits, positions, evidence).
- ``_judge``: judging those facts under the rule set in force on the post's date.
- ``_batch``: the checker over a table of posts (one row per post x jurisdiction).
- ``_transparency``: compliant / sponsored posts per creator and jurisdiction.
"""

from creatorlens.content.disclosure._batch import (
    POST_FIELDS,
    VERDICT_COLUMNS,
    DisclosureChecker,
    check_disclosure,
    check_post,
)
from creatorlens.content.disclosure._judge import VERDICTS, Judge, Judgement, Verdict
from creatorlens.content.disclosure._patterns import HyperscanPrefilter, PatternSet, Prefilter
from creatorlens.content.disclosure._rules import (
    JURISDICTION_FILES,
    ContextRule,
    Jurisdiction,
    Rule,
    RuleSet,
    disclosure_rules,
    jurisdiction_codes,
    jurisdiction_rules,
    load_jurisdiction,
)
from creatorlens.content.disclosure._scan import Hit, PostFacts, analyse_post, content_language
from creatorlens.content.disclosure._transparency import transparency_scores
from creatorlens.content.disclosure._vocabulary import Vocabulary, shared_vocabulary

__all__ = [
    "JURISDICTION_FILES",
    "POST_FIELDS",
    "VERDICTS",
    "VERDICT_COLUMNS",
    "ContextRule",
    "DisclosureChecker",
    "Hit",
    "HyperscanPrefilter",
    "Judge",
    "Judgement",
    "Jurisdiction",
    "PatternSet",
    "PostFacts",
    "Prefilter",
    "Rule",
    "RuleSet",
    "Verdict",
    "Vocabulary",
    "analyse_post",
    "check_disclosure",
    "check_post",
    "content_language",
    "disclosure_rules",
    "jurisdiction_codes",
    "jurisdiction_rules",
    "load_jurisdiction",
    "shared_vocabulary",
    "transparency_scores",
]
