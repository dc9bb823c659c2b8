"""Money in real currencies: dated exchange rates as package data, currency defaults, conversion.

Every published price and CPM in ``data/costs`` is in USD. A brief in another currency is
converted with the newest rate of ``data/costs/exchange_rates.csv`` (rate, date, source), never
1:1; an unknown currency is an error that lists the known ones. Formulae: docs/planner.md "Money".
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

from creatorlens.data import load_csv
from creatorlens.errors import CurrencyError as CurrencyError

#: Rates older than this many days are called old in every output that uses them.
OLD_RATE_DAYS = 90


@dataclass(frozen=True)
class ExchangeRate:
    """``units_per_usd`` units of ``currency`` buy 1 USD (``usd_per_unit`` is its inverse)."""

    currency: str
    units_per_usd: float
    date: _dt.date
    source: str
    derivation: str

    @property
    def usd_per_unit(self) -> float:
        return 1.0 / self.units_per_usd

    def age_days(self, today: _dt.date | None = None) -> int:
        return ((today or _dt.date.today()) - self.date).days

    def info(self, today: _dt.date | None = None) -> dict[str, object]:
        """The rate as plain data for a plan's JSON: rate, date, source, age and the note."""
        return {
            "currency": self.currency,
            "units_per_usd": self.units_per_usd,
            "date": self.date.isoformat(),
            "source": self.source,
            "age_days": self.age_days(today),
            "note": self.note(today) or "prices are published in USD: no conversion",
        }

    def note(self, today: _dt.date | None = None) -> str:
        """How a USD figure became this currency, with the rate's age."""
        if self.currency == "USD":
            return ""
        age = self.age_days(today)
        old = f"; {age} days old" + (" (old: check a current rate)" if age > OLD_RATE_DAYS else "")
        return (
            f"converted from USD at {format_number(self.units_per_usd, 6)} {self.currency} per USD "
            f"({self.derivation}; {self.source}, {self.date.isoformat()}{old})"
        )


@cache
def _rate_rows() -> tuple[tuple[str, str, float, date, str], ...]:
    rows = []
    for n, r in enumerate(load_csv("costs/exchange_rates.csv"), start=2):
        try:
            rows.append(
                (
                    r["currency"].strip().upper(),
                    r["base"].strip().upper(),
                    float(r["rate"]),
                    date.fromisoformat(r["date"].strip()),
                    r["source"].strip(),
                )
            )
        except (KeyError, ValueError) as exc:  # pragma: no cover - package data is tested
            raise ValueError(f"data/costs/exchange_rates.csv row {n}: {exc}") from exc
    return tuple(rows)


def _newest(currency: str, base: str | None = None) -> tuple[str, str, float, date, str] | None:
    rows = [r for r in _rate_rows() if r[0] == currency and (base is None or r[1] == base)]
    rows = [r for r in rows if r[0] != r[1]] or rows
    return max(rows, key=lambda r: r[3]) if rows else None


def known_currencies() -> tuple[str, ...]:
    return tuple(sorted({r[0] for r in _rate_rows()}))


@cache
def exchange_rate(currency: str) -> ExchangeRate:
    """The newest rate for ``currency`` against USD (through the quote's base on its date)."""
    code = currency.strip().upper()
    if code == "USD":
        return ExchangeRate("USD", 1.0, date(2025, 2, 28), "identity", "USD")
    row = _newest(code)
    if row is None:
        raise CurrencyError(
            f"currency {currency!r}: no exchange rate in data/costs/exchange_rates.csv; "
            f"known currencies: {', '.join(known_currencies())} (or give usd_per_unit yourself)"
        )
    _, base, rate, when, source = row
    if base == "USD":
        return ExchangeRate(code, rate, when, source, f"{format_number(rate, 6)} {code} per USD")
    if code == base:
        base_row = _newest("USD", base)
        if base_row is None:
            raise CurrencyError(f"currency {code}: no USD rate for base {base}")
        usd_rate = base_row[2]
        return ExchangeRate(code, 1.0 / usd_rate, base_row[3], base_row[4], f"{usd_rate:g} USD per {code}")
    usd_row = [r for r in _rate_rows() if r[0] == "USD" and r[1] == base and r[3] == when]
    if not usd_row:
        raise CurrencyError(f"currency {code}: no USD per {base} rate on {when}")
    usd_rate = usd_row[0][2]
    return ExchangeRate(
        code,
        rate / usd_rate,
        when,
        source,
        f"{format_number(rate, 6)} {code} and {usd_rate:g} USD per {base}",
    )


def manual_rate(currency: str, usd_per_unit: float) -> ExchangeRate:
    """A rate the user gave (brief ``usd_per_unit``); dated today, labelled as the user's."""
    return ExchangeRate(
        currency.strip().upper(),
        1.0 / usd_per_unit,
        date.today(),
        "user-given rate",
        f"{usd_per_unit:g} USD per {currency.strip().upper()} (given)",
    )


@cache
def _country_currency() -> dict[str, str]:
    rows = load_csv("costs/currencies.csv")
    return {r["country"].strip().upper(): r["currency"].strip().upper() for r in rows}


def default_currency(countries: Iterable[str]) -> str:
    """The target countries' currency when they share one (KR -> KRW), else USD."""
    codes = {_country_currency().get(c.strip().upper(), "USD") for c in countries}
    return codes.pop() if len(codes) == 1 else "USD"


@cache
def minor_units(currency: str) -> int:
    table = {r["currency"].strip().upper(): int(r["minor_units"]) for r in load_csv("costs/minor_units.csv")}
    return table.get(currency.strip().upper(), 2)


# -- formatting from units ---------------------------------------------------------------------


def format_number(value: float, significant: int = 3, decimals: int | None = None) -> str:
    """A number for people: thousands separators, no float noise, small values never shown as 0.

    ``decimals`` fixes the digits after the point for values >= 1 (money: the currency's minor
    units); below 1 (and below 10**-decimals) ``significant`` digits are kept.
    """
    if value is None or not math.isfinite(value):
        return "n/a"
    if value == 0:
        return "0"
    magnitude = abs(value)
    if decimals is not None and magnitude >= 10 ** (-decimals) and magnitude >= 1:
        return f"{value:,.{decimals}f}"
    if magnitude >= 10 ** (significant - 1):
        return f"{value:,.0f}"
    digits = significant - 1 - math.floor(math.log10(magnitude))
    text = f"{round(value, digits):,.{max(digits, 0)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_money(value: float, currency: str) -> str:
    """``1,234,567 KRW``, ``12.50 USD``, ``0.0042 USD`` (small amounts keep 2 significant digits)."""
    return f"{format_number(value, 2, minor_units(currency))} {currency}"


def clean_number(value: float, significant: int = 6) -> float | None:
    """A float rounded to ``significant`` digits for files (CSV/JSON): 0.006999999999999998 -> 0.007."""
    if value is None or not math.isfinite(value):
        return None
    if value == 0:
        return 0.0
    digits = significant - 1 - math.floor(math.log10(abs(value)))
    return float(round(value, max(digits, 0)))


def unit_currency(unit: str) -> str | None:
    """The currency a unit is money in: "KRW", "USD per engagement" -> KRW, USD; else None."""
    head = (unit or "").split(" ", 1)[0]
    return head if len(head) == 3 and head.isalpha() and head.isupper() else None


def format_value(value: float | None, unit: str) -> str:
    """One value formatted from its unit: money with the currency's minor units (small per-unit
    money keeps 2 significant digits), counts with 3 significant digits below 100."""
    if value is None:
        return "n/a"
    currency = unit_currency(unit)
    if currency is not None:
        return format_number(float(value), 2, minor_units(currency))
    return format_number(float(value), 3)


def format_range(low: float | None, mid: float | None, high: float | None, unit: str) -> str:
    """``low – high (mid m) unit``; the unit is always shown (money always carries its currency)."""
    text = f"{format_value(low, unit)} – {format_value(high, unit)} (mid {format_value(mid, unit)})"
    return f"{text} {unit}".rstrip()
