#ifndef ACCTSTAT_BYTE_SCAN_H
#define ACCTSTAT_BYTE_SCAN_H

#include <stdint.h>

/// Where the CSV scanner's stop bytes are in one 64-byte block: bit k of a mask is set
/// when byte k is one of that mask's stops.
typedef struct {
    /// `,` LF CR: the bytes that end an unquoted field.
    uint64_t unquoted;
    /// `"` LF CR: the bytes that matter inside a quoted field.
    uint64_t quoted;
} byte_scan_masks;

/// The masks of the 64 bytes at `block`, all of which must be readable. SSE2 on x86-64
/// (16 bytes per compare), a byte loop elsewhere.
byte_scan_masks byte_scan_block(const uint8_t *block);

#endif
