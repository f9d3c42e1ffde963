// Element-wise epilogues, one variant per inclusion (see simd.h).
#define VF CK_VF
#define F(name) CK_CAT(name, CK_SUFFIX)

static inline __attribute__((always_inline)) CK_TARGET VF F(esplat)(float s) { VF v; for (int i = 0; i < CK_L; i++) v[i] = s; return v; }

CK_TARGET void F(ck_bias_act)(float *p, size_t count, float bias, ck_act act, float slope, float lo, float hi) {
    size_t i = 0;
    VF b = F(esplat)(bias), z = F(esplat)(0), s = F(esplat)(slope), l = F(esplat)(lo), h = F(esplat)(hi);
    if (act != CK_ACT_SIGMOID) {
        for (; i + CK_L <= count; i += CK_L) {
            VF v; memcpy(&v, p + i, sizeof v);
            v += b;
            if (act == CK_ACT_RELU) v = __builtin_elementwise_max(v, z);
            else if (act == CK_ACT_SLOPE) v = __builtin_elementwise_max(v, z) + s * __builtin_elementwise_min(v, z);
            else if (act == CK_ACT_CLIP) v = __builtin_elementwise_min(__builtin_elementwise_max(v, l), h);
            memcpy(p + i, &v, sizeof v);
        }
    }
    for (; i < count; i++) {
        float v = p[i] + bias;
        switch (act) {
        case CK_ACT_NONE: break;
        case CK_ACT_RELU: v = v > 0 ? v : 0; break;
        case CK_ACT_SLOPE: v = v > 0 ? v : v * slope; break;
        case CK_ACT_CLIP: v = v < lo ? lo : (v > hi ? hi : v); break;
        case CK_ACT_SIGMOID: v = 1.0f / (1.0f + expf(-v)); break;
        }
        p[i] = v;
    }
}

CK_TARGET void F(ck_add)(float *dst, const float *a, const float *b, size_t count) {
    size_t i = 0;
    for (; i + CK_L <= count; i += CK_L) {
        VF x, y; memcpy(&x, a + i, sizeof x); memcpy(&y, b + i, sizeof y);
        x += y;
        memcpy(dst + i, &x, sizeof x);
    }
    for (; i < count; i++) dst[i] = a[i] + b[i];
}

typedef int F(vi) __attribute__((vector_size(CK_L * 4)));

// SiLU, x / (1 + e^-x), with e^t as 2^n · p(r) (t = n ln2 + r, |r| <= ln2/2, degree-6 Taylor
// polynomial: relative error below 2e-7), so the whole loop stays in vector registers.
CK_TARGET void F(ck_silu)(float *p, size_t count) {
    size_t i = 0;
    const VF lo = F(esplat)(-87.0f), hi = F(esplat)(87.0f), one = F(esplat)(1.0f);
    for (; i + CK_L <= count; i += CK_L) {
        VF x; memcpy(&x, p + i, sizeof x);
        VF t = __builtin_elementwise_min(__builtin_elementwise_max(-x, lo), hi);
        VF n = __builtin_elementwise_floor(t * 1.44269504f + 0.5f);
        VF r = t - n * 0.693145752f - n * 1.42860677e-6f;
        VF e = 1.0f + r * (1.0f + r * (0.5f + r * (0.166666667f + r * (0.0416666667f + r * (0.00833333333f + r * 0.00138888889f)))));
        F(vi) bits = (__builtin_convertvector(n, F(vi)) + 127) << 23;
        VF scale; memcpy(&scale, &bits, sizeof scale);
        x = x / (one + e * scale);
        memcpy(p + i, &x, sizeof x);
    }
    for (; i < count; i++) p[i] = p[i] / (1.0f + expf(-p[i]));
}

#undef VF
#undef F
