#include "sqlite_setup.h"
#include <sqlite3.h>

int acctstat_sqlite_setup(void) {
    // sqlite3_config is variadic, so Swift cannot call it directly.
    int threading = sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    int statistics = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return threading != SQLITE_OK ? threading : statistics;
}
