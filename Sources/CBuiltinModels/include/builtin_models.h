#ifndef UPSCALE_BUILTIN_MODELS_H
#define UPSCALE_BUILTIN_MODELS_H
#include <stddef.h>

/// The bytes of a built-in model's safetensors file compiled into the binary (models/NAME.safetensors),
/// or NULL when there is none of that name. `count` receives the byte count.
const unsigned char *upscale_builtin_model(const char *name, size_t *count);

#endif
