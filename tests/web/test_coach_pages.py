"""Coach pages: the consent gate, the red-flag stop, the plan with its calendar, log and
check-in, history; each rule is the CLI's (the application layer), shown on a page."""

from __future__ import annotations

from pathlib import Path

import pytest
from coach_flow import agree, answers, placed, screened
from fastapi.testclient import TestClient

from pushup_coach.storage import Store
from pushup_coach.web.settings import WebSettings

JSON = {"accept": "application/json"}


def stored_profiles(settings: WebSettings) -> list[str]:
    with Store.open(settings.db_url) as store:
        return store.profile_names()


def test_no_answer_is_stored_without_consent(client: TestClient, settings: WebSettings) -> None:
    assert "First, your consent" in client.get("/screen").text  # asked before the questions
    response = client.post("/screen", data=answers(), headers=JSON)
    assert response.status_code == 403
    assert "your answers were not stored" in response.json()["error"]
    refused = client.post("/consent", data={"next": "/screen"}, headers=JSON)  # box not ticked
    assert refused.status_code == 400
    assert stored_profiles(settings) == []


def test_consent_is_recorded_and_withdrawing_erases(
    client: TestClient, settings: WebSettings
) -> None:
    agree(client)
    assert client.get("/status.json").json()["consent"] is not None
    assert "You agreed on" in client.get("/consent").text
    wrong = client.post("/consent/withdraw", data={"confirm": "someone"}, headers=JSON)
    assert wrong.status_code == 400 and stored_profiles(settings) == ["default"]
    done = client.post("/consent/withdraw", data={"confirm": "default"})
    assert "Consent withdrawn; everything erased" in done.text
    assert stored_profiles(settings) == []


def test_a_red_flag_stops_before_any_plan(client: TestClient) -> None:
    page = screened(client, "leg_numbness")
    assert "Stop: see a healthcare professional now, before any exercise." in page
    assert "Next: your baseline" not in page
    plan = client.get("/plan.json")
    assert plan.status_code == 400
    assert plan.json()["error"].startswith("your screening found a red flag: no plan is made.")
    page = client.get("/plan").text
    assert "See a healthcare professional now" in page
    assert 'When they have cleared you, <a href="/screen">record your clearance</a>' in page
    log = client.post("/log", data={"sets": "10", "pain": "0"}, headers=JSON)
    assert log.status_code == 400 and "red flag" in log.json()["error"]


def test_the_week_plan_and_its_calendar(client: TestClient) -> None:
    placed(client)
    plan = client.get("/plan.json").json()
    assert plan["paused"] is False and 2 <= len(plan["sessions"]) <= 3
    assert {s["rung"] for s in plan["sessions"]} == {plan["sessions"][0]["rung"]}
    assert "Not medical advice" in plan["not_medical_advice"]
    page = client.get("/plan").text
    assert plan["sessions"][0]["rung_label"] in page and "Why this level" in page
    ics = client.get("/plan.ics")
    assert ics.headers["content-type"].startswith("text/calendar")
    assert ics.text.count("BEGIN:VEVENT") == len(plan["sessions"])


def test_log_and_check_in_drive_the_next_session(client: TestClient) -> None:
    placed(client)
    saved = client.post("/log", data={"sets": "8,8", "rpe": "6", "pain": "0"})
    assert "Saved session 1" in saved.text and "Next session:" in saved.text
    missing = client.post("/log", data={"sets": "8,8", "pain": "4"}, headers=JSON)
    assert missing.status_code == 400
    assert missing.json()["error"].startswith("with pain above 0, say where")
    stop = client.post(
        "/log",
        data={"session": "1", "pain": "5", "where": "lower_back", "kind": "sharp", "rpe": "7"},
    )
    assert "Check-in saved for session 1" in stop.text and "Stop:" in stop.text
    history = client.get("/history.json").json()["sessions"]
    assert [(s["clean_reps"], s["pain"], s["rpe"]) for s in history] == [([8, 8], 5, 7)]
    png = client.get("/history.png")
    assert png.headers["content-type"] == "image/png" and png.content[:4] == b"\x89PNG"


def test_a_warning_sign_pauses_the_plan(client: TestClient) -> None:
    placed(client)
    client.post("/log", data={"sets": "8", "pain": "0", "symptoms": "dizziness"})
    page = client.get("/plan").text
    assert "Plan paused: no sessions until a healthcare professional clears you." in page
    cleared = client.post("/clear")
    assert "Clearance recorded: the plan resumes." in cleared.text
    assert client.get("/plan.json").json()["paused"] is False


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"variation": "knee"}, "give the variation you tested and your max clean reps"),
        ({"variation": "knee", "reps": "x"}, "reps must be a whole number, got 'x'"),
        ({"variation": "flying", "reps": "9"}, "unknown variation"),
    ],
)
def test_baseline_input_errors_say_how_to_fix(
    client: TestClient, data: dict[str, str], message: str
) -> None:
    screened(client)
    response = client.post("/baseline", data=data, headers=JSON)
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_plan_without_screening_says_what_to_do(client: TestClient, tmp_path: Path) -> None:
    agree(client)
    response = client.get("/plan.json")
    assert response.status_code == 404
    assert "has no screening yet" in response.json()["error"]
    assert '<a href="/screen">Answer the health screening</a>' in client.get("/plan").text
