"""The typed API: attributes, inputs, configuration, errors, notebook display, GIL release."""

import json
import sys
import threading
import time

import pytest

import prisma_audit
from prisma_audit import (
    ConfigError,
    Finding,
    Fix,
    InputError,
    IoError,
    Location,
    PrismaAuditError,
    Report,
    SEVERITIES,
)

from conftest import VET_CLINIC

SCHEMA = """
generator client {
  provider = "prisma-client"
}

datasource db {
  provider = "postgresql"
}

model Customer {
  id    String @id @default(uuid())
  email String @unique
  pets  Pet[]
}

model Pet {
  id         String   @id @default(uuid())
  customerId String
  customer   Customer @relation(fields: [customerId], references: [id])
}
"""


def files_report(**kwargs) -> Report:
    return prisma_audit.audit(files={"prisma/schema.prisma": SCHEMA}, **kwargs)


# --- typed attributes -----------------------------------------------------------------------


def test_typed_attributes(vet_report, cli_json):
    r = vet_report
    assert isinstance(r, Report)
    assert r.schema_version == "1"
    assert r.project.root == "vet-clinic"
    assert r.project.schema_files == ("prisma/schema.prisma",)
    assert r.project.models == cli_json["project"]["models"]
    assert r.summary.verdict == cli_json["summary"]["verdict"]
    assert len(r) == len(r.findings) == len(cli_json["findings"])
    assert r.summary.counts.total == len(r.findings)
    for severity in SEVERITIES:
        assert getattr(r.summary.counts, severity) == sum(
            f.severity == severity for f in r.findings
        )
    assert [c.category for c in r.summary.categories] == [
        c["category"] for c in cli_json["summary"]["categories"]
    ]
    for f, raw in zip(r.findings, cli_json["findings"]):
        assert isinstance(f, Finding)
        assert (f.rule, f.severity, f.category, f.message, f.fingerprint) == (
            raw["rule"],
            raw["severity"],
            raw["category"],
            raw["message"],
            raw["fingerprint"],
        )
        assert f.severity in SEVERITIES
        if raw.get("location"):
            assert isinstance(f.location, Location)
            assert f.location.file == raw["location"]["file"]
            assert f.location.start.line == raw["location"]["start"]["line"]
            assert str(f.location).startswith(raw["location"]["file"] + ":")
        else:
            assert f.location is None
        assert len(f.related) == len(raw.get("related", []))
        if raw.get("fix"):
            assert isinstance(f.fix, Fix)
            assert f.fix.title == raw["fix"]["title"]
            assert f.fix.safety in ("safe", "unsafe")
            assert len(f.fix.edits) == len(raw["fix"]["edits"])
        else:
            assert f.fix is None
    assert any(f.fix is not None for f in r.findings)
    assert any(f.related for f in r.findings)
    # Frozen dataclasses: the report is a value.
    with pytest.raises(Exception):
        r.findings[0].rule = "x"  # type: ignore[misc]


def test_to_dict_is_a_fresh_copy(vet_report):
    d = vet_report.to_dict()
    d["findings"].clear()
    assert len(vet_report.to_dict()["findings"]) == len(vet_report.findings) > 0


def test_failed_threshold(vet_report):
    assert vet_report.summary.counts.critical > 0
    assert vet_report.failed("critical")
    assert vet_report.failed()
    ok = files_report(config={"rules": {f.rule: False for f in files_report().findings}})
    assert ok.findings == ()
    assert not ok.failed("info")
    with pytest.raises(InputError, match="unknown severity"):
        vet_report.failed("severe")


def test_repr(vet_report):
    text = repr(vet_report)
    assert "vet-clinic" in text and vet_report.summary.verdict in text


# --- inputs -----------------------------------------------------------------------------------


def test_in_memory_files():
    r = files_report()
    assert r.project.root == "project"
    assert r.project.models == 2
    assert r.project.schema_files == ("prisma/schema.prisma",)
    assert len(r.findings) > 0
    # bytes work like str
    rb = prisma_audit.audit(files={"prisma/schema.prisma": SCHEMA.encode()})
    assert rb.to_dict() == r.to_dict()


def test_in_memory_files_equal_the_directory_audit():
    files = {}
    for p in VET_CLINIC.rglob("*"):
        if p.is_file():
            files[p.relative_to(VET_CLINIC).as_posix()] = p.read_bytes()
    # The same migration scope on both sides: a directory inside a git work tree takes its
    # pending migrations from git, in-memory files cannot.
    r = prisma_audit.audit(files=files, migrations="all")
    mine = r.to_dict()
    theirs = prisma_audit.audit(VET_CLINIC, migrations="all").to_dict()
    mine["project"].pop("root")
    theirs["project"].pop("root")
    assert mine == theirs


def test_schema_file_path_and_explicit_schema(vet_report):
    r = prisma_audit.audit(VET_CLINIC / "prisma" / "schema.prisma")
    assert r.project.root == "vet-clinic"
    assert r.to_dict()["summary"] == vet_report.to_dict()["summary"]
    r2 = prisma_audit.audit(VET_CLINIC, schema="prisma/schema.prisma")
    assert r2.to_dict() == vet_report.to_dict()


# --- configuration ----------------------------------------------------------------------------


def test_config_table_disables_and_overrides():
    base = files_report()
    first = base.findings[0]
    off = files_report(config={"rules": {first.rule: False}})
    assert first.rule not in {f.rule for f in off.findings}
    target = "info" if first.severity != "info" else "critical"
    changed = files_report(config={"rules": {first.rule: {"severity": target}}})
    assert {f.severity for f in changed.findings if f.rule == first.rule} == {target}


def test_config_file_path(tmp_path):
    first = files_report().findings[0]
    cfg = tmp_path / "prisma-audit.toml"
    cfg.write_text(f'[rules]\n"{first.rule}" = false\n')
    r = files_report(config=cfg)
    assert first.rule not in {f.rule for f in r.findings}
    assert files_report(config=str(cfg)).to_dict() == r.to_dict()


def test_project_config_file_is_discovered():
    first = files_report().findings[0]
    r = prisma_audit.audit(
        files={
            "prisma/schema.prisma": SCHEMA,
            "prisma-audit.toml": f'[rules]\n"{first.rule}" = false\n',
        }
    )
    assert first.rule not in {f.rule for f in r.findings}


# --- errors -----------------------------------------------------------------------------------


def test_error_hierarchy():
    for cls in (IoError, ConfigError, InputError):
        assert issubclass(cls, PrismaAuditError)
        assert issubclass(cls, Exception)


def test_missing_path_is_io_error(tmp_path):
    with pytest.raises(IoError, match="does not exist"):
        prisma_audit.audit(tmp_path / "nope")


def test_no_schema_is_input_error(tmp_path):
    with pytest.raises(InputError, match="no Prisma schema found"):
        prisma_audit.audit(tmp_path)
    with pytest.raises(InputError):
        prisma_audit.audit(files={"README.md": "hello"})


def test_path_and_files_is_input_error():
    with pytest.raises(InputError, match="not both"):
        prisma_audit.audit(VET_CLINIC, files={"prisma/schema.prisma": SCHEMA})


def test_invalid_config_is_config_error(tmp_path):
    with pytest.raises(ConfigError, match="no-such-rule"):
        files_report(config={"rules": {"no-such-rule": False}})
    with pytest.raises(ConfigError):
        files_report(config={"fail-on": "sometimes"})
    with pytest.raises(ConfigError):
        files_report(config={"rules": {"x": None}})  # null has no TOML form
    bad = tmp_path / "prisma-audit.toml"
    bad.write_text("[rules\n")
    with pytest.raises(ConfigError, match="prisma-audit.toml"):
        files_report(config=bad)
    with pytest.raises(IoError, match="not found"):
        files_report(config=tmp_path / "missing.toml")
    with pytest.raises(ConfigError):
        prisma_audit.audit(
            files={"prisma/schema.prisma": SCHEMA, "prisma-audit.toml": "fail-on = 3\n"}
        )


def test_wrong_argument_types():
    with pytest.raises(TypeError):
        files_report(config=42)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        prisma_audit.audit(files={"prisma/schema.prisma": 1})  # type: ignore[dict-item]
    with pytest.raises(TypeError):
        prisma_audit.audit(files=["prisma/schema.prisma"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "content",
    [b"\xff\xfe\x00\x01garbage", b"", b"model {{{{ @@@ \x00", "model A { id Int @id @default(".encode()],
)
def test_malformed_input_never_panics(content):
    try:
        r = prisma_audit.audit(files={"prisma/schema.prisma": content})
    except PrismaAuditError:
        return
    assert isinstance(r, Report)
    json.loads(r.to_json())
    r.to_markdown()


# --- outputs and notebooks ----------------------------------------------------------------------


def test_text_output(vet_report):
    text = vet_report.to_text()
    assert "\x1b[" not in text
    assert vet_report.findings[0].rule in text


def test_repr_markdown_groups_by_severity(vet_report):
    md = vet_report._repr_markdown_()
    headings = [line for line in md.splitlines() if line.startswith("### ")]
    present = [s for s in SEVERITIES if any(f.severity == s for f in vet_report.findings)]
    assert headings == [
        f"### {s.title()} ({sum(f.severity == s for f in vet_report.findings)})" for s in present
    ]
    table_rows = [line for line in md.splitlines() if line.startswith("| `")]
    assert len(table_rows) == len(vet_report.findings)
    for f in vet_report.findings:
        assert f"`{f.rule}`" in md


def test_repr_html_groups_by_severity_and_escapes(vet_report):
    html = vet_report._repr_html_()
    assert html.count("<tr><td>") == len(vet_report.findings)
    assert html.count("<table>") == len(
        {f.severity for f in vet_report.findings}
    )
    assert html.index("<h4>Critical") < html.index("<h4>High")
    # Messages are escaped: no raw markup from user text.
    r = prisma_audit.audit(
        files={"prisma/schema.prisma": SCHEMA.replace("customerId String\n", "customerId Script<b>\n")}
    )
    assert any('"Script"' in f.message for f in r.findings)
    html = r._repr_html_()
    assert "&quot;Script&quot;" in html and '"Script"' not in html


def test_repr_of_a_clean_report():
    ok = files_report(config={"rules": {f.rule: False for f in files_report().findings}})
    assert "No findings." in ok._repr_markdown_()
    assert "No findings." in ok._repr_html_()


def test_to_pandas(vet_report):
    pd = pytest.importorskip("pandas")
    df = vet_report.to_pandas()
    assert isinstance(df, pd.DataFrame)
    assert len(df) == len(vet_report.findings)
    assert list(df["rule"]) == [f.rule for f in vet_report.findings]
    assert list(df["severity"].cat.categories) == list(SEVERITIES)
    assert df["severity"].cat.ordered
    counts = df.groupby("severity", observed=False).size().to_dict()
    assert counts == {s: getattr(vet_report.summary.counts, s) for s in SEVERITIES}


def test_to_pandas_without_pandas(vet_report, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match="pip install pandas"):
        vet_report.to_pandas()


# --- GIL ------------------------------------------------------------------------------------------


def test_gil_is_released_while_auditing():
    """A Python thread keeps running while the audit runs in another thread."""
    old = sys.getswitchinterval()
    sys.setswitchinterval(100.0)  # the main thread never yields the GIL on its own
    counter = [0]
    stop = threading.Event()

    def spin():
        while not stop.is_set():
            counter[0] += 1
            time.sleep(0)  # releases the GIL between increments

    t = threading.Thread(target=spin)
    try:
        t.start()
        progressed = 0
        for _ in range(5):
            before = counter[0]
            prisma_audit._native.audit(path=str(VET_CLINIC))
            progressed += counter[0] - before
    finally:
        stop.set()
        t.join()
        sys.setswitchinterval(old)
    assert progressed > 0


def test_concurrent_audits_agree(vet_report):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        reports = list(pool.map(lambda _: prisma_audit.audit(VET_CLINIC), range(4)))
    for r in reports:
        assert r.to_dict() == vet_report.to_dict()


def test_migrations_option():
    history = {
        "prisma/schema.prisma": 'datasource db {\n  provider = "postgresql"\n}\n\n'
        "model User {\n  id Int @id\n  email String\n\n  @@index([email])\n}\n",
        "prisma/migrations/20240101000000_init/migration.sql": 'CREATE TABLE "User" ("id" INTEGER '
        'NOT NULL, "email" TEXT NOT NULL, CONSTRAINT "User_pkey" PRIMARY KEY ("id"));\n',
        "prisma/migrations/20240201000000_idx/migration.sql": 'ALTER TABLE "User" DROP COLUMN "email";\n',
        "prisma/migrations/20240301000000_noop/migration.sql": "SELECT 1;\n",
    }

    def run(migrations=None):
        return prisma_audit.audit(files=history, migrations=migrations)

    assert run().project.migration_scope["judged"] == ["20240301000000_noop"]
    assert run().project.migration_scope["source"] == "newest migration"
    assert len(run("all").project.migration_scope["judged"]) == 3
    assert run(2).project.migration_scope["judged"] == ["20240201000000_idx", "20240301000000_noop"]
    assert run(["20240201000000_idx"]).project.migration_scope["judged"] == ["20240201000000_idx"]
    dropped = lambda r: [f for f in r.findings if f.rule == "destructive-migration"]
    assert dropped(run()) == []
    assert len(dropped(run("all"))) == 1
    assert run().summary.outside_migration_scope == 1
    with pytest.raises(prisma_audit.InputError):
        run("some")
    with pytest.raises(TypeError):
        run(3.5)


def test_queries_of_the_example_project():
    files = prisma_audit.queries(VET_CLINIC)
    by_path = {f["path"]: f for f in files}
    dashboard = by_path["src/lib/dashboard.ts"]
    assert dashboard["role"] == "app"
    first = dashboard["calls"][0]
    assert (first["model"], first["operation"]) == ("Appointment", "findMany")
    assert first["args"]["orderBy"] == {"kind": "keys", "keys": [{"path": ["dateTime"], "direction": "asc"}]}
    assert by_path["scripts/seed.ts"]["role"] == "seed"
    # In-memory files, with the same shapes.
    schema = "datasource db {\n  provider = \"postgresql\"\n}\nmodel Post {\n  id Int @id\n}\n"
    code = "prisma.post.findMany({ where: { id: 1 }, take: 5 })\n"
    [only] = prisma_audit.queries(files={"schema.prisma": schema, "src/a.ts": code})
    assert only["calls"][0]["args"]["take"] == {"kind": "literal", "text": "5"}
    with pytest.raises(prisma_audit.InputError):
        prisma_audit.queries(files={"src/a.ts": code})
