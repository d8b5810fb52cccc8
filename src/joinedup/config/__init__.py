"""Configuration: where joinedup keeps its data (``environment``) and the Django settings
every process shares (``django_settings``; the web application extends them in
``joinedup.web.settings``).

This is the shared kernel's one face onto the environment: nothing else reads the storage
settings from ``os.environ``.
"""

from joinedup.config.environment import (
    bulk_lane_enabled,
    data_dir,
    database_config,
    partnership_name,
    referral_route,
    rules_memory_limit,
    rules_threads,
    spark_master,
    spark_scratch_dir,
    sqlite_config,
)

__all__ = [
    "bulk_lane_enabled",
    "data_dir",
    "database_config",
    "partnership_name",
    "referral_route",
    "rules_memory_limit",
    "rules_threads",
    "spark_master",
    "spark_scratch_dir",
    "sqlite_config",
]
