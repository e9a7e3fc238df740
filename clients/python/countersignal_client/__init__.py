"""A client of the Countersignal HTTP API, on the standard library alone."""

from .client import (
    DEFAULT_IMPORT_BYTES,
    MAX_IMPORT_ENTRIES,
    MAX_MATCH_BATCH,
    BatchImportError,
    Countersignal,
    CountersignalError,
)

__all__ = [
    "BatchImportError",
    "Countersignal",
    "CountersignalError",
    "DEFAULT_IMPORT_BYTES",
    "MAX_IMPORT_ENTRIES",
    "MAX_MATCH_BATCH",
]
__version__ = "0.1.0"
