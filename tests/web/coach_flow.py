"""Steps of a person's way through the coach pages, shared by the web tests."""

from __future__ import annotations

from fastapi.testclient import TestClient

from pushup_coach.coach.screening import QUESTION_KEYS


def answers(*yes: str) -> dict[str, str]:
    return {key: "yes" if key in yes else "no" for key in QUESTION_KEYS}


def agree(client: TestClient) -> None:
    response = client.post("/consent", data={"agree": "yes", "next": "/screen"})
    assert response.status_code == 200 and response.url.path == "/screen"


def screened(client: TestClient, *yes: str) -> str:
    if client.get("/status.json").json()["consent"] is None:
        agree(client)
    response = client.post("/screen", data=answers(*yes))
    assert response.status_code == 200, response.text
    return response.text


def placed(client: TestClient) -> None:
    screened(client)
    response = client.post("/baseline", data={"variation": "knee", "reps": "9"})
    assert response.status_code == 200, response.text
