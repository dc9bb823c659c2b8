"""Ingestion edge: files and API payloads in, workspace rows (or quarantine) out."""

from creatorlens.ingest._dates import ParsedTime, parse_datetime, parse_duration_seconds
from creatorlens.ingest._edges import EDGE_FIELDS
from creatorlens.ingest._files import FORMATS, SourceError
from creatorlens.ingest._mapping import ALL_FIELDS, MappingError, map_columns, parse_map_options
from creatorlens.ingest._normalize import IngestError
from creatorlens.ingest._numbers import Parsed, parse_number
from creatorlens.ingest._pipeline import INGEST_KINDS, FileReport, IngestReport, ingest_files

__all__ = [
    "ALL_FIELDS",
    "EDGE_FIELDS",
    "FORMATS",
    "INGEST_KINDS",
    "FileReport",
    "IngestError",
    "IngestReport",
    "MappingError",
    "Parsed",
    "ParsedTime",
    "SourceError",
    "ingest_files",
    "map_columns",
    "parse_datetime",
    "parse_duration_seconds",
    "parse_map_options",
    "parse_number",
]
