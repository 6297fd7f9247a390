"""rcmmatrix: comparative legislation matrices and statistics for the RCM Liaison Officer Network."""

from .__about__ import __version__
from .errors import RcmmatrixError, SchemaError, StoreError, WorkspaceError
from .issues import Code, Issue, Severity
from .members import Member, country_name, lookup_country
from .schema import Schema, load_schema
from .store import Store
from .workspace import Round, Workspace

__all__ = [
    "Code",
    "Issue",
    "Member",
    "RcmmatrixError",
    "Round",
    "Schema",
    "SchemaError",
    "Severity",
    "Store",
    "StoreError",
    "Workspace",
    "WorkspaceError",
    "__version__",
    "country_name",
    "load_schema",
    "lookup_country",
]
