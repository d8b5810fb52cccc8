"""The demonstration: the Baby S scenario (``scenario/``), a background population of
synthetic families, the demo review and users (docs/cli.md, ``joinedup demo``).

Its public face: what the interfaces (cli, web, api) may use, loaded on first use
(``joinedup.public_face``).
"""

from typing import TYPE_CHECKING

from joinedup import public_face

__all__ = [
    "DEMO_INVOLVEMENT_DAYS",
    "DEMO_PASSWORD",
    "DEMO_REFERRAL_ROUTE",
    "DEMO_SEED",
    "DEMO_USERS",
    "INJURY_DAY",
    "cast_findings",
    "create_demo_users",
    "father_next_to_baby",
    "generate_population",
    "generate_varied_population",
    "load_folder_per_agency",
    "load_scenario",
    "run_demo_review",
    "warnings_before_the_injury",
]

if TYPE_CHECKING:
    from joinedup.demo.loader import DEMO_SEED, load_folder_per_agency, load_scenario
    from joinedup.demo.population import generate_population
    from joinedup.demo.review import run_demo_review
    from joinedup.demo.summary import (
        INJURY_DAY,
        cast_findings,
        father_next_to_baby,
        warnings_before_the_injury,
    )
    from joinedup.demo.users import (
        DEMO_INVOLVEMENT_DAYS,
        DEMO_PASSWORD,
        DEMO_REFERRAL_ROUTE,
        DEMO_USERS,
        create_demo_users,
    )
    from joinedup.demo.varied_population import generate_varied_population

__getattr__ = public_face.lazy(__name__, __file__)
