"""Every command-line task, ``flask --app wsgi <command>``: one module per area, listed here."""

from __future__ import annotations

from flask import Flask

from feedback.cli import alerts, board, cases, demo, questionnaires, retention, staff, theming

COMMANDS = (
    staff.create_staff, staff.pods_group, demo.demo_data, questionnaires.questionnaire_group,
    questionnaires.access_code, alerts.alerts_group, retention.retention_group,
    board.board_group, theming.theming_group, cases.cases_group,
)


def init_app(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)
