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

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <stddef.h>

/// The masks of the 64 bytes at `block`, all of which must be readable. SSE2 on x86-64
/// (16 bytes per compare), a byte loop elsewhere. Inline: the scanner calls it per block.
static inline byte_scan_masks byte_scan_block(const uint8_t *block) {
    byte_scan_masks masks = {0, 0};
#if defined(__SSE2__)
    const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"');
    const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    for (int part = 0; part < 4; part++) {
        __m128i bytes = _mm_loadu_si128((const __m128i *)(block + 16 * part));
        __m128i line_end = _mm_or_si128(_mm_cmpeq_epi8(bytes, lf), _mm_cmpeq_epi8(bytes, cr));
        uint64_t unquoted = (uint32_t)_mm_movemask_epi8(_mm_or_si128(line_end, _mm_cmpeq_epi8(bytes, comma)));
        uint64_t quoted = (uint32_t)_mm_movemask_epi8(_mm_or_si128(line_end, _mm_cmpeq_epi8(bytes, quote)));
        masks.unquoted |= unquoted << (16 * part);
        masks.quoted |= quoted << (16 * part);
    }
#else
    for (int index = 0; index < 64; index++) {
        uint8_t byte = block[index];
        uint64_t bit = (uint64_t)1 << index;
        int line_end = byte == '\n' || byte == '\r';
        if (line_end || byte == ',') masks.unquoted |= bit;
        if (line_end || byte == '"') masks.quoted |= bit;
    }
#endif
    return masks;
}

/// The index of the first of `count` bytes at `bytes` that equals `a`, `b`, `c` or `d`, or
/// `count`. SSE2 on x86-64 (16 bytes per compare; it never reads past `count`), a byte loop
/// elsewhere and for the tail. Inline, so that Swift callers pay no call for short texts.
static inline size_t byte_scan_first_of4(const uint8_t *bytes, size_t count, uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
    size_t index = 0;
#if defined(__SSE2__)
    const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b);
    const __m128i vc = _mm_set1_epi8((char)c), vd = _mm_set1_epi8((char)d);
    for (; index + 16 <= count; index += 16) {
        __m128i block = _mm_loadu_si128((const __m128i *)(bytes + index));
        __m128i found = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(block, va), _mm_cmpeq_epi8(block, vb)),
                                     _mm_or_si128(_mm_cmpeq_epi8(block, vc), _mm_cmpeq_epi8(block, vd)));
        unsigned mask = (unsigned)_mm_movemask_epi8(found);
        if (mask != 0) return index + (size_t)__builtin_ctz(mask);
    }
#endif
    for (; index < count; index++) {
        uint8_t byte = bytes[index];
        if (byte == a || byte == b || byte == c || byte == d) return index;
    }
    return count;
}

#endif
