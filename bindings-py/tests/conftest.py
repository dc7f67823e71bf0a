import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
VET_CLINIC = REPO / "examples" / "vet-clinic"


def run_cli(*args: str) -> str:
    """Run the prisma-audit CLI (``$PRISMA_AUDIT_CLI`` or ``cargo run --release``)."""
    cli = os.environ.get("PRISMA_AUDIT_CLI")
    cmd = [cli] if cli else ["cargo", "run", "--quiet", "--release", "-p", "prisma-audit", "--"]
    out = subprocess.run(cmd + list(args), cwd=REPO, check=True, capture_output=True)
    return out.stdout.decode("utf-8")


@pytest.fixture(scope="session")
def cli_json_text() -> str:
    return run_cli("examples/vet-clinic", "--format", "json", "--fail-on", "none")


@pytest.fixture(scope="session")
def cli_json(cli_json_text: str) -> dict:
    return json.loads(cli_json_text)


@pytest.fixture(scope="session")
def vet_report():
    import prisma_audit

    return prisma_audit.audit(VET_CLINIC)
