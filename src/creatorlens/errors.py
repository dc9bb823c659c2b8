"""Every exception creatorlens raises on purpose, in one tree (docs/errors.md).

In the style of httpx's documented hierarchy: catch :class:`CreatorlensError` for anything the
package raised knowingly, :class:`UserError` for a problem the user can fix (bad input, a
missing file, an unknown name, a missing optional extra). The CLI and the web app treat only a
``UserError`` as the user's: its message is shown as is (CLI exit status 2; HTTP status
``http_status``). Any other exception is a bug: the CLI exits 1 and the web answers 500, each
with an error id that also heads the logged traceback.

Classes that were ``ValueError``, ``LookupError`` or ``FileNotFoundError`` before this tree
existed keep that class as a second base, so that ``except ValueError`` in callers' code (and
pydantic, which turns only ``ValueError`` raised in a validator into a ``ValidationError``) keep
working; the interfaces never match on those built-in bases.

This module imports nothing from creatorlens, so every layer can raise these classes and the
CLI can match them without loading the core.
"""

from __future__ import annotations

from typing import Any, ClassVar

__all__ = [
    "AmbiguousCreatorError",
    "ApiError",
    "BadUploadName",
    "BodyTooLarge",
    "BriefError",
    "CostError",
    "CreatorlensError",
    "CredentialError",
    "CurrencyError",
    "CursorError",
    "FollowerFileError",
    "IngestError",
    "LabelError",
    "MappingError",
    "MissingExtraError",
    "MissingFileError",
    "ModelFormatError",
    "NotFoundError",
    "OptionError",
    "PayloadError",
    "PdfError",
    "PlanError",
    "QuotaStop",
    "SetupError",
    "SourceError",
    "StepError",
    "TargetError",
    "TierSchemeError",
    "TransportFailure",
    "UnknownColumnError",
    "UploadTooLarge",
    "UserError",
    "WorkspaceBusy",
    "WorkspaceError",
]


class CreatorlensError(Exception):
    """Base of every exception creatorlens raises on purpose."""


# -- the user's to fix ------------------------------------------------------------------------
class UserError(CreatorlensError):
    """A problem the user can fix; the message says what is wrong and, where it can, how."""

    #: The HTTP status the web app answers with.
    http_status: ClassVar[int] = 400


class OptionError(UserError, ValueError):
    """An option, argument or request parameter whose value cannot be used (``--since``,
    ``?sort=``, ``?cursor=``, a Window setting); the message names it."""


class CursorError(OptionError):
    """A listing cursor that cannot continue this listing (malformed, altered, or from another
    sort order). Start again without a cursor."""


class UnknownColumnError(OptionError):
    """Columns were asked for that the creator view does not have."""


class MissingFileError(UserError, FileNotFoundError):
    """A file the user named does not exist."""

    http_status: ClassVar[int] = 404


class NotFoundError(UserError, LookupError):
    """A creator (or other object) the user named is not in the workspace."""

    http_status: ClassVar[int] = 404


class AmbiguousCreatorError(UserError, LookupError):
    """A handle the user named exists on several platforms and no platform was given."""

    def __init__(self, handle: str, rows: list[dict[str, Any]]) -> None:
        self.handle = handle
        self.candidates = [
            {"platform": r["platform"], "handle": r["handle"], "followers": r.get("followers")}
            for r in rows
        ]
        listed = ", ".join(
            f"{c['platform']} (@{c['handle']}, "
            + (f"{c['followers']:,} followers)" if c["followers"] is not None else "followers unknown)")
            for c in self.candidates
        )
        super().__init__(
            f"{handle!r} exists on {len(rows)} platforms: {listed}; say which with --platform "
            "(platform= in Python)"
        )


class WorkspaceError(UserError):
    """A workspace problem a user can fix (wrong path, newer schema, locked file)."""


class WorkspaceBusy(WorkspaceError):
    """Another process holds the workspace's lock and did not let go in time."""

    http_status: ClassVar[int] = 503


class TierSchemeError(UserError, ValueError):
    """A tier scheme that does not exist or is not well formed."""


# ingest
class SourceError(UserError, ValueError):
    """A file that cannot be read at all (missing, unknown format, broken JSON)."""


class MappingError(UserError, ValueError):
    """A --map option or a source whose columns cannot be mapped."""


class IngestError(UserError, ValueError):
    """A source that cannot be loaded as a whole (e.g. no way to tell its platform)."""


# collectors (creatorlens.ingest.collect)
class CredentialError(UserError):
    """An API credential is missing, or its file cannot be used (readable by others, not TOML);
    the message names the variable or file, never a value."""


class ApiError(UserError):
    """An official API refused a request (unknown channel, bad key, not allowed) or kept answering
    what cannot be read; the message is the API's, with any credential redacted."""


class TransportFailure(UserError):
    """An official API could not be reached, or kept failing after every retry."""

    http_status: ClassVar[int] = 502


class QuotaStop(UserError):
    """The next call would exceed the day's API quota (or the API said it is spent); the run is
    checkpointed and ``--resume`` continues it. ``.remaining`` units are left until ``.resets_at``."""

    http_status: ClassVar[int] = 429

    def __init__(self, message: str, *, remaining: int, needed: int, resets_at: Any) -> None:
        super().__init__(message)
        self.remaining = remaining
        self.needed = needed
        self.resets_at = resets_at


class PayloadError(UserError, ValueError):
    """An official API payload that cannot be read; the message says what is wrong and where."""

    def __init__(self, message: str, where: str = "$") -> None:
        super().__init__(f"{where}: {message}")
        self.where = where
        self.reason = message


# planner and audience
class BriefError(UserError, ValueError):
    """A brief a user can fix; the message says what is wrong."""


class PlanError(UserError, ValueError):
    """A plan that cannot be made from these candidates and this brief; the message says why."""


class CostError(UserError, ValueError):
    """A cost request the data cannot price (unknown platform, deliverable or option)."""


class CurrencyError(UserError, ValueError):
    """A currency the package has no exchange rate for."""


class TargetError(UserError, ValueError):
    """A target specification a user can fix; the message says how."""


# authenticity
class FollowerFileError(UserError, ValueError):
    """A follower file that cannot be read as profiles."""


class ModelFormatError(UserError, ValueError):
    """A model file that is not a creatorlens logistic-regression model."""


class LabelError(UserError, ValueError):
    """A label file that cannot be matched to the follower sample."""


# web uploads
class UploadTooLarge(UserError):
    """The upload went past the configured size limit (HTTP 413)."""

    http_status: ClassVar[int] = 413


class BodyTooLarge(UserError):
    """The request body went past its limit (raised from ``receive``; HTTP 413)."""

    http_status: ClassVar[int] = 413


class BadUploadName(UserError, ValueError):
    """The upload's file name cannot be used (HTTP 400)."""


# the installation
class SetupError(UserError):
    """This installation lacks something the request needs (a browser, an optional extra);
    the message says what to install. HTTP 503: the request was fine, the server is not."""

    http_status: ClassVar[int] = 503


class PdfError(SetupError):
    """The PDF could not be made (no browser, or the browser failed); the message says why."""


class MissingExtraError(SetupError):
    """An optional extra (``pip install 'creatorlens[NAME]'``) is not installed."""

    def __init__(self, extra: str, needed_for: str) -> None:
        self.extra = extra
        self.install = f"pip install 'creatorlens[{extra}]'"
        super().__init__(f"{needed_for} needs the {extra!r} extra: {self.install}")


# -- bugs -------------------------------------------------------------------------------------
class StepError(CreatorlensError):
    """A scoring step failed (a bug, not the user's input): names the step; the original
    exception is its ``__cause__``. Nothing of the run is published."""

    def __init__(self, step: str, cause: BaseException) -> None:
        self.step = step
        super().__init__(f"scoring step {step!r} failed: {type(cause).__name__}: {cause}")
