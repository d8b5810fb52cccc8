"""Child protection, plans, care and early help from an SSD extract.

- ``ssd_s47_enquiry``: S47_START on ``s47e_s47_start_date`` and, the same day, a
  STRATEGY_DISCUSSION: the SSD defines the start date as the date of the strategy
  discussion at which the enquiry was started.
- ``ssd_initial_cp_conference``: ICPC on ``icpc_icpc_date``.
- ``ssd_cp_plans``: CP_PLAN_START and CP_PLAN_END, with the categories of abuse.
- ``ssd_cp_reviews``: CP_REVIEW on ``cppr_cp_review_date`` (the table as councils deploy
  it, with ``cppr_person_id``).
- ``ssd_cin_plans``: CIN_PLAN_START and CIN_PLAN_END.
- ``ssd_cla_episodes``: LAC_EPISODE_START and LAC_EPISODE_END, read as SSDA903 episodes
  are (reason S starts a period of care; any end reason but X1 ends it).
- ``ssd_early_help_episodes``: EH_EPISODE_START and EH_EPISODE_END.
"""

from __future__ import annotations

from collections.abc import Iterator

from joinedup.ingest.formats.base import SourceRow
from joinedup.ingest.formats.ssd_events import TableEvents, keep
from joinedup.ingest.formats.ssd_tables import SsdTables, outcome, unused, yes_no
from joinedup.ingest.formats.ssd_workers import Workers
from joinedup.ingest.formats.ssda903 import REC_STILL_IN_CARE, RNE_STARTED_CARE

S47_USED = {"s47e_s47_enquiry_id", "s47e_person_id", "s47e_s47_start_date",
            "s47e_s47_end_date", "s47e_s47_nfa", "s47e_s47_outcome_json",
            "s47e_s47_completed_by_worker_id", "s47e_referral_id"}
ICPC_USED = {"icpc_icpc_id", "icpc_person_id", "icpc_icpc_date", "icpc_icpc_target_date",
             "icpc_icpc_transfer_in", "icpc_icpc_outcome_cp_flag", "icpc_icpc_outcome_json",
             "icpc_icpc_worker_id", "icpc_s47_enquiry_id", "icpc_referral_id",
             "icpc_cp_plan_id"}
CP_USED = {"cppl_cp_plan_id", "cppl_person_id", "cppl_cp_plan_start_date",
           "cppl_cp_plan_end_date", "cppl_cp_plan_initial_category",
           "cppl_cp_plan_latest_category", "cppl_referral_id", "cppl_icpc_id"}
CP_REVIEW_USED = {"cppr_cp_review_id", "cppr_person_id", "cppr_cp_plan_id",
                  "cppr_cp_review_due", "cppr_cp_review_date", "cppr_cp_review_outcome",
                  "cppr_cp_review_quorate", "cppr_cp_review_participation"}
CIN_PLAN_USED = {"cinp_cin_plan_id", "cinp_person_id", "cinp_cin_plan_start",
                 "cinp_cin_plan_end", "cinp_cin_plan_worker_id", "cinp_referral_id"}
CLA_USED = {"clae_cla_episode_id", "clae_person_id", "clae_cla_episode_start_date",
            "clae_cla_episode_start_reason", "clae_cla_primary_need_code",
            "clae_cla_episode_ceased", "clae_cla_episode_ceased_reason"}
EH_USED = {"earl_episode_id", "earl_person_id", "earl_episode_start_date",
           "earl_episode_end_date", "earl_episode_reason", "earl_episode_end_reason",
           "earl_episode_organisation", "earl_episode_worker_id"}


def s47_rows(tables: SsdTables, workers: Workers) -> Iterator[SourceRow]:
    events = TableEvents(tables, "ssd_s47_enquiry", "s47e_person_id", workers)
    for line, row in tables.rows("ssd_s47_enquiry"):
        key = events.key("s47", row, "s47e_s47_enquiry_id", "s47e_s47_start_date")
        worker = "s47e_s47_completed_by_worker_id"
        details = {"s47_end_date": row.get("s47e_s47_end_date", ""),
                   "no_further_action": yes_no(row.get("s47e_s47_nfa", "")),
                   **outcome(row.get("s47e_s47_outcome_json", "")),
                   "referral_id": row.get("s47e_referral_id", "")}
        yield from keep(
            events.make(line, row, key, "STRATEGY_DISCUSSION", "s47e_s47_start_date",
                        "Strategy discussion: section 47 enquiry started",
                        {"from": "s47e_s47_start_date"}, worker_field=worker, required=True),
            events.make(line, row, key, "S47_START", "s47e_s47_start_date",
                        "Section 47 enquiry started", details, worker_field=worker,
                        required=True, extra=unused(row, S47_USED)))


def icpc_rows(tables: SsdTables, workers: Workers) -> Iterator[SourceRow]:
    events = TableEvents(tables, "ssd_initial_cp_conference", "icpc_person_id", workers)
    for line, row in tables.rows("ssd_initial_cp_conference"):
        plan = yes_no(row.get("icpc_icpc_outcome_cp_flag", ""))
        yield from keep(events.make(
            line, row, events.key("icpc", row, "icpc_icpc_id", "icpc_icpc_date"), "ICPC",
            "icpc_icpc_date",
            "Initial child protection conference" + (": child protection plan" if plan
                                                      else ""),
            {"initial_cpc_target": row.get("icpc_icpc_target_date", ""),
             "transfer_in": yes_no(row.get("icpc_icpc_transfer_in", "")),
             "outcome_cp_plan": plan,
             **outcome(row.get("icpc_icpc_outcome_json", "")),
             "s47_enquiry_id": row.get("icpc_s47_enquiry_id", ""),
             "cp_plan_id": row.get("icpc_cp_plan_id", "")},
            worker_field="icpc_icpc_worker_id", required=True, extra=unused(row, ICPC_USED)))


def cp_plan_rows(tables: SsdTables, workers: Workers) -> Iterator[SourceRow]:
    events = TableEvents(tables, "ssd_cp_plans", "cppl_person_id", workers)
    for line, row in tables.rows("ssd_cp_plans"):
        key = events.key("cp-plan", row, "cppl_cp_plan_id", "cppl_cp_plan_start_date")
        initial = row.get("cppl_cp_plan_initial_category", "")
        latest = row.get("cppl_cp_plan_latest_category", "")
        yield from keep(
            events.make(line, row, key, "CP_PLAN_START", "cppl_cp_plan_start_date",
                        "Child protection plan started" + (f": {initial}" if initial else ""),
                        {"initial_category_of_abuse": initial,
                         "icpc_id": row.get("cppl_icpc_id", "")},
                        required=True, extra=unused(row, CP_USED)),
            events.make(line, row, key, "CP_PLAN_END", "cppl_cp_plan_end_date",
                        "Child protection plan ended" + (f": {latest}" if latest else ""),
                        {"latest_category_of_abuse": latest,
                         "cpp_start_date": row.get("cppl_cp_plan_start_date", "")}))


def cp_review_rows(tables: SsdTables, workers: Workers) -> Iterator[SourceRow]:
    events = TableEvents(tables, "ssd_cp_reviews", "cppr_person_id", workers)
    for line, row in tables.rows("ssd_cp_reviews"):
        continues = yes_no(row.get("cppr_cp_review_outcome", ""))
        yield from keep(events.make(
            line, row, events.key("cp-review", row, "cppr_cp_review_id", "cppr_cp_review_date"),
            "CP_REVIEW", "cppr_cp_review_date",
            "Child protection review conference" + (
                "" if continues is None else ": the plan continues" if continues
                else ": the plan ends"),
            {"cp_plan_id": row.get("cppr_cp_plan_id", ""),
             "review_due": row.get("cppr_cp_review_due", ""), "plan_continues": continues,
             "quorate": yes_no(row.get("cppr_cp_review_quorate", "")),
             "child_participation": row.get("cppr_cp_review_participation", "")},
            required=True, extra=unused(row, CP_REVIEW_USED)))


def cin_plan_rows(tables: SsdTables, workers: Workers) -> Iterator[SourceRow]:
    events = TableEvents(tables, "ssd_cin_plans", "cinp_person_id", workers)
    for line, row in tables.rows("ssd_cin_plans"):
        key = events.key("cin-plan", row, "cinp_cin_plan_id", "cinp_cin_plan_start")
        worker = "cinp_cin_plan_worker_id"
        yield from keep(
            events.make(line, row, key, "CIN_PLAN_START", "cinp_cin_plan_start",
                        "Child in need plan started", worker_field=worker, required=True,
                        extra=unused(row, CIN_PLAN_USED)),
            events.make(line, row, key, "CIN_PLAN_END", "cinp_cin_plan_end",
                        "Child in need plan ended", worker_field=worker))


def cla_rows(tables: SsdTables, workers: Workers) -> Iterator[SourceRow]:
    events = TableEvents(tables, "ssd_cla_episodes", "clae_person_id", workers)
    for line, row in tables.rows("ssd_cla_episodes"):
        key = events.key("cla", row, "clae_cla_episode_id", "clae_cla_episode_start_date")
        rne = row.get("clae_cla_episode_start_reason", "").upper()
        rec = row.get("clae_cla_episode_ceased_reason", "").upper()
        ends_care = bool(rec) and rec != REC_STILL_IN_CARE
        yield from keep(
            events.make(line, row, key, "LAC_EPISODE_START", "clae_cla_episode_start_date",
                        "Started to be looked after" if rne == RNE_STARTED_CARE else
                        f"Looked-after episode started (reason for new episode: "
                        f"{rne or 'not given'})",
                        {"rne": rne, "starts_period_of_care": rne == RNE_STARTED_CARE,
                         "primary_need": row.get("clae_cla_primary_need_code", "")},
                        required=True, extra=unused(row, CLA_USED)),
            events.make(line, row, key, "LAC_EPISODE_END", "clae_cla_episode_ceased",
                        f"Stopped being looked after (reason {rec})" if ends_care else
                        f"Looked-after episode ended (reason {rec or 'not given'})",
                        {"reason": rec, "ends_period_of_care": ends_care}))


def early_help_rows(tables: SsdTables, workers: Workers) -> Iterator[SourceRow]:
    events = TableEvents(tables, "ssd_early_help_episodes", "earl_person_id", workers)
    for line, row in tables.rows("ssd_early_help_episodes"):
        key = events.key("early-help", row, "earl_episode_id", "earl_episode_start_date")
        reason = row.get("earl_episode_reason", "")
        end_reason = row.get("earl_episode_end_reason", "")
        organisation = row.get("earl_episode_organisation", "")
        worker = "earl_episode_worker_id"
        yield from keep(
            events.make(line, row, key, "EH_EPISODE_START", "earl_episode_start_date",
                        "Early help started" + (f": {reason}" if reason else ""),
                        {"reason_for_involvement": reason, "organisation": organisation},
                        worker_field=worker, required=True, extra=unused(row, EH_USED)),
            events.make(line, row, key, "EH_EPISODE_END", "earl_episode_end_date",
                        "Early help ended" + (f": {end_reason}" if end_reason else ""),
                        {"end_reason": end_reason, "organisation": organisation},
                        worker_field=worker))
