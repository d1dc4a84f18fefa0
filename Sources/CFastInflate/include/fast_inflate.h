#ifndef ACCTSTAT_FAST_INFLATE_H
#define ACCTSTAT_FAST_INFLATE_H

#include <stddef.h>
#include <stdint.h>

/// An optional gzip decoder backed by Intel ISA-L (libisal), loaded at run time.
///
/// acctstat builds and runs without ISA-L: when its header was missing at build time,
/// or libisal.so.2 cannot be loaded at run time, fast_inflate_create returns NULL and
/// the caller uses zlib. One decoder reads one gzip member; fast_inflate_reset starts
/// the next member of a multi-member file.
typedef struct fast_inflate fast_inflate;

/// Progress: input consumed and/or output produced; call again.
#define FAST_INFLATE_OK 0
/// The member ended and its CRC-32 and length were verified.
#define FAST_INFLATE_MEMBER_END 1
/// Negative values are ISA-L's own error codes (invalid block, bad checksum, ...).

/// A new decoder, or NULL when ISA-L is not available.
fast_inflate *fast_inflate_create(void);
void fast_inflate_destroy(fast_inflate *decoder);
/// Forgets the current member, to decode the next one.
void fast_inflate_reset(fast_inflate *decoder);
/// Decodes from `input` into `output`, reporting how much of each was used.
int fast_inflate_step(fast_inflate *decoder, const uint8_t *input, size_t input_length, size_t *consumed,
                      uint8_t *output, size_t output_length, size_t *produced);
/// A short description of a negative status.
const char *fast_inflate_error(int status);

#endif
