"""The Binder configuration, linted by repo2docker without building an image."""
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_repo2docker_accepts_the_binder_configuration():
    repo2docker = Path(sys.executable).parent / "repo2docker"
    result = subprocess.run([str(repo2docker), "--no-build", "--no-run", str(ROOT)],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    dockerfile = result.stdout
    assert "python=3.11" in result.stdout + result.stderr
    # the whole repository is copied before the pins install, so -r ../requirements.txt works
    assert dockerfile.index("COPY --chown") < dockerfile.index('pip install --no-cache-dir -r "binder/requirements.txt"')
    assert "./binder/postBuild" in dockerfile


def test_binder_uses_the_same_exact_pins():
    binder = (ROOT / "binder" / "requirements.txt").read_text()
    assert "-r ../requirements.txt" in binder
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", line), line
    assert "pip install" in (ROOT / "binder" / "postBuild").read_text()
