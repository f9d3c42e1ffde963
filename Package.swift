// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "upscale",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "upscale", targets: ["upscale"]),
        .executable(name: "upscale-fuzz", targets: ["upscale-fuzz"]),
        .library(name: "SRModels", targets: ["SRModels"]),
        .library(name: "SRMedia", targets: ["SRMedia"]),
        .library(name: "SRPipeline", targets: ["SRPipeline"]),
        .library(name: "SRTraining", targets: ["SRTraining"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // System libraries (Debian's -dev packages; `make deps` installs them).
        .systemLibrary(
            name: "CFFmpeg", path: "Sources/CFFmpeg", pkgConfig: "libavformat",
            providers: [.apt(["libavformat-dev", "libavcodec-dev", "libswscale-dev", "libavutil-dev"])]),
        .systemLibrary(
            name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]),

        // Tensor type and plain reference operators (the ground truth fast kernels are tested against).
        .target(name: "SRTensor", swiftSettings: optimize),
        // C kernels with run-time CPU dispatch (AVX2 / AVX-512 variants of one source), CPU features.
        .target(name: "CKernels", dependencies: ["COpenBLAS"], cSettings: [.unsafeFlags(["-O3", "-ffp-contract=fast"])]),
        // Fast operators: im2col + cblas_sgemm, Winograd, SIMD element-wise kernels.
        .target(name: "SRKernels", dependencies: ["SRTensor", "COpenBLAS", "CKernels"], swiftSettings: optimize),
        // Reverse-mode autograd over tensors (GEMM-based convolution), Adam and schedules.
        .target(name: "SRAutograd", dependencies: ["SRTensor", "SRKernels"], swiftSettings: optimize),
        // The built-in models' safetensors files, compiled in with C23 #embed.
        .target(name: "CBuiltinModels", exclude: ["models"], cSettings: [.unsafeFlags(["-std=c23"])]),
        // Layers, graphs, the ncnn importer, trainable architectures, the model registry and zoo.
        .target(name: "SRModels", dependencies: ["SRTensor", "SRKernels", "SRAutograd", "CBuiltinModels"], swiftSettings: optimize),
        // Training losses: one file per loss, one registry line each.
        .target(name: "SRLosses", dependencies: ["SRTensor", "SRKernels", "SRAutograd", "SRModels"], swiftSettings: optimize),
        // Tile plans, overlap blending and parallel tiled inference (seam-free by construction).
        .target(name: "SRTiling", dependencies: ["SRTensor", "SRKernels"], swiftSettings: optimize),
        // FFmpeg wrapping: the only importer of CFFmpeg.
        .target(name: "SRMedia", dependencies: ["CFFmpeg", "SRTensor", "SRKernels"], swiftSettings: optimize),
        // Jobs: what one CLI call runs (image, and later video, frames, batch), from a typed configuration.
        .target(name: "SRDegrade", dependencies: ["SRMedia", "SRKernels", "SRAutograd", "SRTensor"], swiftSettings: optimize),

        .target(name: "SRPipeline", dependencies: ["SRDegrade", "SRModels", "SRLosses", "SRAutograd", "SRTiling", "SRMedia", "SRKernels", "SRTensor"], swiftSettings: optimize),
        // Training: config and its TOML file, the job, sampler, checkpoints, validation.
        .target(name: "SRTraining", dependencies: ["SRDegrade", "SRPipeline", "SRLosses", "SRModels", "SRAutograd", "SRMedia", "SRKernels", "SRTensor"], swiftSettings: optimize),
        // The command-line tool: merges flags into typed configuration and makes one job call.
        .executableTarget(
            name: "upscale",
            dependencies: [
                "SRPipeline", "SRTraining",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: optimize),

        // libFuzzer entry points for the readers of untrusted files (`make fuzz`).
        .executableTarget(name: "upscale-fuzz", dependencies: ["SRPipeline", "SRTraining", "SRModels", "SRMedia"]),

        // Helpers shared by the test targets (finite-difference gradient checks).
        .target(name: "TestSupport", dependencies: ["SRAutograd", "SRTensor"], path: "Tests/TestSupport"),
        .testTarget(name: "SRTensorTests", dependencies: ["SRTensor"]),
        .testTarget(name: "SRAutogradTests", dependencies: ["SRAutograd", "SRKernels", "SRTensor", "TestSupport"]),
        .testTarget(name: "SRLossesTests", dependencies: ["SRLosses", "SRAutograd", "SRTensor", "SRModels", "SRMedia", "TestSupport"]),
        .testTarget(name: "SRKernelsTests", dependencies: ["SRTensor", "SRKernels", "CKernels"]),
        .testTarget(name: "SRModelsTests", dependencies: ["SRModels", "SRMedia", "SRAutograd"]),
        .testTarget(name: "SRMediaTests", dependencies: ["SRMedia"]),
        .testTarget(name: "SRDegradeTests", dependencies: ["SRDegrade", "SRMedia", "SRKernels", "SRAutograd", "SRTensor"]),
        .testTarget(name: "SRTilingTests", dependencies: ["SRTiling", "SRTensor", "SRKernels"]),
        .testTarget(name: "SRPipelineTests", dependencies: ["SRPipeline", "SRMedia", "SRTensor", "SRTiling", "SRModels", "SRKernels"]),
        .testTarget(name: "SRTrainingTests", dependencies: ["SRDegrade", "SRTraining", "SRPipeline", "SRLosses", "SRAutograd", "SRMedia", "SRTensor",
                                                            "SRModels", "SRKernels"]),
        .testTarget(name: "UpscaleCLITests", dependencies: ["upscale", "SRMedia", "SRTensor"], exclude: ["Snapshots"]),
    ]
)

var optimize: [SwiftSetting] { [.unsafeFlags(["-Ounchecked", "-wmo", "-target-cpu", "haswell"], .when(configuration: .release))] }
