// Declares the vector type of the variant being instantiated (CK_VF: CK_L floats).
#if CK_L == 8
typedef ck_v8 CK_VF;
#else
typedef ck_v16 CK_VF;
#endif
