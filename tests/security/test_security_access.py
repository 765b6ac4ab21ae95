"""Access control: the index of the attacks tried, and the case-scoped URLs walked with another unit's case.

Covered by the matrix in `tests/web/test_access.py` (one row per route; `test_table_covers_every_route` fails when a
route has no row):
  - every route × 11 principals: the eight roles at their home units, the mediator and the lawyer *assigned* to the
    case (assignment grants access, `test_assignment_must_be_active`: an ended assignment does not), anonymous
    (sent to sign in, with `next`, `test_anonymous_is_sent_to_login_with_next`);
  - unit scope: a case held by a street committee outside the centre's subtree is 403 for every centre role on its
    page, reveal, flags, limitation, mediation/arbitration steps, service and document preview; a supervisor above
    the street sees it (`test_supervisor_above_the_street_sees_the_street_case`);
  - a denied write changes nothing (`test_denied_write_changes_nothing`); an unknown case is 404 for a reader and
    403 for an admin (`test_unknown_case_is_404_for_a_reader_and_403_for_admin`);
  - reveal of ID numbers: only roles allowed by the policy, with a reason, logged (matrix rows `cases.reveal`).
Elsewhere: sessions (`test_security_sessions.py`), CSRF (`test_security_csrf.py`), the ledger's import scope and
masked exports (`test_security_exports.py`).

Added here: every case-scoped URL of the app (every rule with `case_id`, GET and POST, read from the url map, so a
route added later is walked too) requested by a clerk of one unit with the id of a case held by a sibling unit —
both ways, centre ↔ street committee — answers 403 or 404, never shows the case (its registry number or the
applicant's ID number), and writes nothing.
"""

import pytest
import sqlalchemy as sa

from disputes import organisation
from disputes.models import Role
from tests.conftest import PASSWORD, WORKER_ID

SAMPLE = {
    "slug": "open",
    "kind_id": "arb_acceptance",
    "kind": "arb_acceptance",
    "day": "2026-11-20",
    "code": "X",
    "rule_id": "1",
    "unit_id": 1,
    "user_id": 1,
    "row_id": 1,
    "wage_id": 1,
    "job_id": 1,
    "room_id": 1,
    "document_id": 1,
    "party_id": 1,
    "service_id": 1,
    "hearing_id": 1,
    "filename": "x.pdf",
}


def case_rules(app):
    return sorted(
        (r for r in app.url_map.iter_rules() if "case_id" in r.arguments), key=lambda r: (r.rule, sorted(r.methods))
    )


def track_steps() -> dict[str, list[str]]:
    """Every step of every track, by the URL part its routes use (`/cases/<id>/<part>/<slug>`)."""
    from disputes.arbitration import views as arbitration
    from disputes.legal_aid import views as legal_aid
    from disputes.litigation import views as litigation
    from disputes.mediation import views as mediation

    return {
        "mediation": sorted(mediation.STEPS),
        "arbitration": sorted(arbitration.STEPS),
        "legal-aid": sorted(legal_aid.STEPS),
        "litigation": sorted(litigation.STEPS),
    }


def paths(rule, case_id: int) -> list[str]:
    """The rule's URLs for the case: one per track step for the step routes, else one."""
    values = {name: (case_id if name == "case_id" else SAMPLE.get(name, 1)) for name in rule.arguments}
    slugs = [values.get("slug")]
    if "slug" in rule.arguments:
        part = rule.rule.split("/")[3]
        slugs = track_steps()[part]
    return [rule.build(values | ({"slug": slug} if slug else {}), append_unknown=False)[1] for slug in slugs]


def row_counts(db) -> dict[str, int]:
    counts = {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }
    db.session.rollback()
    return counts


def test_the_walk_covers_every_case_url_and_step(app):
    rules = case_rules(app)
    assert len(rules) >= 15
    assert {"GET", "POST"} <= {m for r in rules for m in r.methods}
    assert sum(len(paths(rule, 1)) for rule in rules) >= 80


@pytest.mark.parametrize("direction", ["centre clerk → street case", "street clerk → centre case"])
def test_a_sibling_units_clerk_never_reaches_the_case(app, db, org, make_case, login, direction):
    street_clerk = organisation.add_user(
        db.session, "street-clerk", "街道书记员", [Role.CLERK], org.street_mediation, PASSWORD
    )
    db.session.commit()
    centre_case = make_case(org.centre)
    street_case = make_case(org.street_mediation, actor=street_clerk)
    if direction.startswith("centre"):
        attacker, target = org.user(Role.CLERK), street_case
    else:
        attacker, target = street_clerk, centre_case
    secrets = (target.registry_no, WORKER_ID)
    client = login(attacker)
    before = row_counts(db)
    leaks = {}
    for rule in case_rules(app):
        for path in paths(rule, target.id):
            for method in sorted(rule.methods & {"GET", "POST"}):
                response = client.open(path, method=method, data={"reason": "核对", "note": "x"})
                body = response.get_data(as_text=True)
                # The parties' portal knows no staff session: it sends a staff member to its own sign-in.
                to_portal_sign_in = response.status_code == 302 and "/portal/sign-in" in (response.location or "")
                refused = response.status_code in (403, 404) or to_portal_sign_in
                if not refused or any(s in body for s in secrets):
                    leaks[f"{method} {path}"] = response.status_code
    assert leaks == {}
    assert row_counts(db) == before
    # Control: the attacker's own unit's case opens, so the refusals come from the scope, not a broken request.
    own = street_case if attacker is street_clerk else centre_case
    assert client.get(f"/cases/{own.id}").status_code == 200
