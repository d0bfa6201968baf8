import json
import os
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]


def test_collectstatic_with_debug_off_writes_hashed_compressed_files(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_SECRET_KEY="s" * 50, DJANGO_STATIC_ROOT=str(tmp_path), DJANGO_ALLOWED_HOSTS="x.test")
    result = subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr

    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    hashed_css = manifest["bootstrap/css/bootstrap.min.css"]
    assert hashed_css != "bootstrap/css/bootstrap.min.css"
    assert (tmp_path / hashed_css).exists()
    assert (tmp_path / f"{hashed_css}.gz").exists()
    assert "css/site.css" in manifest
