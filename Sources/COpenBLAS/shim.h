#ifndef UPSCALE_COPENBLAS_SHIM_H
#define UPSCALE_COPENBLAS_SHIM_H
#include <cblas.h>
#endif
