"""The Python binding gives the CLI's results (same report, same rule registry)."""

import json

import prisma_audit
from prisma_audit import _native

from conftest import VET_CLINIC, run_cli


def test_report_equals_cli_json(vet_report, cli_json, cli_json_text):
    assert vet_report.to_dict() == cli_json
    # Byte for byte, too: the JSON comes from the same renderer.
    assert vet_report.to_json() == cli_json_text


def test_relative_path_and_str_give_the_same_report(vet_report, monkeypatch):
    monkeypatch.chdir(VET_CLINIC.parent)
    assert prisma_audit.audit("vet-clinic").to_dict() == vet_report.to_dict()


def test_markdown_and_sarif_equal_cli(vet_report):
    md = run_cli("examples/vet-clinic", "--format", "markdown", "--fail-on", "none")
    assert vet_report.to_markdown() == md
    sarif = run_cli("examples/vet-clinic", "--format", "sarif", "--fail-on", "none")
    assert json.loads(vet_report.to_sarif()) == json.loads(sarif)
    assert json.loads(vet_report.to_sarif())["version"] == "2.1.0"


def test_rule_count_equals_native_registry():
    cli_rules = json.loads(run_cli("--list-rules", "--format", "json"))
    rules = prisma_audit.rules()
    assert len(rules) == len(cli_rules) == _native.rule_count()
    assert len(rules) > 0
    assert [r.id for r in rules] == [r["id"] for r in cli_rules]
    by_id = {r["id"]: r for r in cli_rules}
    for r in rules:
        cli = by_id[r.id]
        assert (r.category, r.severity, r.fixable, r.enabled, r.summary) == (
            cli["category"],
            cli["severity"],
            cli["fixable"],
            cli["enabled"],
            cli["summary"],
        )
        assert r.docs.strip(), r.id


def test_version_matches_report_tool_version(vet_report):
    assert prisma_audit.__version__ == vet_report.tool.version
    assert vet_report.tool.name == "prisma-audit"
