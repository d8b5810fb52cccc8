"""The taxonomy of learning themes, and how often each theme recurs across reviews.

Reviews keep finding the same things: information held by adult services that never
reached children's services, families moving between areas, the father invisible to the
professionals, optimistic step-down. Tagging each finding with a theme from one shared
list lets the partnership count them, and regulation 11 criterion (b) ("recurrent themes")
asks exactly that: has this come up before? A theme *recurs* when at least ``min_reviews``
different reviews (default 2) found it within ``years`` years (default 3) up to the date
asked about.

The default taxonomy is seeded on first use (not by a migration, so a partnership that
renames a label keeps its wording), and partnerships add their own themes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from joinedup.errors import ActionError, NextStep, NotFoundError
from joinedup.reviews.clocks import add_months
from joinedup.reviews.models import Theme

DEFAULT_THEMES = (
    ("INFO_SHARING_ADULT_CHILD", "Information sharing between adult and children's services"),
    ("TRANSFERS", "Transfers between areas"),
    ("RECORDING", "Recording"),
    ("FATHERS_MEN", "Fathers and men in the household"),
    ("STEP_DOWN_OPTIMISM", "Step-down and optimism"),
    ("TRAUMA_PARENTING", "Childhood trauma and parenting capacity"),
    ("DISENGAGEMENT", "Disengagement and missed appointments"),
    ("DOMESTIC_ABUSE", "Domestic abuse"),
    ("PARENTAL_MENTAL_HEALTH", "Parental mental health"),
    ("SUBSTANCE_USE", "Substance use"),
    ("INFANT_INJURY", "Injury in infants"),
    ("MULTI_AGENCY_MEETINGS", "Multi-agency meetings"),
)
RECUR_MIN_REVIEWS = 2
RECUR_YEARS = 3

_CODE = re.compile(r"^[A-Z][A-Z0-9_]{1,39}$")


def ensure_default_themes() -> None:
    """Create any default theme that is missing; labels already stored are left alone."""
    have = set(Theme.objects.values_list("code", flat=True))
    Theme.objects.bulk_create([Theme(code=code, label=label) for code, label in DEFAULT_THEMES
                               if code not in have])


def add_theme(code: str, label: str) -> Theme:
    """Add a theme of the partnership's own to the taxonomy."""
    ensure_default_themes()
    normalised = code.strip().upper().replace("-", "_")
    if not _CODE.match(normalised):
        raise ActionError(f"{code!r} is not a theme code: use 2 to 40 capital letters, digits "
                          "or _, starting with a letter (e.g. NEGLECT_HOME_CONDITIONS).")
    text = label.strip()
    if not text:
        raise ActionError("A theme needs a label in plain words, e.g. \"Home conditions\".")
    existing = Theme.objects.filter(code=normalised).first()
    if existing is not None:
        raise ActionError(f"Theme {normalised} already exists ({existing.label}).")
    return Theme.objects.create(code=normalised, label=text)


def find_themes(codes: Iterable[str]) -> list[Theme]:
    """The themes named, once each, in the order given; unknown codes in one message."""
    ensure_default_themes()
    wanted = list(dict.fromkeys(c.strip().upper() for c in codes if c.strip()))
    found = {t.code: t for t in Theme.objects.filter(code__in=wanted)}
    unknown = [c for c in wanted if c not in found]
    if unknown:
        known = ", ".join(Theme.objects.values_list("code", flat=True))
        raise NotFoundError(f"There is no theme {', '.join(unknown)}. The themes are: {known}.",
                            next_step=NextStep.ADD_THEME)
    return [found[c] for c in wanted]


@dataclass
class ThemeCount:
    """How often one theme was found: reviews per year and quarter (by the date of
    awareness), and whether it recurs within the window."""

    code: str
    label: str
    reviews: list[int] = field(default_factory=list)
    by_year: dict[str, int] = field(default_factory=dict)
    by_quarter: dict[str, int] = field(default_factory=dict)
    first_seen: dt.date | None = None
    last_seen: dt.date | None = None
    in_window: list[int] = field(default_factory=list)
    recurs: bool = False


def quarter(day: dt.date) -> str:
    """Calendar quarter as ``2025-Q2``."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def count_themes(labels: dict[str, str], found: Iterable[tuple[str, int, dt.date]],
                 on: dt.date, min_reviews: int = RECUR_MIN_REVIEWS,
                 years: int = RECUR_YEARS) -> list[ThemeCount]:
    """Pure: per theme (``labels``: code to label), from (theme code, review id, review's
    date) for every finding's theme. A review counts once per theme however many of its
    findings carry it. The window is the ``years`` years up to and including ``on``."""
    if min_reviews < 1 or years < 1:
        raise ActionError("Recurrence needs at least 1 review within at least 1 year.")
    since = add_months(on, -12 * years)
    dates: dict[str, dict[int, dt.date]] = defaultdict(dict)
    for code, review_id, day in found:
        dates[code][review_id] = day
    out = []
    for code, label in sorted(labels.items()):
        seen = dates.get(code, {})
        count = ThemeCount(code, label, sorted(seen))
        years_seen: dict[str, int] = defaultdict(int)
        quarters: dict[str, int] = defaultdict(int)
        for day in seen.values():
            years_seen[str(day.year)] += 1
            quarters[quarter(day)] += 1
        count.by_year, count.by_quarter = dict(sorted(years_seen.items())), dict(
            sorted(quarters.items()))
        if seen:
            count.first_seen, count.last_seen = min(seen.values()), max(seen.values())
        count.in_window = sorted(r for r, day in seen.items() if since < day <= on)
        count.recurs = len(count.in_window) >= min_reviews
        out.append(count)
    return out


def theme_analytics(on: dt.date, min_reviews: int = RECUR_MIN_REVIEWS,
                    years: int = RECUR_YEARS) -> list[ThemeCount]:
    """Every theme in the taxonomy with its counts across all reviews (see count_themes)."""
    from joinedup.reviews.models import Finding

    ensure_default_themes()
    labels = dict(Theme.objects.values_list("code", "label"))
    rows = Finding.themes.through.objects.values_list(
        "theme__code", "finding__review_id", "finding__review__aware_on")
    return count_themes(labels, rows, on, min_reviews, years)
