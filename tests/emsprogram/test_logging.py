import io
import json
import logging
import sys

import pytest

from emsprogram.logformat import ClientErrorsAreWarnings, JSONFormatter


def test_json_formatter_writes_one_object_per_line_with_extra_fields():
    record = logging.makeLogRecord(
        {
            "name": "enrollment",
            "levelname": "WARNING",
            "msg": "E-mail %s failed",
            "args": ("EMS-ABC123",),
            "reference": "EMS-ABC123",
        }
    )
    line = JSONFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "E-mail EMS-ABC123 failed"
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "enrollment"
    assert entry["reference"] == "EMS-ABC123"


def test_json_formatter_keeps_exceptions_on_the_same_line():
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.makeLogRecord({"msg": "failed", "exc_info": __import__("sys").exc_info()})
    line = JSONFormatter().format(record)
    assert "\n" not in line
    assert "RuntimeError: boom" in json.loads(line)["exception"]


@pytest.fixture
def console_log():
    """What the site's console handler writes during the test."""
    handler = next(h for h in logging.getLogger().handlers if getattr(h, "name", "") == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_a_refused_host_is_one_warning_line_without_a_traceback(client, console_log):
    response = client.get("/", HTTP_HOST="attacker.example")

    assert response.status_code == 400
    lines = [json.loads(line) for line in console_log.getvalue().splitlines()]
    refused = [entry for entry in lines if "attacker.example" in entry["message"]]
    assert refused and all(entry["level"] == "WARNING" for entry in refused)
    assert not any("exception" in entry for entry in refused)
    assert not any(entry["level"] == "ERROR" for entry in lines)


@pytest.mark.django_db
def test_a_refused_admin_filter_is_a_warning_not_an_error(admin_client, console_log):
    response = admin_client.get("/admin/auth/user/?password__startswith=a")

    assert response.status_code == 400
    lines = [json.loads(line) for line in console_log.getvalue().splitlines()]
    assert any(entry["level"] == "WARNING" and entry.get("status_code") == 400 for entry in lines)
    assert not any(entry["level"] == "ERROR" or "exception" in entry for entry in lines)


def test_a_server_error_stays_an_error_with_its_traceback():
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record = logging.makeLogRecord(
            {
                "msg": "Internal Server Error",
                "levelno": logging.ERROR,
                "status_code": 500,
                "exc_info": sys.exc_info(),
            }
        )
    ClientErrorsAreWarnings().filter(record)
    assert record.levelno == logging.ERROR and record.exc_info is not None
