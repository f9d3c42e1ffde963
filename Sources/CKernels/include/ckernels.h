#ifndef UPSCALE_CKERNELS_H
#define UPSCALE_CKERNELS_H
/// Small C kernels with run-time CPU dispatch (AVX2 / AVX-512), for the hot loops Swift cannot
/// compile for an ISA chosen at run time. Each kernel exists in several variants of the same
/// source (`ck_isa`); `ck_isa_best()` picks the widest one this CPU and OS support. GEMMs stay
/// on OpenBLAS (`cblas_sgemm`). All functions are reentrant and thread-safe.
#include <stddef.h>
#include <stdint.h>

/// Kernel variants. `CK_ISA_AVX2_W16` is the AVX-512 source (16-float lanes) compiled for AVX2, so
/// that the 16-lane code is tested on machines without AVX-512.
typedef enum {
    CK_ISA_GENERIC = 0,   ///< baseline x86-64 (SSE2), 8-float lanes
    CK_ISA_AVX2 = 1,      ///< AVX2 + FMA, 8-float lanes
    CK_ISA_AVX2_W16 = 2,  ///< AVX2 + FMA, 16-float lanes (the AVX-512 code path's logic)
    CK_ISA_AVX512 = 3,    ///< AVX-512 F/BW/DQ/VL + FMA, 16-float lanes
} ck_isa;

/// CPU feature bits reported by `ck_cpu_features` (usable by the OS: XSAVE state checked).
typedef enum {
    CK_CPU_SSE42 = 1 << 0, CK_CPU_AVX = 1 << 1, CK_CPU_AVX2 = 1 << 2, CK_CPU_FMA = 1 << 3,
    CK_CPU_AVX512F = 1 << 4, CK_CPU_AVX512BW = 1 << 5, CK_CPU_AVX512DQ = 1 << 6, CK_CPU_AVX512VL = 1 << 7,
    CK_CPU_AVX512VNNI = 1 << 8, CK_CPU_AVX512BF16 = 1 << 9, CK_CPU_AVX512FP16 = 1 << 10,
    CK_CPU_AMX = 1 << 11, CK_CPU_AVXVNNI = 1 << 12,
} ck_cpu_bit;

/// The CPU's usable features (`CK_CPU_*` bits), from cpuid and xgetbv.
uint32_t ck_cpu_features(void);
/// The cpuid vendor string ("GenuineIntel", "AuthenticAMD", ...) into `out` (13 bytes).
void ck_cpu_vendor(char out[13]);
/// cpuid family (with extended family) and model (with extended model).
void ck_cpu_family_model(int *family, int *model);
/// The widest variant this CPU runs.
ck_isa ck_isa_best(void);
/// True when this CPU can run variant `isa`.
int ck_isa_supported(ck_isa isa);
/// Short name of a variant ("avx2", "avx512", ...).
const char *ck_isa_name(ck_isa isa);
/// The name of OpenBLAS's kernel set in use ("Haswell", "Zen", "Prescott", ...).
const char *ck_blas_corename(void);
/// OpenBLAS's build configuration string (version, DYNAMIC_ARCH, ...).
const char *ck_blas_config(void);
/// Makes OpenBLAS (a DYNAMIC_ARCH build) use kernel set `name` ("Haswell", "SkylakeX", "Zen",
/// "Prescott", ...) from now on, as `OPENBLAS_CORETYPE=name` would at start-up; the environment
/// is left as it was. Returns 1 when the core in use is then `name`, 0 otherwise (unknown name,
/// a CPU that lacks its instructions, or an OpenBLAS without run-time core selection).
/// Not thread-safe: call it before any other thread runs BLAS (at start-up).
int ck_blas_use_core(const char *name);

/// Activation fused into a kernel's output.
typedef enum { CK_ACT_NONE = 0, CK_ACT_RELU = 1, CK_ACT_SLOPE = 2, CK_ACT_CLIP = 3, CK_ACT_SIGMOID = 4 } ck_act;

/// One image of a Winograd F(6x6, 3x3) convolution (3x3, stride 1).
typedef struct {
    const float *x;          ///< input planes [ci][h][w]
    int h, w, ci, co;
    const float *u;          ///< transformed weights [64][ci][co]
    float *out;              ///< output planes [co][oh][ow]
    int oh, ow, tiles_x;     ///< output size, tiles (6x6 outputs) per row
    int pad_top, pad_left;   ///< input padding before the first row / column
    float pad_value;         ///< value outside the input planes
    const float *bias;       ///< co values, or NULL
    ck_act act;
    const float *slopes;     ///< CK_ACT_SLOPE: 1 or co negative slopes
    int slope_count;
    float clip_lo, clip_hi;  ///< CK_ACT_CLIP bounds
    int blocked_in;          ///< x is channel-blocked, [ci / 16][h][w][16] (needs ci % 16 == 0)
    int blocked_out;         ///< out is channel-blocked, [co / 16][oh][ow][16] (needs co % 16 == 0)
} ck_winograd;

/// Floats of scratch one worker needs for blocks of up to `block_tiles` tiles.
size_t ck_winograd_scratch(const ck_winograd *job, int block_tiles);
/// Computes output tiles `first ..< first + count` (raster order) of `job`: input transform
/// (channels in SIMD lanes) into tile-major scratch `[tile][ξ][ci]`, 64 `cblas_sgemm`
/// products (`NoTrans x NoTrans`, one per ξ), output transform with bias and activation.
/// Channel-blocked sides (`blocked_in`, `blocked_out`) are read and written as whole vectors;
/// planes go through 8x8 register transposes. `scratch` holds `ck_winograd_scratch(job, count)` floats owned by the caller.
/// Distinct tile ranges may run on different threads at once (they write disjoint outputs).
void ck_winograd_tiles(const ck_winograd *job, int first, int count, float *scratch, ck_isa isa);

/// `p[i] = act(p[i] + bias)` over `count` floats (one channel's run), in place.
void ck_bias_act(float *p, size_t count, float bias, ck_act act, float slope, float lo, float hi, ck_isa isa);
/// `dst[i] = a[i] + b[i]` over `count` floats (dst may be a or b).
void ck_add(float *dst, const float *a, const float *b, size_t count, ck_isa isa);
/// `p[i] = p[i] / (1 + exp(-p[i]))` (SiLU) over `count` floats, in place (vector exp, rel. error < 1e-6).
void ck_silu(float *p, size_t count, ck_isa isa);

#endif
