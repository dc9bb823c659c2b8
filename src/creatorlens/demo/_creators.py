"""Synthetic creator profiles: platform, tier, followers, niche, country, names and bios."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from creatorlens.demo._data import PLATFORMS, TIERS, Calibration, Vocabulary, normalised

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_COUNTRY_FIRST_NAMES = {
    "US": "first_en",
    "GB": "first_en",
    "JP": "first_jp",
    "VN": "first_vn",
    "BR": "first_br",
    "ID": "first_id",
    "IN": "first_in",
    "DE": "first_de",
    "FR": "first_fr",
}
_BASE64 = np.array(list("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"))


@dataclass
class CreatorDraw:
    """Per-creator arrays (index = creator number) shared by every later step."""

    platform: IntArray  # index into PLATFORMS
    tier: IntArray  # index into TIERS
    followers: IntArray  # observed followers at the as-of date
    niche: IntArray  # main niche, index into calibration niches
    secondary: IntArray  # second niche for off-topic posts
    focus: FloatArray  # share of posts on the main niche
    country: list[str]
    korean: BoolArray  # captions and bio in Korean
    handle: list[str]
    display_name: list[str]
    bio: list[str]
    following: IntArray
    posts_count: IntArray
    verified: BoolArray
    categories: list[str | None]
    platform_id: list[str]

    @property
    def n(self) -> int:
        return len(self.platform)

    @property
    def platform_names(self) -> npt.NDArray[np.str_]:
        return np.array(PLATFORMS)[self.platform]

    @property
    def creator_ids(self) -> list[str]:
        names = self.platform_names
        return [f"{p}:{h.lower()}" for p, h in zip(names.tolist(), self.handle, strict=True)]


def draw_creators(
    rng: np.random.Generator, n: int, cal: Calibration, vocab: Vocabulary
) -> CreatorDraw:
    platform_share = cal.section("platforms", "shares")
    platform = rng.choice(
        len(PLATFORMS), size=n, p=normalised([platform_share[p] for p in PLATFORMS])
    )
    tier = np.empty(n, dtype=np.int64)
    for p_idx, name in enumerate(PLATFORMS):
        mask = platform == p_idx
        tier[mask] = rng.choice(len(TIERS), size=int(mask.sum()), p=cal.tier_mix(name))
    followers = _draw_followers(rng, tier, cal)

    niches = cal.niches
    niche = rng.choice(len(niches), size=n, p=normalised(cal.value("content", "niche_weights")))
    secondary = (niche + rng.integers(1, len(niches), size=n)) % len(niches)
    focus = rng.uniform(cal.value("content", "focus_low"), cal.value("content", "focus_high"), n)
    countries = cal.section("content", "countries")
    country_idx = rng.choice(len(countries["codes"]), size=n, p=normalised(countries["weights"]))
    country = [str(countries["codes"][i]) for i in country_idx]
    korean = np.array([c == "KR" for c in country])

    following = np.maximum(
        5,
        cal.per_tier("profile", "following_median")[tier]
        * rng.lognormal(0.0, cal.value("profile", "following_sigma"), n),
    ).astype(np.int64)
    posts_count = np.round(
        cal.per_tier("content", "lifetime_posts_median")[tier] * rng.lognormal(0.0, 0.5, n)
    ).astype(np.int64)
    verified = rng.random(n) < cal.per_tier("content", "verified_share")[tier]

    handle, display_name = _names(rng, niche, country, korean, niches, vocab)
    handle = _unique_per_platform(handle, platform)
    bio = _bios(rng, niche, country, korean, niches, vocab)
    categories = _categories(rng, niche, secondary, niches, vocab, cal)
    platform_id = _platform_ids(rng, platform)
    return CreatorDraw(
        platform=platform,
        tier=tier,
        followers=followers,
        niche=niche,
        secondary=secondary,
        focus=focus,
        country=country,
        korean=korean,
        handle=handle,
        display_name=display_name,
        bio=bio,
        following=following,
        posts_count=posts_count,
        verified=verified,
        categories=categories,
        platform_id=platform_id,
    )


def _draw_followers(rng: np.random.Generator, tier: IntArray, cal: Calibration) -> IntArray:
    """Truncated Pareto inside each tier: log10(followers) is a truncated exponential."""
    low = np.log10(cal.per_tier("tiers", "follower_low")[tier])
    high = np.log10(cal.per_tier("tiers", "follower_high")[tier])
    width = high - low
    rate = float(cal.value("tiers", "pareto_alpha")) * np.log(10.0)
    u = rng.random(len(tier))
    x = -np.log1p(-u * (1.0 - np.exp(-rate * width))) / rate
    followers = np.floor(10.0 ** (low + x))
    return np.asarray(np.minimum(followers, 10.0**high - 1), dtype=np.int64)


def _names(
    rng: np.random.Generator,
    niche: IntArray,
    country: list[str],
    korean: BoolArray,
    niches: list[str],
    vocab: Vocabulary,
) -> tuple[list[str], list[str]]:
    people = vocab.mapping("people")
    n = len(niche)
    picks = rng.integers(0, 1 << 30, size=(n, 5))
    handles: list[str] = []
    names: list[str] = []
    for i in range(n):
        word = str(vocab.niche(niches[niche[i]])["tags_en"][picks[i, 0] % 3])
        if korean[i]:
            k_first = int(picks[i, 1] % len(people["first_ko"]))
            k_last = int(picks[i, 2] % len(people["last_ko"]))
            first = str(people["first_ko_roman"][k_first])
            last = str(people["last_ko_roman"][k_last])
            suffix = str(people["handle_suffix_ko"][picks[i, 3] % len(people["handle_suffix_ko"])])
            name_local = f"{people['last_ko'][k_last]}{people['first_ko'][k_first]}"
            name = name_local if picks[i, 4] % 2 else f"{first.title()} {last.title()}"
        else:
            pool = people[_COUNTRY_FIRST_NAMES.get(country[i], "first_en")]
            first = str(pool[picks[i, 1] % len(pool)])
            last = str(people["last_en"][picks[i, 2] % len(people["last_en"])])
            suffix = str(people["handle_suffix_en"][picks[i, 3] % len(people["handle_suffix_en"])])
            name = (
                f"{first.title()} {last.title()}"
                if picks[i, 4] % 3
                else f"{first.title()} {suffix}"
            )
        digits = f"{picks[i, 4] % 100:02d}"
        pattern = picks[i, 0] % 6
        handle = (
            f"{first}.{word}",
            f"{first}_{suffix}{digits}",
            f"{word}by{first}",
            f"{first}{last}",
            f"{first}.{last}_{suffix}",
            f"{last}{first}_{word}",
        )[pattern]
        handles.append(handle)
        names.append(name)
    return handles, names


def _unique_per_platform(handles: list[str], platform: IntArray) -> list[str]:
    seen: set[tuple[int, str]] = set()
    out: list[str] = []
    for handle, plat in zip(handles, platform.tolist(), strict=True):
        candidate, k = handle, 1
        while (plat, candidate) in seen:
            k += 1
            candidate = f"{handle}{k}"
        seen.add((plat, candidate))
        out.append(candidate)
    return out


def _bios(
    rng: np.random.Generator,
    niche: IntArray,
    country: list[str],
    korean: BoolArray,
    niches: list[str],
    vocab: Vocabulary,
) -> list[str]:
    picks = rng.integers(0, 1 << 30, size=(len(niche), 4))
    cities = vocab.mapping("cities")
    out = []
    for i, nid in enumerate(niche.tolist()):
        lang = "ko" if korean[i] else "en"
        templates = vocab.words("templates", f"bio_{lang}")
        entry = vocab.niche(niches[nid])
        words = entry[lang]
        city_pool = cities[country[i]]
        out.append(
            templates[picks[i, 0] % len(templates)].format(
                label=entry[f"label_{lang}"],
                a=words[picks[i, 1] % len(words)],
                b=words[(picks[i, 1] + 1 + picks[i, 2] % (len(words) - 1)) % len(words)],
                city=city_pool[picks[i, 3] % len(city_pool)],
            )
        )
    return out


def _categories(
    rng: np.random.Generator,
    niche: IntArray,
    secondary: IntArray,
    niches: list[str],
    vocab: Vocabulary,
    cal: Calibration,
) -> list[str | None]:
    given = rng.random(len(niche)) < float(cal.value("profile", "categories_share"))
    with_second = rng.random(len(niche)) < 0.3
    out: list[str | None] = []
    for i, nid in enumerate(niche.tolist()):
        if not given[i]:
            out.append(None)
            continue
        label = str(vocab.niche(niches[nid])["label_en"]).title()
        if with_second[i]:
            label += "|" + str(vocab.niche(niches[secondary[i]])["label_en"]).title()
        out.append(label)
    return out


def _platform_ids(rng: np.random.Generator, platform: IntArray) -> list[str]:
    n = len(platform)
    digits = rng.integers(0, 10**9, size=n)
    chars = _BASE64[rng.integers(0, 64, size=(n, 22))]
    youtube_ids = ["UC" + "".join(row) for row in chars.tolist()]
    out = []
    for i, plat in enumerate(platform.tolist()):
        if PLATFORMS[plat] == "youtube":
            out.append(youtube_ids[i])
        elif PLATFORMS[plat] == "instagram":
            out.append(f"178414{digits[i]:09d}{i:06d}")
        else:
            out.append(f"68{digits[i]:09d}{i:08d}")
    return out
