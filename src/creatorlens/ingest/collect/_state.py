"""What a fetch remembers between runs, as small JSON files in the archive folder.

- ``quota.json``: units spent per platform and API day (the day in the API's reset time zone), so
  a run stops before the budget is exceeded and the next run knows what is left.
- ``checkpoints/JOB.json``: one fetch command's run id, status and the responses it has archived
  (request key -> SHA-256). ``--resume`` continues the latest unfinished run of the same command:
  every request it already has is read from the archive instead of the API, so page tokens are
  followed from the stored pages and no page is fetched twice or missed.

Files are replaced atomically (write, fsync, rename): a crash leaves the old or the new version.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from creatorlens.data import load_toml

__all__ = ["Checkpoint", "QuotaLedger", "QuotaRules", "job_key", "quota_rules"]


def _write_json(path: Path, doc: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8") as handle:
        json.dump(doc, handle, ensure_ascii=False, sort_keys=True, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


@dataclass(frozen=True)
class QuotaRules:
    platform: str
    daily_budget: int
    reset_timezone: str
    costs: Mapping[str, int]
    source: str

    def cost(self, method: str) -> int:
        return int(self.costs[method])


@cache
def quota_rules(platform: str) -> QuotaRules:
    section = load_toml("collect_quotas.toml")[platform]
    costs = {k: int(v) for k, v in section["cost"].items() if k != "source"}
    return QuotaRules(
        platform,
        int(section["daily_budget"]),
        str(section["reset_timezone"]),
        costs,
        str(section["daily_budget_source"]),
    )


@dataclass
class QuotaLedger:
    """Units spent today; ``budget`` may be lowered or raised (a project granted more quota)."""

    path: Path
    rules: QuotaRules
    clock: Callable[[], datetime]
    budget: int | None = None

    @property
    def daily_budget(self) -> int:
        return self.rules.daily_budget if self.budget is None else self.budget

    def day(self) -> str:
        return self.clock().astimezone(ZoneInfo(self.rules.reset_timezone)).date().isoformat()

    def resets_at(self) -> datetime:
        zone = ZoneInfo(self.rules.reset_timezone)
        local = self.clock().astimezone(zone)
        midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), zone)
        return midnight.astimezone(UTC)

    def _all(self) -> dict[str, Any]:
        doc = _read_json(self.path)
        return doc if isinstance(doc, dict) else {}

    def used(self) -> int:
        mine = self._all().get(self.rules.platform) or {}
        return int(mine.get("used", 0)) if mine.get("day") == self.day() else 0

    def remaining(self) -> int:
        return max(0, self.daily_budget - self.used())

    def can_spend(self, units: int) -> bool:
        return self.used() + units <= self.daily_budget

    def spend(self, units: int) -> None:
        doc = self._all()
        doc[self.rules.platform] = {"day": self.day(), "used": self.used() + units}
        _write_json(self.path, doc)

    def exhaust(self) -> None:
        """The API said the quota is spent (403 quotaExceeded): nothing is left today."""
        doc = self._all()
        doc[self.rules.platform] = {"day": self.day(), "used": max(self.used(), self.daily_budget)}
        _write_json(self.path, doc)


def job_key(platform: str, params: Mapping[str, Any]) -> str:
    """The same fetch command (platform and options) has the same key, whatever their order."""
    text = json.dumps({"platform": platform, **params}, sort_keys=True, ensure_ascii=False)
    return f"{platform}-{hashlib.sha256(text.encode()).hexdigest()[:16]}"


@dataclass
class Checkpoint:
    path: Path
    platform: str
    params: dict[str, Any]
    run_id: str
    status: str = "running"  # running | done | quota | failed
    done: dict[str, str] = field(default_factory=dict)
    note: str = ""

    @classmethod
    def load(cls, path: Path) -> Checkpoint | None:
        doc = _read_json(path)
        if not isinstance(doc, dict):
            return None
        return cls(
            path,
            str(doc["platform"]),
            dict(doc["params"]),
            str(doc["run_id"]),
            str(doc["status"]),
            dict(doc.get("done", {})),
            str(doc.get("note", "")),
        )

    def save(self) -> None:
        _write_json(
            self.path,
            {
                "platform": self.platform,
                "params": self.params,
                "run_id": self.run_id,
                "status": self.status,
                "done": self.done,
                "note": self.note,
            },
        )
