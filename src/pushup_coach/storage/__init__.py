"""Storage: the only place SQL lives (SQLAlchemy 2 ORM, Alembic migrations run on open).

SQLite in the user's data folder by default; ``--db URL`` or ``$PUSHUP_COACH_DB`` for another
database such as PostgreSQL (``postgresql+psycopg://...``). Video is never stored unless asked.
"""

from pushup_coach.storage.analysis import save_analysis, session_from_report
from pushup_coach.storage.engine import DB_ENV, resolve_db_url
from pushup_coach.storage.portability import (
    export_profile,
    import_profile,
    read_export,
    write_export,
)
from pushup_coach.storage.records import (
    BaselineInfo,
    CorrectionInfo,
    NewSession,
    ProfileInfo,
    ScreeningInfo,
    SessionInfo,
)
from pushup_coach.storage.store import Store

__all__ = [
    "DB_ENV",
    "BaselineInfo",
    "CorrectionInfo",
    "NewSession",
    "ProfileInfo",
    "ScreeningInfo",
    "SessionInfo",
    "Store",
    "export_profile",
    "import_profile",
    "read_export",
    "resolve_db_url",
    "save_analysis",
    "session_from_report",
    "write_export",
]
