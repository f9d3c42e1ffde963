// Shared vector types and helpers for the kernel variants (GCC/clang vector extensions).
// Each variant file includes a template after defining CK_L (lanes: 8 or 16), CK_SUFFIX and
// CK_TARGET (a target attribute), so one source yields the AVX2 and the AVX-512 code.
#ifndef UPSCALE_CKERNELS_SIMD_H
#define UPSCALE_CKERNELS_SIMD_H
#include <string.h>

typedef float ck_v8 __attribute__((vector_size(32)));
typedef float ck_v16 __attribute__((vector_size(64)));

#define CK_CAT2(a, b) a##_##b
#define CK_CAT(a, b) CK_CAT2(a, b)


/// The vector of CK_L floats of the variant being instantiated, named `vf_SUFFIX`.
#define CK_VF CK_CAT(vf, CK_SUFFIX)
#endif
