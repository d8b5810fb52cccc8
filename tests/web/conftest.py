"""The Baby S case as the web application's users see it: the scenario, a small linked
background population, the alerts, the demo review and briefing, and the demo users.

Built once per test module inside a transaction rolled back afterwards (``baby_s``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from joinedup.demo.users import DEMO_INVOLVEMENT_DAYS


@pytest.fixture(scope="module")
def web_case(baby_s: dict[str, Any], django_db_blocker: Any,
             tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """baby_s plus alerts, the demo review and briefing, and the demo users. Keys: child,
    mother, father, review, briefing."""
    from joinedup.alerts.raising import run_alerts
    from joinedup.demo.review import run_demo_review
    from joinedup.demo.users import create_demo_users

    with django_db_blocker.unblock():
        run_alerts(who="test")
        done = run_demo_review(baby_s["child"], tmp_path_factory.mktemp("briefings"), "test")
        create_demo_users(baby_s["child"], done.review_id)
    return {**baby_s, "review": done.review_id, "briefing": done.briefing_id}


@pytest.fixture
def demo_involvement(settings: Any) -> None:
    """The demo counts agency involvement for three years (its events are from 2024-25)."""
    settings.JOINEDUP_INVOLVEMENT_DAYS = DEMO_INVOLVEMENT_DAYS


@pytest.fixture
def signed_in(web_case: dict[str, Any], db: None, demo_involvement: None
              ) -> Callable[[str], Client]:
    """``signed_in("health.visitor")``: a test client signed in as that demo user."""
    from django.contrib.auth import get_user_model

    def sign_in(username: str) -> Client:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return sign_in
