"""Audit a Prisma ORM project for production readiness.

>>> import prisma_audit
>>> report = prisma_audit.audit("examples/vet-clinic")
>>> report.summary.verdict
'not-ready'
>>> [f.rule for f in report.findings if f.severity == "critical"]

The report is the same as ``prisma-audit PATH --format json`` (``Report.to_dict()``), with typed
attributes on top. Errors are :class:`PrismaAuditError` subclasses.
"""

from __future__ import annotations

import html
import json
import os
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Union

from . import _native
from ._native import ConfigError, InputError, IoError, PrismaAuditError

__version__: str = _native.__version__

__all__ = [
    "audit",
    "queries",
    "rules",
    "Report",
    "Finding",
    "Location",
    "Position",
    "Related",
    "Fix",
    "Edit",
    "Summary",
    "Counts",
    "CategorySummary",
    "ProjectInfo",
    "ToolInfo",
    "Rule",
    "SEVERITIES",
    "PrismaAuditError",
    "IoError",
    "ConfigError",
    "InputError",
    "__version__",
]

#: Severities, most severe first.
SEVERITIES: Tuple[str, ...] = ("critical", "high", "medium", "low", "info")

PathLike = Union[str, "os.PathLike[str]"]


class Position(NamedTuple):
    """A 1-based line and column."""

    line: int
    column: int

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> "Position":
        return cls(line=d["line"], column=d["column"])


class Location(NamedTuple):
    """A span in one file of the project (path relative to the project root)."""

    file: str
    start: Position
    end: Position

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> "Location":
        return cls(file=d["file"], start=Position._from(d["start"]), end=Position._from(d["end"]))

    def __str__(self) -> str:
        return f"{self.file}:{self.start.line}:{self.start.column}"


class Related(NamedTuple):
    """Another place that explains a finding."""

    message: str
    location: Location


class Edit(NamedTuple):
    """One text replacement of a fix."""

    file: str
    start: Position
    end: Position
    start_offset: int
    end_offset: int
    replacement: str


class Fix(NamedTuple):
    """A proposed fix: edits and/or SQL, with a safety level (``safe`` or ``unsafe``)."""

    title: str
    safety: str
    edits: Tuple[Edit, ...]
    sql: Optional[str]


class Finding(NamedTuple):
    """One problem found by a rule."""

    rule: str
    severity: str
    category: str
    #: ``certain``, or ``heuristic`` (inferred from names or conventions).
    confidence: str
    message: str
    help: Optional[str]
    location: Optional[Location]
    related: Tuple[Related, ...]
    fix: Optional[Fix]
    fingerprint: str

    @classmethod
    def _from(cls, d: Mapping[str, Any]) -> "Finding":
        loc = d.get("location")
        fix = d.get("fix")
        return cls(
            rule=d["rule"],
            severity=d["severity"],
            category=d["category"],
            confidence=d.get("confidence", "certain"),
            message=d["message"],
            help=d.get("help"),
            location=Location._from(loc) if loc else None,
            related=tuple(
                Related(message=r["message"], location=Location._from(r["location"]))
                for r in d.get("related", ())
            ),
            fix=Fix(
                title=fix["title"],
                safety=fix["safety"],
                edits=tuple(
                    Edit(
                        file=e["file"],
                        start=Position._from(e["start"]),
                        end=Position._from(e["end"]),
                        start_offset=e["start_offset"],
                        end_offset=e["end_offset"],
                        replacement=e["replacement"],
                    )
                    for e in fix.get("edits", ())
                ),
                sql=fix.get("sql"),
            )
            if fix
            else None,
            fingerprint=d["fingerprint"],
        )


class Counts(NamedTuple):
    """Findings per severity."""

    critical: int
    high: int
    medium: int
    low: int
    info: int

    @property
    def total(self) -> int:
        return self.critical + self.high + self.medium + self.low + self.info


class CategorySummary(NamedTuple):
    """Risk level and finding count of one category."""

    category: str
    risk: str
    findings: int


class Summary(NamedTuple):
    """Verdict (``not-ready``, ``ready-with-fixes``, ``ready``), counts and risk table."""

    verdict: str
    counts: Counts
    categories: Tuple[CategorySummary, ...]
    suppressed: int
    baselined: int
    #: Findings inside models left out of the audit (``ignore-models``, library tables).
    ignored_models: int
    #: Heuristic findings hidden by ``min-confidence``.
    below_min_confidence: int
    #: Safety-rule findings in migrations outside the migration scope.
    outside_migration_scope: int


class ProjectInfo(NamedTuple):
    """What was audited."""

    root: str
    provider: Optional[str]
    prisma_version: Optional[str]
    schema_files: Tuple[str, ...]
    migrations: int
    models: int
    enums: int
    views: int
    rules_run: int
    #: Models left out of the audit, with the reason (``Account (owned by Auth.js)``).
    excluded_models: Tuple[str, ...] = ()
    #: Which migrations the safety rules judged: ``mode``, ``source``, ``judged``,
    #: ``not_judged`` (``None`` without a migration history).
    migration_scope: Optional[Dict[str, Any]] = None


class ToolInfo(NamedTuple):
    """Name and version of the tool that produced the report."""

    name: str
    version: str


class Rule(NamedTuple):
    """Metadata of a registered rule."""

    id: str
    category: str
    severity: str
    fixable: bool
    enabled: bool
    summary: str
    docs: str


class Report:
    """A complete audit result (the JSON report of ``schema/report.schema.json``, typed).

    The typed attributes are built on first access, so auditing costs no more than the core.
    """

    __slots__ = ("_native", "_json", "_data")

    def __init__(self, native: Any) -> None:
        self._native = native
        self._json: Optional[str] = None
        self._data: Optional[Dict[str, Any]] = None

    def _typed(self) -> Dict[str, Any]:
        if self._data is None:
            d = json.loads(self.to_json())
            p = dict(d["project"])
            p["schema_files"] = tuple(p["schema_files"])
            p["excluded_models"] = tuple(p.get("excluded_models", ()))
            s = d["summary"]
            self._data = {
                "schema_version": d["schema_version"],
                "tool": ToolInfo(**d["tool"]),
                "project": ProjectInfo(**p),
                "summary": Summary(
                    verdict=s["verdict"],
                    counts=Counts(**s["counts"]),
                    categories=tuple(CategorySummary(**c) for c in s["categories"]),
                    suppressed=s.get("suppressed", 0),
                    baselined=s.get("baselined", 0),
                    ignored_models=s.get("ignored_models", 0),
                    below_min_confidence=s.get("below_min_confidence", 0),
                    outside_migration_scope=s.get("outside_migration_scope", 0),
                ),
                "findings": tuple(Finding._from(f) for f in d["findings"]),
                "strengths": tuple(d.get("strengths", ())),
            }
        return self._data

    @property
    def schema_version(self) -> str:
        """JSON shape version (``"1"``)."""
        return self._typed()["schema_version"]

    @property
    def tool(self) -> ToolInfo:
        """The tool that produced the report."""
        return self._typed()["tool"]

    @property
    def project(self) -> ProjectInfo:
        """What was audited."""
        return self._typed()["project"]

    @property
    def summary(self) -> Summary:
        """Verdict, counts and risk table."""
        return self._typed()["summary"]

    @property
    def findings(self) -> Tuple[Finding, ...]:
        """Findings, sorted by severity, file, position, rule, then message."""
        return self._typed()["findings"]

    @property
    def strengths(self) -> Tuple[str, ...]:
        """Good practices the audit confirmed."""
        return self._typed()["strengths"]

    # --- outputs ---------------------------------------------------------------------------
    def to_json(self) -> str:
        """The JSON report, byte for byte what ``prisma-audit --format json`` prints."""
        if self._json is None:
            self._json = self._native.render("json")
        return self._json

    def to_dict(self) -> Dict[str, Any]:
        """The JSON report as plain Python data (a fresh copy)."""
        return json.loads(self.to_json())

    def to_markdown(self) -> str:
        """The Markdown audit report (``--format markdown``)."""
        return self._native.render("markdown")

    def to_sarif(self) -> str:
        """SARIF 2.1.0 for code-scanning tools (``--format sarif``)."""
        return self._native.render("sarif")

    def to_text(self) -> str:
        """The terminal report without colours (``--format text``)."""
        return self._native.render("text")

    def to_pandas(self) -> Any:
        """One row per finding as a ``pandas.DataFrame`` (requires pandas).

        Columns: rule, severity (ordered categorical, most severe first), category, confidence,
        message,
        file, line, column, help, fix, fingerprint.
        """
        try:
            import pandas as pd
        except ImportError as e:  # pandas is optional
            raise ImportError(
                "Report.to_pandas() needs pandas: pip install pandas"
            ) from e
        rows = [
            {
                "rule": f.rule,
                "severity": f.severity,
                "category": f.category,
                "confidence": f.confidence,
                "message": f.message,
                "file": f.location.file if f.location else None,
                "line": f.location.start.line if f.location else None,
                "column": f.location.start.column if f.location else None,
                "help": f.help,
                "fix": f.fix.title if f.fix else None,
                "fingerprint": f.fingerprint,
            }
            for f in self.findings
        ]
        columns = [
            "rule",
            "severity",
            "category",
            "confidence",
            "message",
            "file",
            "line",
            "column",
            "help",
            "fix",
            "fingerprint",
        ]
        df = pd.DataFrame(rows, columns=columns)
        df["severity"] = pd.Categorical(df["severity"], categories=list(SEVERITIES), ordered=True)
        df["line"] = df["line"].astype("Int64")
        df["column"] = df["column"].astype("Int64")
        return df

    # --- helpers ---------------------------------------------------------------------------
    def by_severity(self) -> Dict[str, List[Finding]]:
        """Findings grouped by severity, most severe first (every severity is a key)."""
        groups: Dict[str, List[Finding]] = {s: [] for s in SEVERITIES}
        for f in self.findings:
            groups.setdefault(f.severity, []).append(f)
        return groups

    def failed(self, threshold: str = "high") -> bool:
        """Whether a finding at or above ``threshold`` exists (like ``--fail-on``)."""
        if threshold not in SEVERITIES:
            raise InputError(
                f"unknown severity `{threshold}` (expected one of {', '.join(SEVERITIES)})"
            )
        rank = SEVERITIES.index(threshold)
        return any(SEVERITIES.index(f.severity) <= rank for f in self.findings)

    def _headline(self) -> str:
        c = self.summary.counts
        return (
            f"{self.summary.verdict}: {c.critical} critical, {c.high} high, "
            f"{c.medium} medium, {c.low} low, {c.info} info"
        )

    def __repr__(self) -> str:
        return f"<prisma_audit.Report {self.project.root!r} {self._headline()}>"

    def __len__(self) -> int:
        return len(self.findings)

    # --- notebooks -------------------------------------------------------------------------
    def _repr_markdown_(self) -> str:
        def cell(text: str) -> str:
            return text.replace("|", "\\|").replace("\n", " ")

        out = [f"**prisma-audit** `{cell(self.project.root)}` — {self._headline()}", ""]
        for severity, findings in self.by_severity().items():
            if not findings:
                continue
            out.append(f"### {severity.title()} ({len(findings)})")
            out.append("")
            out.append("| Rule | Location | Message |")
            out.append("|---|---|---|")
            for f in findings:
                loc = str(f.location) if f.location else ""
                out.append(f"| `{cell(f.rule)}` | {cell(loc)} | {cell(f.message)} |")
            out.append("")
        if not self.findings:
            out.append("No findings.")
        return "\n".join(out).rstrip() + "\n"

    def _repr_html_(self) -> str:
        e = html.escape
        out = [
            '<div class="prisma-audit-report">',
            f"<p><b>prisma-audit</b> <code>{e(self.project.root)}</code> — "
            f"{e(self._headline())}</p>",
        ]
        for severity, findings in self.by_severity().items():
            if not findings:
                continue
            out.append(f"<h4>{e(severity.title())} ({len(findings)})</h4>")
            out.append(
                "<table><thead><tr><th>Rule</th><th>Location</th><th>Message</th></tr>"
                "</thead><tbody>"
            )
            for f in findings:
                loc = str(f.location) if f.location else ""
                out.append(
                    f"<tr><td><code>{e(f.rule)}</code></td><td>{e(loc)}</td>"
                    f"<td>{e(f.message)}</td></tr>"
                )
            out.append("</tbody></table>")
        if not self.findings:
            out.append("<p>No findings.</p>")
        out.append("</div>")
        return "\n".join(out)


def audit(
    path: Optional[PathLike] = None,
    *,
    files: Optional[Mapping[str, Union[str, bytes]]] = None,
    config: Union[None, Mapping[str, Any], PathLike] = None,
    schema: Optional[str] = None,
    migrations: Union[None, str, int, Sequence[str]] = None,
) -> Report:
    """Audit a Prisma project and return its :class:`Report`.

    ``path``: a project directory or ``.prisma`` file (default: the current directory), read
    exactly like the CLI reads it. ``files``: instead of ``path``, in-memory files (relative
    path → text or bytes). ``config``: a table with the keys of ``prisma-audit.toml``
    (``{"fail-on": "high", "rules": {"missing-fk-index": {"severity": "low"}}}``) or the path of
    a configuration file; default: the project's own ``prisma-audit.toml`` /
    ``.prismalintrc.json``. ``schema``: schema file or folder relative to the root (``--schema``).
    ``migrations``: which migrations the safety rules judge (``--migrations``): ``"pending"``
    (default: changed on this git branch or uncommitted, else the newest), ``"all"``, a number N
    (the newest N), or the list of pending migration folder names.

    Raises :class:`IoError`, :class:`ConfigError` or :class:`InputError` (all
    :class:`PrismaAuditError`). The GIL is released while the audit runs.
    """
    config_json: Optional[str] = None
    config_path: Optional[str] = None
    if config is None:
        pass
    elif isinstance(config, Mapping):
        try:
            config_json = json.dumps(config)
        except (TypeError, ValueError) as e:
            raise ConfigError(f"config: {e}") from None
    elif isinstance(config, (str, os.PathLike)):
        config_path = os.fspath(config)
    else:
        raise TypeError("config must be a mapping, a path or None")
    if files is not None and not isinstance(files, Mapping):
        raise TypeError("files must be a mapping of relative path to str or bytes")
    if migrations is None or isinstance(migrations, (str, int)):
        migrations_json = json.dumps(migrations) if migrations is not None else None
    elif isinstance(migrations, Sequence):
        migrations_json = json.dumps(list(migrations))
    else:
        raise TypeError("migrations must be 'pending', 'all', a number or a list of folder names")
    native = _native.audit(
        path=os.fspath(path) if path is not None else None,
        files=dict(files) if files is not None else None,
        config_json=config_json,
        config_path=config_path,
        schema=schema,
        migrations_json=migrations_json,
    )
    return Report(native)


def rules() -> List[Rule]:
    """Every registered rule, sorted as the CLI's ``--list-rules`` lists them."""
    return [Rule(**r) for r in json.loads(_native.rules_json())]


def queries(
    path: Optional[PathLike] = None,
    *,
    files: Optional[Mapping[str, Union[str, bytes]]] = None,
    schema: Optional[str] = None,
) -> List[Dict[str, Any]]:
    """The Prisma Client calls of the project's TypeScript/JavaScript, like ``prisma-audit
    --queries``: one dict per source file with calls (``path``, ``role``, ``calls``,
    ``sqlFragments``), each call with its ``span``, ``receiver``, ``model``, ``operation`` and
    ``args`` (``where``, ``orderBy``, ``take``, ...) as ``schema/queries.schema.json``
    describes them. ``path``/``files``/``schema`` as in :func:`audit`."""
    text = _native.queries_json(
        path=os.fspath(path) if path is not None else None,
        files=dict(files) if files is not None else None,
        schema=schema,
    )
    return json.loads(text)
