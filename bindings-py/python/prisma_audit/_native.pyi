"""Native half of prisma_audit (Rust, pyo3). Use the typed API of ``prisma_audit`` instead."""

from typing import Dict, List, Optional, Union

__version__: str

class PrismaAuditError(Exception):
    """Base class of every error raised by prisma_audit."""

class IoError(PrismaAuditError):
    """A file or directory could not be read."""

class ConfigError(PrismaAuditError):
    """The configuration (file or table) is invalid."""

class InputError(PrismaAuditError):
    """The input cannot be audited (no schema found, bad arguments, ...)."""

class NativeReport:
    def render(self, format: str) -> str: ...

def audit(
    path: Optional[str] = None,
    files: Optional[Dict[str, Union[str, bytes]]] = None,
    config_json: Optional[str] = None,
    config_path: Optional[str] = None,
    schema: Optional[str] = None,
    migrations_json: Optional[str] = None,
) -> NativeReport: ...
def rules_json() -> str: ...
def queries_json(
    path: Optional[str] = None,
    files: Optional[Dict[str, Union[str, bytes]]] = None,
    schema: Optional[str] = None,
) -> str: ...
def rule_count() -> int: ...
def _bench_core(path: str, iterations: int, render_json: bool = False) -> List[float]: ...
