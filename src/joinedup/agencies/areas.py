"""England's children's services authorities: the areas a request can be sent to by name.

An information request goes to an agency registered here or, when the agency asked is not,
to the children's services of another area, named by the area's ONS GSS code (Office for
National Statistics, Government Statistical Service codes: a letter for the country and
eight digits). This module knows the 153 councils in England with children's services as
they have stood since 1 April 2023, so a practitioner can pick "Manchester" instead of
typing E08000003, and every page can say which area a request went to.

The list is the ONS register of local authority codes after the reorganisations of
2019 to 2023, each of which gave the new council a new code and retired the old ones:

- 2019: Bournemouth, Christchurch and Poole (E06000058) and Dorset (E06000059) replaced
  Bournemouth (E06000028), Poole (E06000029) and Dorset County Council (E10000009);
- 2020: Buckinghamshire (E06000060) replaced Buckinghamshire County Council (E10000002);
- 2021: North and West Northamptonshire (E06000061, E06000062) replaced Northamptonshire
  (E10000021);
- 2023: Cumberland and Westmorland and Furness (E06000063, E06000064) replaced Cumbria
  (E10000006); North Yorkshire (E06000065) and Somerset (E06000066) became unitary
  (E10000023, E10000027 retired).

Northumberland (E06000048 to E06000057) and Gateshead (E08000020 to E08000037) changed code
in 2013, when the boundary between them moved. County councils (E10) are listed only where they
still run children's services; their districts (E07) do not.

An area outside England (Wales W06, Scotland S12, Northern Ireland N09) is given by its
code: it is a valid area, shown by its code and country, not by name.
"""

from __future__ import annotations

import re
from typing import NamedTuple


class Area(NamedTuple):
    """A council with children's services: its ONS GSS code and its name."""

    code: str
    name: str


GSS_PATTERN = re.compile(r"[EWSN]\d{8}")
"""An ONS GSS code: a letter and eight digits (as ``agencies.models.GSS_CODE``)."""

COUNTRIES = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}

_LONDON = (
    "City of London", "Barking and Dagenham", "Barnet", "Bexley", "Brent", "Bromley",
    "Camden", "Croydon", "Ealing", "Enfield", "Greenwich", "Hackney",
    "Hammersmith and Fulham", "Haringey", "Harrow", "Havering", "Hillingdon", "Hounslow",
    "Islington", "Kensington and Chelsea", "Kingston upon Thames", "Lambeth", "Lewisham",
    "Merton", "Newham", "Redbridge", "Richmond upon Thames", "Southwark", "Sutton",
    "Tower Hamlets", "Waltham Forest", "Wandsworth", "Westminster",
)  # E09000001 to E09000033

_METROPOLITAN = (
    "Bolton", "Bury", "Manchester", "Oldham", "Rochdale", "Salford", "Stockport", "Tameside",
    "Trafford", "Wigan", "Knowsley", "Liverpool", "St Helens", "Sefton", "Wirral",
    "Barnsley", "Doncaster", "Rotherham", "Sheffield", None, "Newcastle upon Tyne",
    "North Tyneside", "South Tyneside", "Sunderland", "Birmingham", "Coventry", "Dudley",
    "Sandwell", "Solihull", "Walsall", "Wolverhampton", "Bradford", "Calderdale", "Kirklees",
    "Leeds", "Wakefield", "Gateshead",
)  # E08000001 to E08000037; None: a retired code

_UNITARY = (
    "Hartlepool", "Middlesbrough", "Redcar and Cleveland", "Stockton-on-Tees", "Darlington",
    "Halton", "Warrington", "Blackburn with Darwen", "Blackpool", "Kingston upon Hull",
    "East Riding of Yorkshire", "North East Lincolnshire", "North Lincolnshire", "York",
    "Derby", "Leicester", "Rutland", "Nottingham", "Herefordshire", "Telford and Wrekin",
    "Stoke-on-Trent", "Bath and North East Somerset", "Bristol", "North Somerset",
    "South Gloucestershire", "Plymouth", "Torbay", None, None, "Swindon", "Peterborough",
    "Luton", "Southend-on-Sea", "Thurrock", "Medway", "Bracknell Forest", "West Berkshire",
    "Reading", "Slough", "Windsor and Maidenhead", "Wokingham", "Milton Keynes",
    "Brighton and Hove", "Portsmouth", "Southampton", "Isle of Wight", "County Durham", None,
    "Cheshire East", "Cheshire West and Chester", "Shropshire", "Cornwall", "Isles of Scilly",
    "Wiltshire", "Bedford", "Central Bedfordshire", "Northumberland",
    "Bournemouth, Christchurch and Poole", "Dorset", "Buckinghamshire",
    "North Northamptonshire", "West Northamptonshire", "Cumberland",
    "Westmorland and Furness", "North Yorkshire", "Somerset",
)  # E06000001 to E06000066; None: a retired code

_COUNTIES = {
    3: "Cambridgeshire", 7: "Derbyshire", 8: "Devon", 11: "East Sussex", 12: "Essex",
    13: "Gloucestershire", 14: "Hampshire", 15: "Hertfordshire", 16: "Kent",
    17: "Lancashire", 18: "Leicestershire", 19: "Lincolnshire", 20: "Norfolk",
    24: "Nottinghamshire", 25: "Oxfordshire", 28: "Staffordshire", 29: "Suffolk",
    30: "Surrey", 31: "Warwickshire", 32: "West Sussex", 34: "Worcestershire",
}  # E10: the county councils that run children's services


def _numbered(prefix: str, names: tuple[str | None, ...]) -> list[Area]:
    return [Area(f"{prefix}{n:06d}", name) for n, name in enumerate(names, start=1) if name]


AREAS: tuple[Area, ...] = tuple(sorted(
    [*_numbered("E09", _LONDON), *_numbered("E08", _METROPOLITAN),
     *_numbered("E06", _UNITARY),
     *(Area(f"E10{n:06d}", name) for n, name in _COUNTIES.items())],
    key=lambda a: a.name,
))
"""England's children's services authorities, by name."""

_BY_CODE = {a.code: a.name for a in AREAS}


def _plain(text: str) -> str:
    """A name as typed, reduced so "St. Helens", "st helens" and "St Helens" agree."""
    text = text.casefold().replace("&", " and ").replace(".", " ").replace("-", " ")
    return " ".join(text.replace(",", " ").split())


_OTHER_NAMES = {
    "hull": "E06000010", "city of kingston upon hull": "E06000010",
    "city of bristol": "E06000023", "county of herefordshire": "E06000019",
    "durham": "E06000047", "saint helens": "E08000013", "bcp": "E06000058",
    "city of westminster": "E09000033", "royal borough of greenwich": "E09000011",
    "southend": "E06000033", "city of york": "E06000014",
}
_BY_NAME = {**{_plain(a.name): a.code for a in AREAS}, **_OTHER_NAMES}


def is_area_code(text: str) -> bool:
    """Whether ``text`` has the form of an ONS GSS code (any country, any kind of area)."""
    return GSS_PATTERN.fullmatch(text) is not None


def area_name(code: str) -> str:
    """The name of the children's services authority ``code``, or the code itself for an
    area not in the list (in Wales, Scotland or Northern Ireland, or retired)."""
    return _BY_CODE.get(code, code)


def area_label(code: str) -> str:
    """How an area is shown: "Manchester (E08000003)", or the code and its country for an
    area not in the list ("W06000015 (Wales)")."""
    if code in _BY_CODE:
        return f"{_BY_CODE[code]} ({code})"
    country = COUNTRIES.get(code[:1])
    return f"{code} ({country})" if country else code


def is_english_area(code: str) -> bool:
    """Whether ``code`` is one of England's children's services authorities."""
    return code in _BY_CODE


def area_for(text: str) -> str | None:
    """The area's code for a name ("Manchester", "st helens", "Hull") or a GSS code in any
    case ("e08000003"); None when ``text`` is neither."""
    typed = (text or "").strip()
    if is_area_code(typed.upper()):
        return typed.upper()
    return _BY_NAME.get(_plain(typed))
