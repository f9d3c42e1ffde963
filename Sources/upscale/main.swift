print("upscale")
