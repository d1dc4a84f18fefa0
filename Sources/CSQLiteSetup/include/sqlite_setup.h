#ifndef ACCTSTAT_SQLITE_SETUP_H
#define ACCTSTAT_SQLITE_SETUP_H

/// Sets SQLite's process-wide options before its first connection opens: multi-thread mode
/// (each connection is used by one thread at a time, as GRDB guarantees, so the per-call
/// connection mutex is not needed) and no memory statistics (a global mutex on every
/// allocation). Returns 0 when both took effect; after SQLite has started it changes
/// nothing and returns SQLITE_MISUSE, and SQLite runs on in its default, serialized mode.
int acctstat_sqlite_setup(void);

#endif
