// The Winograd products of small layers, included by winograd_template.h once per kernel variant
// (VF, FN and F come from there).
// C[count x co] (row stride ldc) = V[count x ci] (row stride ldv) U[ci x co] (dense rows), for
// small channel counts (co a multiple of CK_L, ci and co at most CK_SMALL_GEMM): U (at most 16 KB)
// stays in L1 and is read in place, so no packing, no separate zeroing pass of C (OpenBLAS spends
// more on those than on the products at 32 channels). 4 rows x 2 vectors of accumulators.
#ifndef CK_SMALL_GEMM
#define CK_SMALL_GEMM 64
#endif
FN void F(small_gemm_rows)(int rows, int co, int ci, const float *v, size_t ldv, const float *u, float *c, size_t ldc) {
    const float *v0 = v, *v1 = v + ldv * (rows > 1), *v2 = v + 2 * ldv * (rows > 2), *v3 = v + 3 * ldv * (rows > 3);
    int c0 = 0;
    for (; c0 + 2 * CK_L <= co; c0 += 2 * CK_L) {
        VF a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0}, b0 = {0}, b1 = {0}, b2 = {0}, b3 = {0};
        for (int k = 0; k < ci; k++) {
            VF w, x;
            memcpy(&w, u + (size_t)k * co + c0, sizeof w);
            memcpy(&x, u + (size_t)k * co + c0 + CK_L, sizeof x);
            a0 += v0[k] * w; b0 += v0[k] * x;
            a1 += v1[k] * w; b1 += v1[k] * x;
            a2 += v2[k] * w; b2 += v2[k] * x;
            a3 += v3[k] * w; b3 += v3[k] * x;
        }
        VF acc[8] = { a0, b0, a1, b1, a2, b2, a3, b3 };
        for (int r = 0; r < rows; r++) memcpy(c + (size_t)r * ldc + c0, &acc[2 * r], 2 * sizeof(VF));
    }
    for (; c0 < co; c0 += CK_L) {
        VF a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
        for (int k = 0; k < ci; k++) {
            VF w;
            memcpy(&w, u + (size_t)k * co + c0, sizeof w);
            a0 += v0[k] * w; a1 += v1[k] * w; a2 += v2[k] * w; a3 += v3[k] * w;
        }
        VF acc[4] = { a0, a1, a2, a3 };
        for (int r = 0; r < rows; r++) memcpy(c + (size_t)r * ldc + c0, &acc[r], sizeof(VF));
    }
}

FN void F(small_gemm)(int count, int co, int ci, const float *v, size_t ldv, const float *u, float *c, size_t ldc) {
    for (int j = 0; j < count; j += 4)
        F(small_gemm_rows)(count - j < 4 ? count - j : 4, co, ci, v + (size_t)j * ldv, ldv, u, c + (size_t)j * ldc, ldc);
}
