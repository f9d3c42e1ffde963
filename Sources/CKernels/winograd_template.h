// Winograd F(6x6, 3x3) tile transforms, one variant per inclusion (see simd.h). Channels run in
// the SIMD lanes: an input tile of L channels is read as 8 rows of 8 pixels per channel and
// transposed in registers, so every load and store is a contiguous vector.
#include <cblas.h>
#include <math.h>

#define VF CK_VF
#define FN static inline __attribute__((always_inline)) CK_TARGET
#define F(name) CK_CAT(name, CK_SUFFIX)

FN VF F(ld)(const float *p) { VF v; memcpy(&v, p, sizeof v); return v; }
FN void F(st)(float *p, VF v) { memcpy(p, &v, sizeof v); }
FN VF F(splat)(float s) { VF v; for (int i = 0; i < CK_L; i++) v[i] = s; return v; }

#if CK_L == 8
/// In-place transpose of 8 vectors of 8 floats (r[i][j] -> r[j][i]).
FN void F(trans)(VF *r) {
    VF t0 = __builtin_shufflevector(r[0], r[1], 0, 8, 1, 9, 4, 12, 5, 13);
    VF t1 = __builtin_shufflevector(r[0], r[1], 2, 10, 3, 11, 6, 14, 7, 15);
    VF t2 = __builtin_shufflevector(r[2], r[3], 0, 8, 1, 9, 4, 12, 5, 13);
    VF t3 = __builtin_shufflevector(r[2], r[3], 2, 10, 3, 11, 6, 14, 7, 15);
    VF t4 = __builtin_shufflevector(r[4], r[5], 0, 8, 1, 9, 4, 12, 5, 13);
    VF t5 = __builtin_shufflevector(r[4], r[5], 2, 10, 3, 11, 6, 14, 7, 15);
    VF t6 = __builtin_shufflevector(r[6], r[7], 0, 8, 1, 9, 4, 12, 5, 13);
    VF t7 = __builtin_shufflevector(r[6], r[7], 2, 10, 3, 11, 6, 14, 7, 15);
    VF s0 = __builtin_shufflevector(t0, t2, 0, 1, 8, 9, 4, 5, 12, 13);
    VF s1 = __builtin_shufflevector(t0, t2, 2, 3, 10, 11, 6, 7, 14, 15);
    VF s2 = __builtin_shufflevector(t1, t3, 0, 1, 8, 9, 4, 5, 12, 13);
    VF s3 = __builtin_shufflevector(t1, t3, 2, 3, 10, 11, 6, 7, 14, 15);
    VF s4 = __builtin_shufflevector(t4, t6, 0, 1, 8, 9, 4, 5, 12, 13);
    VF s5 = __builtin_shufflevector(t4, t6, 2, 3, 10, 11, 6, 7, 14, 15);
    VF s6 = __builtin_shufflevector(t5, t7, 0, 1, 8, 9, 4, 5, 12, 13);
    VF s7 = __builtin_shufflevector(t5, t7, 2, 3, 10, 11, 6, 7, 14, 15);
    r[0] = __builtin_shufflevector(s0, s4, 0, 1, 2, 3, 8, 9, 10, 11);
    r[1] = __builtin_shufflevector(s1, s5, 0, 1, 2, 3, 8, 9, 10, 11);
    r[2] = __builtin_shufflevector(s2, s6, 0, 1, 2, 3, 8, 9, 10, 11);
    r[3] = __builtin_shufflevector(s3, s7, 0, 1, 2, 3, 8, 9, 10, 11);
    r[4] = __builtin_shufflevector(s0, s4, 4, 5, 6, 7, 12, 13, 14, 15);
    r[5] = __builtin_shufflevector(s1, s5, 4, 5, 6, 7, 12, 13, 14, 15);
    r[6] = __builtin_shufflevector(s2, s6, 4, 5, 6, 7, 12, 13, 14, 15);
    r[7] = __builtin_shufflevector(s3, s7, 4, 5, 6, 7, 12, 13, 14, 15);
}

/// The 8 pixels at `p` of one channel.
FN VF F(ld_pixels)(const float *p, size_t plane) { (void)plane; return F(ld)(p); }
/// Stores the 6 outputs of lane group `q` of `v` (one channel per 8-float group) at `d`.
FN void F(st6)(float *d, VF v, int q) { (void)q; memcpy(d, &v, 6 * sizeof(float)); }
#else
/// Transposes the two 8x8 blocks held in the 256-bit halves of 8 vectors, in place
/// (r[i][h * 8 + j] -> r[j][h * 8 + i]): the same 24 shuffles as an 8x8 transpose, on 16 lanes.
FN void F(trans)(VF *r) {
    VF t0 = __builtin_shufflevector(r[0], r[1], 0, 16, 1, 17, 4, 20, 5, 21, 8, 24, 9, 25, 12, 28, 13, 29);
    VF t1 = __builtin_shufflevector(r[0], r[1], 2, 18, 3, 19, 6, 22, 7, 23, 10, 26, 11, 27, 14, 30, 15, 31);
    VF t2 = __builtin_shufflevector(r[2], r[3], 0, 16, 1, 17, 4, 20, 5, 21, 8, 24, 9, 25, 12, 28, 13, 29);
    VF t3 = __builtin_shufflevector(r[2], r[3], 2, 18, 3, 19, 6, 22, 7, 23, 10, 26, 11, 27, 14, 30, 15, 31);
    VF t4 = __builtin_shufflevector(r[4], r[5], 0, 16, 1, 17, 4, 20, 5, 21, 8, 24, 9, 25, 12, 28, 13, 29);
    VF t5 = __builtin_shufflevector(r[4], r[5], 2, 18, 3, 19, 6, 22, 7, 23, 10, 26, 11, 27, 14, 30, 15, 31);
    VF t6 = __builtin_shufflevector(r[6], r[7], 0, 16, 1, 17, 4, 20, 5, 21, 8, 24, 9, 25, 12, 28, 13, 29);
    VF t7 = __builtin_shufflevector(r[6], r[7], 2, 18, 3, 19, 6, 22, 7, 23, 10, 26, 11, 27, 14, 30, 15, 31);
    VF s0 = __builtin_shufflevector(t0, t2, 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29);
    VF s1 = __builtin_shufflevector(t0, t2, 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31);
    VF s2 = __builtin_shufflevector(t1, t3, 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29);
    VF s3 = __builtin_shufflevector(t1, t3, 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31);
    VF s4 = __builtin_shufflevector(t4, t6, 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29);
    VF s5 = __builtin_shufflevector(t4, t6, 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31);
    VF s6 = __builtin_shufflevector(t5, t7, 0, 1, 16, 17, 4, 5, 20, 21, 8, 9, 24, 25, 12, 13, 28, 29);
    VF s7 = __builtin_shufflevector(t5, t7, 2, 3, 18, 19, 6, 7, 22, 23, 10, 11, 26, 27, 14, 15, 30, 31);
    r[0] = __builtin_shufflevector(s0, s4, 0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27);
    r[1] = __builtin_shufflevector(s1, s5, 0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27);
    r[2] = __builtin_shufflevector(s2, s6, 0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27);
    r[3] = __builtin_shufflevector(s3, s7, 0, 1, 2, 3, 16, 17, 18, 19, 8, 9, 10, 11, 24, 25, 26, 27);
    r[4] = __builtin_shufflevector(s0, s4, 4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31);
    r[5] = __builtin_shufflevector(s1, s5, 4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31);
    r[6] = __builtin_shufflevector(s2, s6, 4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31);
    r[7] = __builtin_shufflevector(s3, s7, 4, 5, 6, 7, 20, 21, 22, 23, 12, 13, 14, 15, 28, 29, 30, 31);
}

/// The 8 pixels at `p` of one channel (lanes 0-7) and of the channel 8 planes on (lanes 8-15).
FN VF F(ld_pixels)(const float *p, size_t plane) {
    ck_v8 a, b;
    memcpy(&a, p, sizeof a); memcpy(&b, p + 8 * plane, sizeof b);
    return __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
}
/// Stores the first 6 floats of the 8-lane group `q` of `v` at `d`.
FN void F(st6)(float *d, VF v, int q) {
    ck_v8 h = q == 0 ? __builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7) : __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15);
    memcpy(d, &h, 6 * sizeof(float));
}
#endif

/// Bᵀ along one index: d[k * s] in, o[k * s] out (k = 0..7).
FN void F(bt)(const VF *d, VF *o, int s) {
    VF d0 = d[0], d1 = d[s], d2 = d[2 * s], d3 = d[3 * s], d4 = d[4 * s], d5 = d[5 * s], d6 = d[6 * s], d7 = d[7 * s];
    VF t1 = d2 + d6 - d4 * 4.25f, t2 = d1 + d5 - d3 * 4.25f;
    VF t3 = d6 + d2 * 0.25f - d4 * 1.25f, t4 = d1 * 0.5f - d3 * 2.5f + d5 * 2.0f;
    VF t5 = d6 + (d2 - d4 * 1.25f) * 4.0f, t6 = d1 * 2.0f - d3 * 2.5f + d5 * 0.5f;
    o[0] = d0 - d6 + (d4 - d2) * 5.25f; o[s] = t1 + t2; o[2 * s] = t1 - t2; o[3 * s] = t3 + t4;
    o[4 * s] = t3 - t4; o[5 * s] = t5 + t6; o[6 * s] = t5 - t6; o[7 * s] = d7 - d1 + (d3 - d5) * 5.25f;
}

/// Aᵀ along one index: m[k * s] (k = 0..7) in, y[k * ys] (k = 0..5) out.
FN void F(at)(const VF *m, int s, VF *y, int ys) {
    VF m0 = m[0], m1 = m[s], m2 = m[2 * s], m3 = m[3 * s], m4 = m[4 * s], m5 = m[5 * s], m6 = m[6 * s], m7 = m[7 * s];
    VF t1 = m1 + m2, t2 = m1 - m2, t3 = m3 + m4, t4 = m3 - m4, t5 = m5 + m6, t6 = m5 - m6;
    y[0] = m0 + t1 + t3 + t5 * 32.0f; y[ys] = t2 + t4 * 2.0f + t6 * 16.0f; y[2 * ys] = t1 + t3 * 4.0f + t5 * 8.0f;
    y[3 * ys] = t2 + t4 * 8.0f + t6 * 4.0f; y[4 * ys] = t1 + t3 * 16.0f + t5 * 2.0f; y[5 * ys] = m7 + t2 + t4 * 32.0f + t6;
}

/// Second half of an input transform: `d` holds Bᵀ applied along each of the 8 rows; applies it
/// down the columns and stores the 64 vectors at `v + xi * vs`.
FN void F(input_finish)(const VF *d, float *v, size_t vs) {
    VF e[64];
    for (int c = 0; c < 8; c++) F(bt)(d + c, e + c, 8);
    for (int xi = 0; xi < 64; xi++) F(st)(v + xi * vs, e[xi]);
}

/// Transforms the 8x8 window of L channel planes at `p` (plane stride `plane`, row stride `row`)
/// and stores the 64 vectors at `v + xi * vs`.
FN void F(input_tile)(const float *p, size_t plane, size_t row, float *v, size_t vs) {
    VF d[64];
    for (int r = 0; r < 8; r++) {
        // rowv[k]: row r of channel k (and k + 8); transposed, rowv[c] holds pixel c of every channel.
        VF rowv[8];
        for (int k = 0; k < 8; k++) rowv[k] = F(ld_pixels)(p + k * plane + r * row, plane);
        F(trans)(rowv);
        F(bt)(rowv, d + r * 8, 1);
    }
    F(input_finish)(d, v, vs);
}

/// The same for channel-blocked input: pixel (r, c) of the L channels is the vector at
/// `p + r * row + c * px`, so no transposes are needed.
FN void F(input_tile_blocked)(const float *p, size_t row, size_t px, float *v, size_t vs) {
    VF d[64];
    for (int r = 0; r < 8; r++) {
        VF rowv[8];
        for (int c = 0; c < 8; c++) rowv[c] = F(ld)(p + r * row + c * px);
        F(bt)(rowv, d + r * 8, 1);
    }
    F(input_finish)(d, v, vs);
}

/// The activation of `job` on `v`; `slope` holds the negative slopes of the L channels.
FN VF F(activate)(VF v, const ck_winograd *job, VF slope) {
    VF zero = F(splat)(0);
    switch (job->act) {
    case CK_ACT_NONE: return v;
    case CK_ACT_RELU: return __builtin_elementwise_max(v, zero);
    case CK_ACT_SLOPE: return __builtin_elementwise_max(v, zero) + slope * __builtin_elementwise_min(v, zero);
    case CK_ACT_CLIP: return __builtin_elementwise_min(__builtin_elementwise_max(v, F(splat)(job->clip_lo)), F(splat)(job->clip_hi));
    case CK_ACT_SIGMOID:
        for (int k = 0; k < CK_L; k++) v[k] = 1.0f / (1.0f + expf(-v[k]));
        return v;
    }
    return v;
}

/// Output transform of one tile for channels c0 ..< c0 + L: `m` holds its 64 vectors (stride
/// `ms`); writes the valid part of the 6x6 outputs with bias and activation.
FN void F(output_tile)(const ck_winograd *job, const float *m, size_t ms, int c0, int oy, int ox) {
    VF mv[64], z[48], y[36];
    for (int xi = 0; xi < 64; xi++) mv[xi] = F(ld)(m + xi * ms);
    for (int r = 0; r < 8; r++) F(at)(mv + r * 8, 1, z + r * 6, 1);
    for (int c = 0; c < 6; c++) F(at)(z + c, 6, y + c, 6);
    VF b = F(splat)(0), slope = F(splat)(0);
    if (job->bias) for (int k = 0; k < CK_L; k++) b[k] = c0 + k < job->co ? job->bias[c0 + k] : 0;
    if (job->act == CK_ACT_SLOPE) {
        if (job->slope_count == 1) slope = F(splat)(job->slopes[0]);
        else for (int k = 0; k < CK_L; k++) slope[k] = c0 + k < job->co ? job->slopes[c0 + k] : 0;
    }
    for (int i = 0; i < 36; i++) y[i] = F(activate)(y[i] + b, job, slope);
    int rows = job->oh - oy < 6 ? job->oh - oy : 6, cols = job->ow - ox < 6 ? job->ow - ox : 6;
    int chans = job->co - c0 < CK_L ? job->co - c0 : CK_L;
    size_t oplane = (size_t)job->oh * job->ow;
    if (job->blocked_out) { // [co / 16][oh][ow][16]: one vector per output pixel
        float *base = job->out + (size_t)(c0 / 16) * 16 * oplane + (c0 % 16);
        for (int i = 0; i < rows; i++)
            for (int c = 0; c < cols; c++) F(st)(base + ((size_t)(oy + i) * job->ow + ox + c) * 16, y[i * 6 + c]);
        return;
    }
    for (int i = 0; i < rows; i++) {
        VF t[8];
        for (int c = 0; c < 6; c++) t[c] = y[i * 6 + c];
        t[6] = t[7] = F(splat)(0);
        F(trans)(t); // t[k]: the 6 outputs of channel k (lanes 0-7) and k + 8 (lanes 8-15)
        for (int q = 0; q < CK_L / 8; q++) {
            for (int k = 0; k < 8 && q * 8 + k < chans; k++) {
                float *d = job->out + (size_t)(c0 + q * 8 + k) * oplane + (size_t)(oy + i) * job->ow + ox;
                if (cols == 6) F(st6)(d, t[k], q);
                else for (int c = 0; c < cols; c++) d[c] = t[k][q * 8 + c];
            }
        }
    }
}

#include "small_gemm_template.h"

CK_TARGET void F(ck_winograd_tiles)(const ck_winograd *job, int first, int count, float *scratch) {
    const int ci = job->ci, co = job->co;
    const int cip = (ci + 15) / 16 * 16, cop = (co + 15) / 16 * 16;
    const size_t plane = (size_t)job->h * job->w;
    // Tile-major scratch, [tile][ξ][channel]: the 64 vectors a tile transform stores (and the 64
    // the output transform loads) are adjacent, so they stream through L1 instead of touching 64
    // scattered lines; the GEMM of one ξ then reads rows `ts` floats apart. One cache line of
    // padding per tile keeps those rows out of a single L1 set.
    const size_t tsv = (size_t)64 * cip + 16, tsm = (size_t)64 * cop + 16;
    float *vt = scratch, *mt = scratch + (size_t)count * tsv;
    float win[CK_L * 64];
    for (int j = 0; j < count; j++) {
        int t = first + j, ty = t / job->tiles_x, tx = t % job->tiles_x;
        int y0 = ty * 6 - job->pad_top, x0 = tx * 6 - job->pad_left;
        int inside = y0 >= 0 && x0 >= 0 && y0 + 8 <= job->h && x0 + 8 <= job->w;
        for (int c0 = 0; c0 < ci; c0 += CK_L) {
            float *v = vt + (size_t)j * tsv + c0;
            if (job->blocked_in) { // [ci / 16][h][w][16]
                const float *base = job->x + (size_t)(c0 / 16) * 16 * plane + (c0 % 16);
                if (inside) {
                    F(input_tile_blocked)(base + ((size_t)y0 * job->w + x0) * 16, (size_t)job->w * 16, 16, v, cip);
                    continue;
                }
                for (int r = 0; r < 8; r++) {
                    for (int c = 0; c < 8; c++) {
                        int yy = y0 + r, xx = x0 + c;
                        float *dst = win + (r * 8 + c) * CK_L;
                        if (yy >= 0 && yy < job->h && xx >= 0 && xx < job->w) memcpy(dst, base + ((size_t)yy * job->w + xx) * 16, CK_L * sizeof(float));
                        else for (int k = 0; k < CK_L; k++) dst[k] = job->pad_value;
                    }
                }
                F(input_tile_blocked)(win, 8 * CK_L, CK_L, v, cip);
                continue;
            }
            if (inside && c0 + CK_L <= ci) {
                F(input_tile)(job->x + c0 * plane + (size_t)y0 * job->w + x0, plane, job->w, v, cip);
                continue;
            }
            // Border tile or channel remainder: gather the window row by row (pad outside).
            int cx0 = x0 < 0 ? -x0 : 0, cx1 = job->w - x0 < 8 ? job->w - x0 : 8;
            for (int k = 0; k < CK_L; k++) {
                for (int r = 0; r < 8; r++) {
                    float *dst = win + k * 64 + r * 8;
                    int yy = y0 + r;
                    if (c0 + k >= ci) { memset(dst, 0, 8 * sizeof(float)); continue; }
                    if (yy < 0 || yy >= job->h || cx1 <= cx0) { for (int c = 0; c < 8; c++) dst[c] = job->pad_value; continue; }
                    for (int c = 0; c < cx0; c++) dst[c] = job->pad_value;
                    memcpy(dst + cx0, job->x + (size_t)(c0 + k) * plane + (size_t)yy * job->w + x0 + cx0, (size_t)(cx1 - cx0) * sizeof(float));
                    for (int c = cx1; c < 8; c++) dst[c] = job->pad_value;
                }
            }
            F(input_tile)(win, 64, 8, v, cip);
        }
    }
    if (cop > co)
        for (int xi = 0; xi < 64; xi++)
            for (int j = 0; j < count; j++) memset(mt + (size_t)j * tsm + (size_t)xi * cop + co, 0, (size_t)(cop - co) * sizeof(float));
    const int small = co % CK_L == 0 && co <= CK_SMALL_GEMM && ci <= CK_SMALL_GEMM;
    for (int xi = 0; xi < 64; xi++)
        if (small) F(small_gemm)(count, co, ci, vt + (size_t)xi * cip, tsv, job->u + (size_t)xi * co * ci, mt + (size_t)xi * cop, tsm);
        else cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, count, co, ci, 1.0f, vt + (size_t)xi * cip, (int)tsv,
                    job->u + (size_t)xi * co * ci, co, 0.0f, mt + (size_t)xi * cop, (int)tsm);
    for (int j = 0; j < count; j++) {
        int t = first + j, ty = t / job->tiles_x, tx = t % job->tiles_x;
        for (int c0 = 0; c0 < co; c0 += CK_L) F(output_tile)(job, mt + (size_t)j * tsm + c0, cop, c0, ty * 6, tx * 6);
    }
}

#undef VF
#undef FN
#undef F
