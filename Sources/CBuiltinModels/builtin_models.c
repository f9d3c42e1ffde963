// Built-in models: safetensors files trained by `upscale train` (configs in presets/training/),
// embedded with C23 #embed so the default model needs no models folder and no download.
#include <string.h>
#include "builtin_models.h"

static const unsigned char real_x2[] = {
#embed "models/upscale-real-x2.safetensors"
};
static const unsigned char real_x4[] = {
#embed "models/upscale-real-x4.safetensors"
};
static const unsigned char fast_x2[] = {
#embed "models/upscale-fast-x2.safetensors"
};
static const unsigned char fast_x4[] = {
#embed "models/upscale-fast-x4.safetensors"
};
static const unsigned char gan_x4[] = {
#embed "models/upscale-gan-x4.safetensors"
};
static const unsigned char fcs_x4[] = {
#embed "models/upscale-fcs-x4.safetensors"
};
static const unsigned char fusion_x4[] = {
#embed "models/upscale-fusion-x4.safetensors"
};
static const unsigned char sr3_x4[] = {
#embed "models/upscale-sr3-x4.safetensors"
};

const unsigned char *upscale_builtin_model(const char *name, size_t *count) {
    if (strcmp(name, "upscale-real-x2") == 0) { *count = sizeof(real_x2); return real_x2; }
    if (strcmp(name, "upscale-real-x4") == 0) { *count = sizeof(real_x4); return real_x4; }
    if (strcmp(name, "upscale-fast-x2") == 0) { *count = sizeof(fast_x2); return fast_x2; }
    if (strcmp(name, "upscale-fast-x4") == 0) { *count = sizeof(fast_x4); return fast_x4; }
    if (strcmp(name, "upscale-gan-x4") == 0) { *count = sizeof(gan_x4); return gan_x4; }
    if (strcmp(name, "upscale-fcs-x4") == 0) { *count = sizeof(fcs_x4); return fcs_x4; }
    if (strcmp(name, "upscale-fusion-x4") == 0) { *count = sizeof(fusion_x4); return fusion_x4; }
    if (strcmp(name, "upscale-sr3-x4") == 0) { *count = sizeof(sr3_x4); return sr3_x4; }
    *count = 0;
    return NULL;
}
