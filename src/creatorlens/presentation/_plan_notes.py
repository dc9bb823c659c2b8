"""The planner's sentences in the reader's language (docs/planner.md "Outputs").

The planner returns each sentence as a note: a code, the values in it and its English text
(``planner._plan.PlanNote``, in a plan's JSON as ``{"code", "values", "text"}``). English readers
get the text as the planner wrote it; other languages get the catalogue's ``plan_<code>`` message
with the values put in words of that language first (a dimension, a tier, a goal, a niche, a
constraint...). A note without a message in the language, or a plan file written before notes
existed (a plain string), reads as its English text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from creatorlens.presentation._i18n import Catalog


def note_text(note: Mapping[str, Any] | str | None, t: Catalog) -> str:
    """One planner note in ``t``'s language (its English text for English or an unknown code)."""
    if note is None:
        return ""
    if isinstance(note, str):
        return note
    text = str(note.get("text") or "")
    code = str(note.get("code") or "")
    key = "plan_" + code
    if t.lang == "en" or key not in t.messages:
        return text
    try:
        return t(key, **_values(code, dict(note.get("values") or {}), t))
    except (KeyError, ValueError, IndexError):  # a value the message lacks: say it in English
        return text


def notes_text(notes: Sequence[Mapping[str, Any] | str], t: Catalog, sep: str = " ") -> str:
    return sep.join(note_text(n, t) for n in notes)


def is_note(value: Any) -> bool:
    return isinstance(value, Mapping) and "code" in value and "text" in value


def _list(values: Any) -> list[str]:
    if isinstance(values, str):
        return [v for v in values.split(",") if v]
    return [str(v) for v in values or []]


def _target(terms: Sequence[Sequence[Any]], t: Catalog) -> str:
    parts = []
    for dim, values in terms:
        kind = {"interest": "niche", "gender": "bucket", "language": "language"}.get(str(dim))
        shown = [t.value(kind, v) if kind else str(v) for v in values]
        parts.append(f"{t.value('dimension', dim)} {','.join(shown)}")
    return "; ".join(parts) or t("plan_target_everyone")


def _reason(fact: Mapping[str, Any], t: Catalog) -> str:
    source = str(fact.get("source") or "")
    if source == "unknown":
        return t("plan_reason_unknown")
    if source == "below":
        return t("plan_reason_below")
    return t(
        "plan_reason",
        dimension=t.value("dimension", fact.get("dimension")),
        source=t("plan_source_" + source),
    )


def constraint_label(name: str, t: Catalog) -> str:
    """``budget``, ``max_creators``, ``tier max macro`` (a share limit) in words."""
    group, _, rest = name.partition(" ")
    bound, _, label = rest.partition(" ")
    if bound in ("max", "min") and label:
        kind = "tier" if group == "tier" else "platform"
        return (
            f"{t.value('plan_constraint', group)} {t.value('plan_constraint', bound)} "
            f"{t.value(kind, label)}"
        )
    return t.value("plan_constraint", name)


def method_text(method: str, t: Catalog, kind: str = "plan_method") -> str:
    """A fixed label of the planner (the optimiser's method, the word-of-mouth probability basis)
    with each known phrase of ``[values.<kind>]`` in the language (longest first)."""
    phrases = t.values.get(kind, {})
    out = method
    for english in sorted(phrases, key=len, reverse=True):
        out = out.replace(english, phrases[english])
    return out


def basis_text(basis: Any, t: Catalog) -> str:
    text = str(basis or "p90")
    return t("plan_basis_mid") if text == "mid" else text.upper()


#: values that hold one code of a ``[values.<kind>]`` table, and lists of codes of a kind
_CODED = {"tier": "tier", "goal": "goal", "fit_basis": "fit_basis", "source": "plan_source"}
_CODE_LISTS = {"platforms": "platform", "niches": "niche", "interests": "niche"}


def _values(code: str, values: dict[str, Any], t: Catalog) -> dict[str, Any]:
    """The note's values in words of ``t``'s language."""
    out = dict(values)
    for name, value in values.items():
        if is_note(value):
            out[name] = note_text(value, t)
        elif isinstance(value, list) and value and all(is_note(v) for v in value):
            out[name] = "; ".join(note_text(v, t) for v in value)
        elif name in _CODED:
            out[name] = t.value(_CODED[name], value)
        elif name in _CODE_LISTS:
            out[name] = ", ".join(t.value(_CODE_LISTS[name], v) for v in _list(value))
    out.update(_derived(code, values, t))
    return out


def _derived(code: str, values: dict[str, Any], t: Catalog) -> dict[str, Any]:
    """Values written from structured facts (the target, the reasons, a constraint, a rate)."""
    from creatorlens.presentation._plan import price_source_text

    out: dict[str, Any] = {}
    if "target" in values:
        out["target"] = _target(values["target"], t)
    if "ruled_out" in values:
        reasons = ", ".join(
            t("plan_ruled_by", count=int(f.get("count") or 0), reason=_reason(f, t))
            for f in values["ruled_out"]
        )
        out["ruled"] = t("plan_ruled_out", reasons=reasons) if reasons else t("plan_none_ruled_out")
    if "unknown_allowed" in values:
        out["unknown"] = t("plan_unknown_allowed" if values["unknown_allowed"] else "plan_unknown_excluded")
    if "basis" in values and code != "assume_word_of_mouth":
        out["basis"] = basis_text(values["basis"], t)
    elif "basis" in values:
        out["basis"] = method_text(str(values["basis"]), t, "plan_wom_basis")
    if code == "assume_goal":
        out["description"] = t.value("goal_description", values.get("goal"))
    if "blocker" in values:
        out["blocker"] = constraint_label(str(values["blocker"]), t)
    if "blockers" in values:
        names = _list(values["blockers"])
        out["blockers"] = ", ".join(constraint_label(n, t) for n in names) or t.value(
            "plan_constraint", "the constraints"
        )
    if "method" in values:
        out["method"] = method_text(str(values["method"]), t)
    if "column" in values:
        out["column"] = t.column(str(values["column"]))
    if "rate" in values:
        out["rate"] = price_source_text(str(values["rate"]), t)
    if "capped" in values:
        out["capped"] = t("plan_imm_capped") if values["capped"] else ""
    return out


def evidence_text(evidence: Sequence[Mapping[str, Any]], t: Catalog) -> str:
    """A pick's fit evidence: ``연령 61% (보고된 분포); 국가 84% (대리 지표: 크리에이터 국가 KR)``."""
    parts = []
    for e in evidence:
        source = str(e.get("source", ""))
        if source == "proxy" and e.get("attribute"):
            attribute = str(e["attribute"])
            value = str(e.get("value") or "")
            shown = t.value("niche", value) if attribute == "niche" else value
            label = t("plan_ev_proxy", attribute=t.value("fit_attribute", attribute), value=shown)
        elif source in ("reported", "none"):
            label = t("plan_ev_" + source)
        else:
            label = str(e.get("detail") or source)
        share = e.get("share")
        pct = f"{float(share):.0%}" if isinstance(share, int | float) else "—"
        parts.append(t("plan_ev", dimension=t.value("dimension", e.get("dimension")), share=pct, label=label))
    return "; ".join(parts) or t("plan_ev_everyone")
