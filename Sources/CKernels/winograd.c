// The Winograd variants (one template, one instantiation per ISA) and their dispatch.
#include "ckernels.h"
#include "simd.h"

#define CK_TEMPLATE "winograd_template.h"
#include "instantiate.h"

size_t ck_winograd_scratch(const ck_winograd *job, int block_tiles) {
    size_t cip = (size_t)(job->ci + 15) / 16 * 16, cop = (size_t)(job->co + 15) / 16 * 16;
    return (size_t)block_tiles * (64 * (cip + cop) + 32);
}

void ck_winograd_tiles(const ck_winograd *job, int first, int count, float *scratch, ck_isa isa) {
    if (count <= 0) return;
    CK_DISPATCH(isa, ck_winograd_tiles, (job, first, count, scratch))
}
