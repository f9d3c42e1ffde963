// Element-wise variants (one template, one instantiation per ISA) and their dispatch.
#include "ckernels.h"
#include "simd.h"
#include <math.h>

#define CK_TEMPLATE "elementwise_template.h"
#include "instantiate.h"

void ck_bias_act(float *p, size_t count, float bias, ck_act act, float slope, float lo, float hi, ck_isa isa) {
    CK_DISPATCH(isa, ck_bias_act, (p, count, bias, act, slope, lo, hi))
}

void ck_add(float *dst, const float *a, const float *b, size_t count, ck_isa isa) {
    CK_DISPATCH(isa, ck_add, (dst, a, b, count))
}

void ck_silu(float *p, size_t count, ck_isa isa) {
    CK_DISPATCH(isa, ck_silu, (p, count))
}
