"""Audience breakdowns: age, gender, country, language, interest; some city and age x gender.

Each dimension of a creator is a Dirichlet draw around a profile from ``[audience]`` in
calibration.toml, so shares are positive and sum to 1 per creator and dimension.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from creatorlens.demo._creators import BoolArray, CreatorDraw, FloatArray, IntArray
from creatorlens.demo._data import PLATFORMS, Calibration, Vocabulary

GENDERS = ("female", "male", "other")
_INTEREST_BUCKETS = 6


@dataclass
class AudienceRows:
    creator: IntArray
    dimension: list[str]
    bucket: list[str]
    share: FloatArray
    has_audience: BoolArray


def _dirichlet(rng: np.random.Generator, alpha: FloatArray) -> FloatArray:
    draws = rng.gamma(np.maximum(alpha, 1e-3))
    return np.asarray(draws / draws.sum(axis=1, keepdims=True), dtype=np.float64)


def _shift(profile: FloatArray, steps: int) -> FloatArray:
    """Move an age profile towards older (steps > 0) or younger bands, half a band per step."""
    out = profile.copy()
    for _ in range(abs(steps)):
        moved = np.zeros_like(out)
        if steps > 0:
            moved[1:] = out[:-1]
            moved[-1] += out[-1]
        else:
            moved[:-1] = out[1:]
            moved[0] += out[0]
        out = 0.5 * out + 0.5 * moved
    return out


def draw_audience(
    rng: np.random.Generator, creators: CreatorDraw, cal: Calibration, vocab: Vocabulary
) -> AudienceRows:
    aud = cal.section("audience")
    niches = cal.niches
    has = rng.random(creators.n) < float(aud["share_of_creators"])
    rows = np.flatnonzero(has)
    m = len(rows)
    conc = float(aud["concentration"])
    platform = creators.platform[rows]
    niche = creators.niche[rows]
    tier = creators.tier[rows]

    parts_creator: list[IntArray] = []
    parts_dim: list[str] = []
    parts_bucket: list[str] = []
    parts_share: list[FloatArray] = []

    def emit(
        dimension: str, buckets: list[str] | npt.NDArray[np.str_], shares: FloatArray, who: IntArray
    ) -> None:
        k = shares.shape[1]
        parts_creator.append(np.repeat(who, k))
        parts_dim.extend([dimension] * (len(who) * k))
        if isinstance(buckets, np.ndarray) and buckets.ndim == 2:
            parts_bucket.extend(buckets.ravel().tolist())
        else:
            parts_bucket.extend(list(buckets) * len(who))
        parts_share.append(shares.ravel())

    # Age: platform profile shifted by niche.
    bands = [str(b) for b in aud["age_bands"]]
    shifts = aud["niche_age_shift"]
    base = np.empty((m, len(bands)))
    for p_idx, name in enumerate(PLATFORMS):
        profile = np.array(aud["age_profile"][name], dtype=np.float64)
        for n_idx, niche_name in enumerate(niches):
            sel = (platform == p_idx) & (niche == n_idx)
            base[sel] = _shift(profile, int(shifts.get(niche_name, 0)))
    age = _dirichlet(rng, conc * base)
    emit("age", bands, age, rows)

    # Gender: leans with the niche.
    female = np.array([float(aud["female_share"][x]) for x in niches])[niche]
    other = float(aud["other_gender_share"])
    gender_base = np.stack([female * (1 - other), (1 - female) * (1 - other), np.full(m, other)], 1)
    gender = _dirichlet(rng, conc * gender_base)
    emit("gender", list(GENDERS), gender, rows)

    # Country: home-heavy for small accounts, spread for large ones.
    codes = [str(c) for c in cal.value("content", "countries", "codes")]
    world = np.array(cal.value("content", "countries", "weights"), dtype=np.float64)
    home_idx = np.array([codes.index(creators.country[r]) for r in rows.tolist()])
    home_share = cal.per_tier("audience", "home_country_share")[tier]
    spread = np.tile(world, (m, 1))
    spread[np.arange(m), home_idx] = 0.0
    spread = spread / spread.sum(axis=1, keepdims=True) * (1.0 - home_share)[:, None]
    spread[np.arange(m), home_idx] = home_share
    country = _dirichlet(rng, conc * spread)
    emit("country", codes, country, rows)

    # Language: the country split mapped to each country's language.
    lang_of = vocab.mapping("languages")
    languages = sorted({str(lang_of[c]) for c in codes})
    to_lang = np.zeros((len(codes), len(languages)))
    for c_idx, code in enumerate(codes):
        to_lang[c_idx, languages.index(str(lang_of[code]))] = 1.0
    emit("language", languages, country @ to_lang, rows)

    # Interest: the main niche, the secondary, and the rest by popularity; keep the top buckets.
    weights = np.array(cal.value("content", "niche_weights"), dtype=np.float64)
    main = float(aud["main_niche_interest_share"])
    interest_base = np.tile(weights * (1.0 - main - 0.15) / weights.sum(), (m, 1))
    interest_base[np.arange(m), niche] += main
    interest_base[np.arange(m), creators.secondary[rows]] += 0.15
    interest = _dirichlet(rng, conc * interest_base)
    top = np.argsort(-interest, axis=1)[:, :_INTEREST_BUCKETS]
    kept = np.take_along_axis(interest, top, axis=1)
    kept = kept / kept.sum(axis=1, keepdims=True)
    emit("interest", np.array(niches)[top], kept, rows)

    # City (some creators): home-country cities of the home share, the rest "other".
    cities = vocab.mapping("cities")
    with_city = rng.random(m) < float(aud["city_share_of_creators"])
    for local in np.flatnonzero(with_city).tolist():
        r = int(rows[local])
        names = [str(c) for c in cities[creators.country[r]]]
        split = _dirichlet(rng, conc / 4 * np.linspace(2.0, 0.5, len(names))[None, :])[0]
        home = float(country[local, home_idx[local]])
        shares = np.append(split * home, 1.0 - home)[None, :]
        emit("city", [*names, "other"], shares, np.array([r]))

    # Joint age x gender (some creators): product of the marginals with a little noise.
    with_joint = rng.random(m) < float(aud["joint_age_gender_share_of_creators"])
    joint_rows = np.flatnonzero(with_joint)
    joint = (age[joint_rows][:, :, None] * gender[joint_rows][:, None, :]).reshape(
        len(joint_rows), -1
    )
    joint = joint * rng.lognormal(0.0, 0.15, joint.shape)
    joint = joint / joint.sum(axis=1, keepdims=True)
    joint_buckets = [f"{a}|{g}" for a in bands for g in GENDERS]
    emit("age_gender", joint_buckets, joint, rows[joint_rows])

    return AudienceRows(
        creator=np.concatenate(parts_creator),
        dimension=parts_dim,
        bucket=parts_bucket,
        share=np.concatenate(parts_share),
        has_audience=has,
    )
