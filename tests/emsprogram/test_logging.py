import json
import logging

from emsprogram.logformat import JSONFormatter


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
