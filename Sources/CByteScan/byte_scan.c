// The searches are `static inline` in include/byte_scan.h, so that Swift inlines them into the
// scanner's loops; SwiftPM needs a source file for the target.
#include "byte_scan.h"
