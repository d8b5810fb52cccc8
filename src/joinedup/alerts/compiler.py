"""Turning rules into SQL over the snapshot (``snapshot.py``).

Every clause compiles to one SELECT giving the clause's *firings*:

    child_id, key, fired, win_start, win_end, evidence

``fired`` is the day number on which the rule became true for that child, ``win_start`` and
``win_end`` the window it looked at, ``evidence`` the list of event ids behind it, and
``key`` what identifies the firing across runs (the event or day that set it off). A rule
is the union of its clauses, grouped by child and key. The meaning of each operator is in
docs/rules.md; this module is the only place that writes it as SQL.

SQL is generated only from checked catalogue values (event codes, roles, lower-case details
keys, whole numbers), never from free text. Each function takes the SQL dialect to write
(``dialects.py``: DuckDB by default, or Spark SQL); the rules are the same in both.
"""

from __future__ import annotations

from joinedup.alerts.blocks import (
    BLOCK_TYPES,
    ROLE_GROUPS,
    UNBORN_DAYS,
    child_under_months,
    on_plan,
    sql_list,
)
from joinedup.alerts.catalogue import Clause, Condition, Rule, Selector
from joinedup.alerts.dialects import DUCKDB, Dialect


def firing_table(rule_id: str, d: Dialect = DUCKDB) -> str:
    """The snapshot table holding a rule's firings, for the rules built on it."""
    return d.table(f"fire_{rule_id.lower()}")


def condition_sql(cond: Condition, d: Dialect = DUCKDB) -> str:
    detail = d.detail("e.details", cond.key) if cond.key else ""
    if cond.kind == "any":
        return "(" + " OR ".join(condition_sql(c, d) for c in cond.any_of) + ")"
    if cond.kind == "details_is":
        return f"lower({detail}) IN ({sql_list(list(cond.values))})"
    if cond.kind == "details_true":
        return f"lower(coalesce({detail}, '')) IN ('true', 'yes', '1')"
    if cond.kind == "details_missing":
        return f"trim(coalesce({detail}, '')) = ''"
    if cond.kind == "details_at_least":
        return f"{d.number(detail)} >= {float(cond.number)!r}"
    if cond.kind == "child_under_months":
        return child_under_months(int(cond.number), d)
    if cond.kind == "child_flag":
        return (f"EXISTS (SELECT 1 FROM person_flag pf WHERE pf.person_id = c.child_id "  # noqa: S608 - checked catalogue values only (see the docstring)
                f"AND pf.flag = '{cond.key}')")
    if cond.kind == "child_on_plan":
        return on_plan()
    if cond.kind == "from_other_area":
        prev = d.detail("e.details", "previous_area")
        return f"(trim(coalesce({prev}, '')) NOT IN ('', e.agency_area))"
    if cond.kind == "recorded_late_working_days":
        return f"(e.rec_wd - e.occ_wd > {int(cond.number)})"
    raise AssertionError(f"unknown condition {cond.kind}")  # the catalogue checks kinds


def selector_sql(sel: Selector, d: Dialect = DUCKDB) -> str:
    """The events a selector picks on each child's chronology, one row per child and event."""
    wheres = []
    types = sel.types or BLOCK_TYPES.get(sel.block, ())
    if types:
        wheres.append(f"e.event_type IN ({sql_list(list(types))})")
    if sel.by_kinds:
        wheres.append(f"e.agency_kind IN ({sql_list(list(sel.by_kinds))})")
    wheres.extend(condition_sql(c, d) for c in sel.where)
    risk = ""
    if sel.whose == "risk_adult":
        risk = "JOIN risk_adult ra ON ra.person_id = e.person_id AND ra.since <= e.occ"
    where = " AND ".join(wheres) or "TRUE"
    return f"""SELECT DISTINCT n.child_id, e.event_pk, e.person_id, e.related_id, e.agency,
                      e.agency || ':' || e.source_id AS event_ref,
                      e.event_type, e.occ, e.rec, e.occ_wd, e.rec_wd, e.occ_date, e.details
                 FROM event e
                 JOIN network n ON n.person_id = e.person_id
                  AND n.role IN ({sql_list(list(ROLE_GROUPS[sel.whose]))})
                 JOIN child c ON c.child_id = n.child_id
                 {risk}
                WHERE {where}"""  # noqa: S608 - checked catalogue values only (see the docstring)


def _each_event(p: dict, d: Dialect) -> str:
    day = "rec" if p.get("fires_on") == "recorded" else "occ"
    return f"""SELECT child_id, event_ref AS key, {day} AS fired,
                      occ AS win_start, {day} AS win_end, {d.one_list("event_pk")} AS evidence
                 FROM ({selector_sql(p["select"], d)})"""  # noqa: S608 - checked catalogue values only (see the docstring)


def _count_within(p: dict, d: Dialect) -> str:
    width = p["within_days"]
    measure = {"events": "b.event_pk", "days": "b.occ", "agencies": "b.agency",
               "categories": "b.category"}[p["distinct"]]
    category = d.text("NULL")
    if "categories" in p:
        cases = " ".join(f"WHEN s.event_type IN ({sql_list(list(types))}) THEN '{name}'"
                         for name, types in p["categories"].items())
        category = f"CASE {cases} END"
    unless = "FALSE"
    if "unless" in p:
        unless = f"""EXISTS (SELECT 1 FROM ({selector_sql(p["unless"], d)}) u
                     WHERE u.child_id = a.child_id AND u.occ BETWEEN a.d - {width} AND a.d)"""  # noqa: S608 - checked catalogue values only (see the docstring)
    return f"""
        WITH s AS (SELECT s.*, {category} AS category FROM ({selector_sql(p["select"], d)}) s),
        days AS (SELECT DISTINCT child_id, occ AS d FROM s),
        a AS (SELECT days.child_id, days.d, count(DISTINCT {measure}) AS n,
                     count(DISTINCT b.agency) AS agencies,
                     {d.distinct_list("b.event_pk")} AS evidence
                FROM days JOIN s b ON b.child_id = days.child_id
                 AND b.occ BETWEEN days.d - {width} AND days.d
               GROUP BY days.child_id, days.d),
        q AS (SELECT a.*, (a.n >= {p["at_least"]} AND a.agencies >= {p.get("min_agencies", 1)}
                           AND NOT {unless}) AS ok FROM a),
        f AS (SELECT q.*, lag(q.ok) OVER (PARTITION BY q.child_id ORDER BY q.d) AS before FROM q)
        SELECT child_id, 'day ' || {d.text("d")} AS key, d AS fired,
               d - {width} AS win_start, d AS win_end, evidence
          FROM f WHERE ok AND NOT coalesce(before, FALSE)"""  # noqa: S608 - checked catalogue values only (see the docstring)


def _no_follow_up(p: dict, d: Dialect) -> str:
    triggers = []
    if "trigger" in p:
        triggers.append(f"""SELECT child_id, event_ref AS key, occ, occ_wd,
                                   {d.one_list("event_pk")} AS evidence, event_pk AS own
                              FROM ({selector_sql(p["trigger"], d)})""")  # noqa: S608 - checked catalogue values only (see the docstring)
    for rule_id in p.get("trigger_rules", ()):
        triggers.append(f"""SELECT f.child_id, '{rule_id} ' || f.key AS key, f.fired AS occ,
                                   cal.wd AS occ_wd, f.evidence, NULL AS own
                              FROM {firing_table(rule_id, d)} f
                              JOIN calendar cal ON cal.dn = f.fired""")  # noqa: S608 - checked catalogue values only (see the docstring)
    back = p.get("look_back_days", 0)
    return f"""
        WITH t AS ({" UNION ALL ".join(triggers)}),
        r AS ({selector_sql(p["response"], d)}),
        due AS (SELECT t.*, w.dn AS deadline FROM t
                  JOIN workday w ON w.wd = t.occ_wd + {p["within_working_days"]})
        SELECT due.child_id, due.key, due.deadline + 1 AS fired, due.occ AS win_start,
               due.deadline AS win_end, due.evidence
          FROM due
         WHERE NOT EXISTS (SELECT 1 FROM r WHERE r.child_id = due.child_id
                             AND r.occ BETWEEN due.occ - {back} AND due.deadline
                             AND r.event_pk IS DISTINCT FROM due.own)"""  # noqa: S608 - checked catalogue values only (see the docstring)


def _followed_by(p: dict, d: Dialect) -> str:
    return f"""
        WITH f AS ({selector_sql(p["first"], d)}), t AS ({selector_sql(p["then"], d)})
        SELECT f.child_id, f.event_ref AS key, min(t.occ) AS fired,
               f.occ AS win_start, f.occ + {p["within_days"]} AS win_end,
               {d.prepend("f.event_pk", d.distinct_list("t.event_pk"))} AS evidence
          FROM f JOIN t ON t.child_id = f.child_id AND t.event_pk <> f.event_pk
           AND t.occ BETWEEN f.occ AND f.occ + {p["within_days"]}
         GROUP BY f.child_id, f.event_pk, f.event_ref, f.occ"""  # noqa: S608 - checked catalogue values only (see the docstring)


def _near(p: dict, d: Dialect) -> str:
    w = p["within_days"]
    return f"""
        WITH a AS ({selector_sql(p["a"], d)}), b AS ({selector_sql(p["b"], d)})
        SELECT a.child_id, a.event_ref AS key,
               min(greatest(a.occ, b.occ)) AS fired, a.occ - {w} AS win_start,
               a.occ + {w} AS win_end,
               {d.prepend("a.event_pk", d.distinct_list("b.event_pk"))} AS evidence
          FROM a JOIN b ON b.child_id = a.child_id AND b.occ BETWEEN a.occ - {w} AND a.occ + {w}
         GROUP BY a.child_id, a.event_pk, a.event_ref, a.occ"""  # noqa: S608 - checked catalogue values only (see the docstring)


def _sparse_before(p: dict, d: Dialect) -> str:
    w = p["within_days"]
    counted = d.distinct_list("k.event_pk") + " FILTER (WHERE k.event_pk IS NOT NULL)"
    evidence = f"coalesce({counted}, {d.empty_list()})"
    return f"""
        WITH t AS ({selector_sql(p["trigger"], d)}), k AS ({selector_sql(p["counted"], d)})
        SELECT t.child_id, t.event_ref AS key, t.occ AS fired,
               t.occ - {w} AS win_start, t.occ AS win_end,
               {d.prepend("t.event_pk", evidence)} AS evidence
          FROM t LEFT JOIN k ON k.child_id = t.child_id AND k.event_pk <> t.event_pk
           AND k.occ BETWEEN t.occ - {w} AND t.occ
         GROUP BY t.child_id, t.event_pk, t.event_ref, t.occ
        HAVING count(DISTINCT k.agency) < {p["fewer_than_agencies"]}"""  # noqa: S608 - checked catalogue values only (see the docstring)


def _adult_not_assessed(p: dict, d: Dialect) -> str:
    w = p["within_days"]
    response = p["response"]
    kinds = (f"AND r.agency_kind IN ({sql_list(list(response.by_kinds))})"
             if response.by_kinds else "")
    types = response.types or BLOCK_TYPES.get(response.block, ())
    start = d.day_date("greatest(cs.occ, ra.since)")
    return f"""
        WITH pairs AS (
          SELECT DISTINCT n.child_id, n.person_id AS adult,
                 greatest(cs.occ, ra.since) AS start
            FROM network n JOIN risk_adult ra ON ra.person_id = n.person_id
            JOIN child_start cs ON cs.child_id = n.child_id
            JOIN child c ON c.child_id = n.child_id
           WHERE n.role IN ({sql_list(list(ROLE_GROUPS["risk_adult"]))})
             AND n.person_id <> n.child_id
             AND c.dob IS NOT NULL
             AND {start} < {d.plus_months("c.dob", p["child_under_months"])}
             AND {start} >= {d.plus_days("c.dob", -UNBORN_DAYS)}),
        shown AS (
          SELECT pairs.child_id, pairs.adult, {d.distinct_list("re.event_pk")} AS evidence
            FROM pairs JOIN risk_evidence re
              ON re.person_id = pairs.adult AND re.occ <= pairs.start + {w}
           GROUP BY pairs.child_id, pairs.adult)
        SELECT pairs.child_id, 'adult ' || {d.text("pairs.adult")} AS key,
               pairs.start + {w} + 1 AS fired, pairs.start AS win_start,
               pairs.start + {w} AS win_end,
               coalesce(shown.evidence, {d.empty_list()}) AS evidence
          FROM pairs LEFT JOIN shown
            ON shown.child_id = pairs.child_id AND shown.adult = pairs.adult
         WHERE NOT EXISTS (
            SELECT 1 FROM event r
             WHERE (r.person_id = pairs.adult OR r.related_id = pairs.adult)
               AND r.event_type IN ({sql_list(list(types))}) {kinds}
               AND r.occ BETWEEN pairs.start - {w} AND pairs.start + {w})"""  # noqa: S608 - checked catalogue values only (see the docstring)


def _before_planned_end(p: dict, d: Dialect) -> str:
    field = p["date_field"]
    end = d.text_day_number(d.detail("s.details", field)) if field else "s.occ"
    return f"""
        WITH s AS (SELECT s.*, {end} AS ends FROM ({selector_sql(p["select"], d)}) s),
        d AS (SELECT * FROM s WHERE ends IS NOT NULL AND ends >= occ)
        SELECT child_id, 'end ' || {d.text("person_id")} || ' ' || {d.text("ends")} AS key,
               greatest(ends - {p["days_before"]}, occ) AS fired,
               greatest(ends - {p["days_before"]}, occ) AS win_start, ends AS win_end,
               {d.one_list("event_pk")} AS evidence
          FROM d"""  # noqa: S608 - checked catalogue values only (see the docstring)


def _thin_history(p: dict, d: Dialect) -> str:
    start, end = p["period_start"], p["period_end"]
    summaries = sql_list(list(p["summary_types"]))
    return f"""
        WITH parents AS (
          SELECT DISTINCT n.child_id, n.person_id FROM network n
           WHERE n.role IN ({sql_list(list(ROLE_GROUPS[p["whose"]]))})
             AND n.person_id <> n.child_id
             AND (EXISTS (SELECT 1 FROM person_flag f WHERE f.person_id = n.person_id
                           AND f.flag = '{p["flag"]}')
                  OR EXISTS (SELECT 1 FROM event x WHERE x.person_id = n.person_id
                              AND x.event_type = '{start}'))),
        began AS (SELECT person_id, min(occ) AS began FROM event
                   WHERE event_type = '{start}' GROUP BY person_id),
        ended AS (SELECT person_id, max(occ) AS ended FROM event
                   WHERE event_type = '{end}' GROUP BY person_id),
        period AS (
          SELECT p.child_id, p.person_id, began.began, ended.ended
            FROM parents p LEFT JOIN began ON began.person_id = p.person_id
            LEFT JOIN ended ON ended.person_id = p.person_id),
        counted AS (
          SELECT period.child_id, period.person_id, period.began, period.ended,
                 count(x.event_pk) AS entries
            FROM period LEFT JOIN event x ON x.person_id = period.person_id
             AND (x.event_type IN ({summaries})
                  OR (x.event_type NOT IN ('{start}', '{end}')
                      AND x.occ > period.began
                      AND x.occ < coalesce(period.ended, period.began)))
           GROUP BY period.child_id, period.person_id, period.began, period.ended),
        history AS (SELECT person_id, {d.distinct_list("event_pk")} AS evidence FROM event
                     WHERE event_type IN ('{start}', '{end}', {summaries})
                     GROUP BY person_id)
        SELECT counted.child_id, 'parent ' || {d.text("counted.person_id")} AS key,
               cs.occ AS fired,
               CASE WHEN counted.ended >= counted.began THEN counted.began ELSE cs.occ END
                   AS win_start,
               CASE WHEN counted.ended >= counted.began THEN counted.ended ELSE cs.occ END
                   AS win_end,
               coalesce(history.evidence, {d.empty_list()}) AS evidence
          FROM counted JOIN child_start cs ON cs.child_id = counted.child_id
          LEFT JOIN history ON history.person_id = counted.person_id
         WHERE counted.entries <= {p["at_most"]}"""  # noqa: S608 - checked catalogue values only (see the docstring)


_OPERATORS = {"each_event": _each_event, "count_within": _count_within,
              "no_follow_up": _no_follow_up, "followed_by": _followed_by, "near": _near,
              "sparse_before": _sparse_before, "adult_not_assessed": _adult_not_assessed,
              "before_planned_end": _before_planned_end, "thin_history": _thin_history}


def clause_sql(clause: Clause, d: Dialect = DUCKDB) -> str:
    return _OPERATORS[clause.operator](clause.params, d)


def rule_sql(rule: Rule, *, cut_dn: int | None, dialect: Dialect = DUCKDB) -> str:
    """All firings of a rule, one row per child and key, on or before the cut-off day and
    while the child is still a child (under 18, or date of birth unknown)."""
    d = dialect
    union = " UNION ALL ".join(f"SELECT * FROM ({clause_sql(c, d)})" for c in rule.clauses)  # noqa: S608 - checked catalogue values only (see the docstring)
    cut = f"AND g.fired <= {cut_dn}" if cut_dn is not None else ""
    return f"""
        WITH u AS ({union}),
        g AS (SELECT child_id, key, min(fired) AS fired, min(win_start) AS win_start,
                     max(win_end) AS win_end,
                     {d.merged_lists("evidence")} AS evidence
                FROM u GROUP BY child_id, key)
        SELECT g.* FROM g JOIN child c ON c.child_id = g.child_id
         WHERE (c.dob IS NULL OR {d.day_date("g.fired")} < {d.plus_months("c.dob", 12 * 18)})
               {cut}"""  # noqa: S608 - checked catalogue values only (see the docstring)
