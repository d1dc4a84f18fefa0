#include <zlib.h>

/// `inflateInit2` is a macro in zlib.h, which Swift cannot call; this wrapper
/// passes the version and struct size the macro would.
static inline int czlib_inflateInit2(z_streamp stream, int windowBits) {
    return inflateInit2(stream, windowBits);
}
