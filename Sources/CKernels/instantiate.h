// Includes CK_TEMPLATE once per kernel variant (see ck_isa): generic (SSE2, 8 lanes), avx2
// (8 lanes), avx2w16 (the 16-lane code compiled for AVX2, so it is tested everywhere) and avx512.
// CK_DISPATCH(isa, name, args) then calls the variant `name_SUFFIX args` that `isa` selects.

#define CK_L 8
#define CK_SUFFIX generic
#define CK_TARGET
#include "vector_type.h"
#include CK_TEMPLATE
#undef CK_L
#undef CK_SUFFIX
#undef CK_TARGET

#define CK_L 8
#define CK_SUFFIX avx2
#define CK_TARGET __attribute__((target("avx2,fma")))
#include "vector_type.h"
#include CK_TEMPLATE
#undef CK_L
#undef CK_SUFFIX
#undef CK_TARGET

#define CK_L 16
#define CK_SUFFIX avx2w16
#define CK_TARGET __attribute__((target("avx2,fma")))
#include "vector_type.h"
#include CK_TEMPLATE
#undef CK_L
#undef CK_SUFFIX
#undef CK_TARGET

#define CK_L 16
#define CK_SUFFIX avx512
#define CK_TARGET __attribute__((target("avx512f,avx512bw,avx512dq,avx512vl,avx2,fma")))
#include "vector_type.h"
#include CK_TEMPLATE
#undef CK_L
#undef CK_SUFFIX
#undef CK_TARGET

#ifndef CK_DISPATCH
#define CK_DISPATCH(isa, name, args)                          \
    switch (isa) {                                            \
    case CK_ISA_AVX512: name##_avx512 args; break;            \
    case CK_ISA_AVX2_W16: name##_avx2w16 args; break;         \
    case CK_ISA_AVX2: name##_avx2 args; break;                \
    case CK_ISA_GENERIC: default: name##_generic args; break; \
    }
#endif
