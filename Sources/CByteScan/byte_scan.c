#include "byte_scan.h"

#if defined(__SSE2__)
#include <emmintrin.h>

byte_scan_masks byte_scan_block(const uint8_t *block) {
    const __m128i comma = _mm_set1_epi8(','), quote = _mm_set1_epi8('"');
    const __m128i lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
    byte_scan_masks masks = {0, 0};
    for (int part = 0; part < 4; part++) {
        __m128i bytes = _mm_loadu_si128((const __m128i *)(block + 16 * part));
        __m128i line_end = _mm_or_si128(_mm_cmpeq_epi8(bytes, lf), _mm_cmpeq_epi8(bytes, cr));
        uint64_t unquoted = (uint32_t)_mm_movemask_epi8(_mm_or_si128(line_end, _mm_cmpeq_epi8(bytes, comma)));
        uint64_t quoted = (uint32_t)_mm_movemask_epi8(_mm_or_si128(line_end, _mm_cmpeq_epi8(bytes, quote)));
        masks.unquoted |= unquoted << (16 * part);
        masks.quoted |= quoted << (16 * part);
    }
    return masks;
}

#else

byte_scan_masks byte_scan_block(const uint8_t *block) {
    byte_scan_masks masks = {0, 0};
    for (int index = 0; index < 64; index++) {
        uint8_t byte = block[index];
        uint64_t bit = (uint64_t)1 << index;
        int line_end = byte == '\n' || byte == '\r';
        if (line_end || byte == ',') masks.unquoted |= bit;
        if (line_end || byte == '"') masks.quoted |= bit;
    }
    return masks;
}

#endif
