// CPU feature detection (cpuid + xgetbv) and the choice of kernel variant.
#include "ckernels.h"
#include <cblas.h>
#include <cpuid.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

// Present in DYNAMIC_ARCH builds of OpenBLAS only (Debian's), hence weak.
extern void gotoblas_dynamic_init(void) __attribute__((weak));
extern void gotoblas_dynamic_quit(void) __attribute__((weak));

static uint64_t xgetbv0(void) {
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

uint32_t ck_cpu_features(void) {
    unsigned a, b, c, d;
    uint32_t f = 0;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    if (c & (1u << 20)) f |= CK_CPU_SSE42;
    int osxsave = (c & (1u << 27)) != 0, avx = (c & (1u << 28)) != 0, fma = (c & (1u << 12)) != 0;
    uint64_t xcr0 = osxsave ? xgetbv0() : 0;
    int ymm = (xcr0 & 0x6) == 0x6;            // SSE and AVX state saved by the OS
    int zmm = ymm && (xcr0 & 0xE0) == 0xE0;    // opmask, ZMM_Hi256, Hi16_ZMM
    int tiles = (xcr0 & (3u << 17)) == (3u << 17);
    if (avx && ymm) f |= CK_CPU_AVX;
    if (fma && ymm) f |= CK_CPU_FMA;
    if (__get_cpuid_max(0, 0) >= 7) {
        __cpuid_count(7, 0, a, b, c, d);
        if ((b & (1u << 5)) && ymm) f |= CK_CPU_AVX2;
        if (zmm) {
            if (b & (1u << 16)) f |= CK_CPU_AVX512F;
            if (b & (1u << 17)) f |= CK_CPU_AVX512DQ;
            if (b & (1u << 30)) f |= CK_CPU_AVX512BW;
            if (b & (1u << 31)) f |= CK_CPU_AVX512VL;
            if (c & (1u << 11)) f |= CK_CPU_AVX512VNNI;
            if (d & (1u << 23)) f |= CK_CPU_AVX512FP16;
        }
        if (tiles && (d & (1u << 24))) f |= CK_CPU_AMX;
        unsigned a1, b1, c1, d1;
        __cpuid_count(7, 1, a1, b1, c1, d1);
        if (zmm && (a1 & (1u << 5))) f |= CK_CPU_AVX512BF16;
        if (ymm && (a1 & (1u << 4))) f |= CK_CPU_AVXVNNI;
    }
    return f;
}

void ck_cpu_vendor(char out[13]) {
    unsigned a, b, c, d;
    memset(out, 0, 13);
    if (!__get_cpuid(0, &a, &b, &c, &d)) return;
    memcpy(out, &b, 4); memcpy(out + 4, &d, 4); memcpy(out + 8, &c, 4);
}

void ck_cpu_family_model(int *family, int *model) {
    unsigned a = 0, b, c, d;
    __get_cpuid(1, &a, &b, &c, &d);
    int fam = (a >> 8) & 0xF, mod = (a >> 4) & 0xF;
    if (fam == 0xF) fam += (a >> 20) & 0xFF;
    if (fam == 0x6 || fam >= 0xF) mod += ((a >> 16) & 0xF) << 4;
    *family = fam; *model = mod;
}

int ck_isa_supported(ck_isa isa) {
    uint32_t f = ck_cpu_features();
    const uint32_t avx2 = CK_CPU_AVX2 | CK_CPU_FMA;
    const uint32_t avx512 = avx2 | CK_CPU_AVX512F | CK_CPU_AVX512BW | CK_CPU_AVX512DQ | CK_CPU_AVX512VL;
    switch (isa) {
    case CK_ISA_GENERIC: return 1;
    case CK_ISA_AVX2: case CK_ISA_AVX2_W16: return (f & avx2) == avx2;
    case CK_ISA_AVX512: return (f & avx512) == avx512;
    }
    return 0;
}

ck_isa ck_isa_best(void) {
    if (ck_isa_supported(CK_ISA_AVX512)) return CK_ISA_AVX512;
    if (ck_isa_supported(CK_ISA_AVX2)) return CK_ISA_AVX2;
    return CK_ISA_GENERIC;
}

const char *ck_isa_name(ck_isa isa) {
    switch (isa) {
    case CK_ISA_GENERIC: return "generic";
    case CK_ISA_AVX2: return "avx2";
    case CK_ISA_AVX2_W16: return "avx2-w16";
    case CK_ISA_AVX512: return "avx512";
    }
    return "?";
}

const char *ck_blas_corename(void) { return openblas_get_corename(); }
const char *ck_blas_config(void) { return openblas_get_config(); }

int ck_blas_use_core(const char *name) {
    if (!gotoblas_dynamic_init || !gotoblas_dynamic_quit || !name) return 0;
    const char *prev = getenv("OPENBLAS_CORETYPE");
    char saved[64] = {0};
    if (prev) strncpy(saved, prev, sizeof saved - 1);
    setenv("OPENBLAS_CORETYPE", name, 1);
    gotoblas_dynamic_quit();
    gotoblas_dynamic_init();
    if (prev) setenv("OPENBLAS_CORETYPE", saved, 1); else unsetenv("OPENBLAS_CORETYPE");
    return strcasecmp(openblas_get_corename(), name) == 0;
}
