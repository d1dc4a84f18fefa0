#include "fast_inflate.h"

#include <stdlib.h>

#if defined(__has_include)
#if __has_include(<isa-l/igzip_lib.h>)
#define ACCTSTAT_HAVE_ISAL 1
#endif
#endif

#ifdef ACCTSTAT_HAVE_ISAL
#include <dlfcn.h>
#include <isa-l/igzip_lib.h>
#include <pthread.h>

// libisal is opened with dlopen, not linked, so the binary starts on hosts without it.
static struct {
    void (*init)(struct inflate_state *);
    void (*reset)(struct inflate_state *);
    int (*inflate)(struct inflate_state *);
    int loaded;
} isal;

static pthread_once_t isal_once = PTHREAD_ONCE_INIT;

static void load_isal(void) {
    const char *choice = getenv("ACCTSTAT_INFLATE");
    if (choice != NULL && choice[0] != '\0' && choice[0] != 'i') return;  // ACCTSTAT_INFLATE=zlib
    void *library = dlopen("libisal.so.2", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) return;
    isal.init = (void (*)(struct inflate_state *))dlsym(library, "isal_inflate_init");
    isal.reset = (void (*)(struct inflate_state *))dlsym(library, "isal_inflate_reset");
    isal.inflate = (int (*)(struct inflate_state *))dlsym(library, "isal_inflate");
    isal.loaded = isal.init != NULL && isal.reset != NULL && isal.inflate != NULL;
}

struct fast_inflate {
    struct inflate_state state;
};

fast_inflate *fast_inflate_create(void) {
    pthread_once(&isal_once, load_isal);
    if (!isal.loaded) return NULL;
    fast_inflate *decoder = malloc(sizeof(fast_inflate));
    if (decoder == NULL) return NULL;
    isal.init(&decoder->state);
    decoder->state.crc_flag = ISAL_GZIP;  // parse the gzip header, verify CRC-32 and length
    return decoder;
}

void fast_inflate_destroy(fast_inflate *decoder) { free(decoder); }

void fast_inflate_reset(fast_inflate *decoder) {
    isal.reset(&decoder->state);
    decoder->state.crc_flag = ISAL_GZIP;
}

int fast_inflate_step(fast_inflate *decoder, const uint8_t *input, size_t input_length, size_t *consumed,
                      uint8_t *output, size_t output_length, size_t *produced) {
    struct inflate_state *state = &decoder->state;
    uint32_t in = input_length > UINT32_MAX ? UINT32_MAX : (uint32_t)input_length;
    uint32_t out = output_length > UINT32_MAX ? UINT32_MAX : (uint32_t)output_length;
    state->next_in = (uint8_t *)input;
    state->avail_in = in;
    state->next_out = output;
    state->avail_out = out;
    int status = isal.inflate(state);
    *consumed = in - state->avail_in;
    *produced = out - state->avail_out;
    if (status < 0) return status;
    return state->block_state == ISAL_BLOCK_FINISH ? FAST_INFLATE_MEMBER_END : FAST_INFLATE_OK;
}

const char *fast_inflate_error(int status) {
    switch (status) {
    case ISAL_INVALID_BLOCK: return "invalid deflate block";
    case ISAL_INVALID_SYMBOL: return "invalid deflate symbol";
    case ISAL_INVALID_LOOKBACK: return "invalid distance too far back";
    case ISAL_INVALID_WRAPPER: return "invalid gzip header";
    case ISAL_UNSUPPORTED_METHOD: return "unknown compression method";
    case ISAL_INCORRECT_CHECKSUM: return "incorrect data check";
    default: return "undecodable data";
    }
}

#else

fast_inflate *fast_inflate_create(void) { return NULL; }
void fast_inflate_destroy(fast_inflate *decoder) { (void)decoder; }
void fast_inflate_reset(fast_inflate *decoder) { (void)decoder; }
int fast_inflate_step(fast_inflate *decoder, const uint8_t *input, size_t input_length, size_t *consumed,
                      uint8_t *output, size_t output_length, size_t *produced) {
    (void)decoder; (void)input; (void)input_length; (void)output; (void)output_length;
    *consumed = 0;
    *produced = 0;
    return -100;
}
const char *fast_inflate_error(int status) { (void)status; return "ISA-L is not available"; }

#endif
