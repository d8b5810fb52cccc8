"""A small synthetic SSD extract (synthetic people only), written table by table."""

from __future__ import annotations

import csv
from pathlib import Path

CHILD, BABY, MOTHER = "P100", "P200", "P300"

TABLES: dict[str, list[dict[str, str]]] = {
    "ssd_person": [
        {"pers_person_id": CHILD, "pers_sex": "F", "pers_gender": "02",
         "pers_ethnicity": "WBRI", "pers_dob": "2015-06-15 00:00:00.000",
         "pers_common_child_id": "", "pers_upn_unknown": "", "pers_is_mother": "N"},
        {"pers_person_id": BABY, "pers_sex": "", "pers_gender": "01", "pers_ethnicity": "",
         "pers_dob": "2024-02-01", "pers_common_child_id": "9434765919",
         "pers_upn_unknown": "UN1", "pers_is_mother": "N"},
        {"pers_person_id": MOTHER, "pers_sex": "F", "pers_gender": "", "pers_ethnicity": "",
         "pers_dob": "2007-03-20", "pers_common_child_id": "", "pers_upn_unknown": "",
         "pers_is_mother": "Y"},
    ],
    "ssd_linked_identifiers": [
        {"link_table_id": "L1", "link_person_id": CHILD, "link_identifier_type": "NHS Number",
         "link_identifier_value": "9434765870", "link_valid_from_date": "",
         "link_valid_to_date": ""},
        {"link_table_id": "L2", "link_person_id": CHILD,
         "link_identifier_type": "Unique Pupil Number", "link_identifier_value": "A123456789012",
         "link_valid_from_date": "", "link_valid_to_date": ""},
    ],
    "ssd_address": [
        {"addr_table_id": "A1", "addr_person_id": CHILD,
         "addr_address_json": '{"HOUSE": "1", "STREET": "Old Road", "TOWN": "Anytown", '
                              '"UPRN": ""}',
         "addr_address_type": "Home", "addr_address_start_date": "2015-06-15",
         "addr_address_end_date": "2020-01-01", "addr_address_postcode": "SK11AA"},
        {"addr_table_id": "A2", "addr_person_id": CHILD,
         "addr_address_json": '{"HOUSE": "7", "STREET": "New Street", "TOWN": "Anytown", '
                              '"UPRN": "100012345678"}',
         "addr_address_type": "Home", "addr_address_start_date": "2020-01-01",
         "addr_address_end_date": "", "addr_address_postcode": "SK13XE"},
    ],
    "ssd_family": [{"fami_family_id": "F1", "fami_person_id": CHILD}],
    "ssd_mother": [{"moth_table_id": "M1", "moth_person_id": MOTHER,
                    "moth_childs_person_id": BABY, "moth_childs_dob": "2024-02-01"}],
    "ssd_professionals": [
        {"prof_professional_id": "W1", "prof_staff_id": "S1",
         "prof_professional_name": "Sam Example", "prof_professional_job_title": "Social Worker",
         "prof_professional_department": "Assessment Team North"},
    ],
    "ssd_involvements": [
        {"invo_involvements_id": "I1", "invo_professional_id": "W1",
         "invo_professional_role_id": "Allocated Case Worker",
         "invo_professional_team": "Assessment Team North",
         "invo_involvement_start_date": "2025-01-01", "invo_involvement_end_date": "",
         "invo_worker_change_reason": "", "invo_person_id": CHILD, "invo_referral_id": "R1"},
    ],
    "ssd_contacts": [
        {"cont_contact_id": "C1", "cont_person_id": CHILD, "cont_contact_date": "2025-01-06",
         "cont_contact_source_code": "1A", "cont_contact_source_desc": "Family member",
         "cont_contact_outcome_json": '{"NEW_REFERRAL_FLAG": "Y", "NFA_FLAG": "N"}'},
    ],
    "ssd_early_help_episodes": [
        {"earl_episode_id": "EH1", "earl_person_id": CHILD,
         "earl_episode_start_date": "2024-03-01", "earl_episode_end_date": "2024-09-30",
         "earl_episode_reason": "Parenting and Family Dynamics",
         "earl_episode_end_reason": "Step-up", "earl_episode_organisation": "Family Hub",
         "earl_episode_worker_id": ""},
    ],
    "ssd_cin_episodes": [
        {"cine_referral_id": "R1", "cine_person_id": CHILD, "cine_referral_date": "2025-01-08",
         "cine_cin_primary_need_code": "N1", "cine_referral_source_code": "2A",
         "cine_referral_source_desc": "School", "cine_referral_outcome_json": "",
         "cine_referral_nfa": "N", "cine_close_reason": "RC9", "cine_close_date": "2025-06-30",
         "cine_referral_team": "T1", "cine_referral_worker_id": "W1"},
    ],
    "ssd_cin_assessments": [
        {"cina_assessment_id": "AS1", "cina_person_id": CHILD, "cina_referral_id": "R1",
         "cina_assessment_start_date": "2025-01-09", "cina_assessment_child_seen": "Y",
         "cina_assessment_auth_date": "2025-02-20", "cina_assessment_outcome_json": "",
         "cina_assessment_outcome_nfa": "N", "cina_assessment_team": "T1",
         "cina_assessment_worker_id": "W1"},
        {"cina_assessment_id": "AS2", "cina_person_id": BABY, "cina_referral_id": "R2",
         "cina_assessment_start_date": "2025-03-01", "cina_assessment_child_seen": "Y",
         "cina_assessment_auth_date": "2025-03-20", "cina_assessment_outcome_json": "",
         "cina_assessment_outcome_nfa": "N", "cina_assessment_team": "T1",
         "cina_assessment_worker_id": ""},
    ],
    "ssd_assessment_factors": [
        {"cinf_table_id": "AF1", "cinf_assessment_id": "AS1",
         "cinf_assessment_factors_json": '["3A", "4A"]'},
        {"cinf_table_id": "AF2", "cinf_assessment_id": "AS2",
         "cinf_assessment_factors_json": '{"2B": "Yes", "4B": "Yes", "1B": "No"}'},
    ],
    "ssd_s47_enquiry": [
        {"s47e_s47_enquiry_id": "S1", "s47e_referral_id": "R1", "s47e_person_id": CHILD,
         "s47e_s47_start_date": "2025-01-10", "s47e_s47_end_date": "2025-01-24",
         "s47e_s47_nfa": "N", "s47e_s47_outcome_json": '{"CP_CONFERENCE_FLAG": "Y"}',
         "s47e_s47_completed_by_worker_id": "W1", "s47e_s47_completed_by_team": "T1"},
    ],
    "ssd_initial_cp_conference": [
        {"icpc_icpc_id": "IC1", "icpc_icpc_meeting_id": "", "icpc_s47_enquiry_id": "S1",
         "icpc_person_id": CHILD, "icpc_cp_plan_id": "CP1", "icpc_referral_id": "R1",
         "icpc_icpc_transfer_in": "N", "icpc_icpc_target_date": "2025-01-31",
         "icpc_icpc_date": "2025-01-30", "icpc_icpc_outcome_cp_flag": "Y",
         "icpc_icpc_outcome_json": "", "icpc_icpc_team": "T1", "icpc_icpc_worker_id": "W1"},
    ],
    "ssd_cp_plans": [
        {"cppl_cp_plan_id": "CP1", "cppl_referral_id": "R1", "cppl_icpc_id": "IC1",
         "cppl_person_id": CHILD, "cppl_cp_plan_start_date": "2025-01-30",
         "cppl_cp_plan_end_date": "2025-05-30", "cppl_cp_plan_initial_category": "Neglect",
         "cppl_cp_plan_ola": "N", "cppl_cp_plan_latest_category": "Neglect"},
    ],
    "ssd_cp_reviews": [
        {"cppr_cp_review_id": "CPR1", "cppr_person_id": CHILD, "cppr_cp_plan_id": "CP1",
         "cppr_cp_review_due": "2025-04-30", "cppr_cp_review_date": "2025-04-28",
         "cppr_cp_review_outcome": "N", "cppr_cp_review_quorate": "Y",
         "cppr_cp_review_participation": "PN1"},
    ],
    "ssd_cin_plans": [
        {"cinp_cin_plan_id": "CIN1", "cinp_referral_id": "R1", "cinp_person_id": CHILD,
         "cinp_cin_plan_start": "2025-05-30", "cinp_cin_plan_end": "",
         "cinp_cin_plan_team": "T1", "cinp_cin_plan_worker_id": "W1"},
    ],
    "ssd_cla_episodes": [
        {"clae_cla_episode_id": "LA1", "clae_person_id": MOTHER,
         "clae_cla_episode_start_date": "2022-04-01", "clae_cla_episode_start_reason": "S",
         "clae_cla_primary_need_code": "N4", "clae_cla_episode_ceased": "2024-03-20",
         "clae_cla_episode_ceased_reason": "E4A"},
    ],
}


def write_ssd(folder: Path, tables: dict[str, list[dict[str, str]]] | None = None) -> Path:
    """The tables as CSV files in ``folder`` (created), one file per table (an empty table:
    the first line only)."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in (TABLES if tables is None else tables).items():
        with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list((rows or TABLES[name])[0]))
            writer.writeheader()
            writer.writerows(rows)
    return folder
