import SRKernels
import SRMedia
import SRTensor

/// An error a user can act on (`description`) with its exit code; every module's error enum is one.
public typealias UserFacingError = SRTensor.UserFacingError

/// A value behind a mutex (the project's one lock primitive).
public typealias Locked<Value> = SRTensor.Locked<Value>

/// How a video stream is encoded (codec, CRF, preset, pixel format, private options).
public typealias EncoderSettings = SRMedia.EncoderSettings

/// Process start-up and shutdown of the engine.
public enum Engine {
    /// Before any BLAS call: replaces OpenBLAS's generic fallback kernels on CPUs it does not
    /// recognise by the ones the CPU supports (a user's `OPENBLAS_CORETYPE` wins), and sets
    /// OpenBLAS to one thread per call (jobs split their GEMMs per `ExecutionContext`).
    /// Call once from the main thread before starting work; later calls do nothing.
    public static func prepare() { BLASCore.prepare() }

    /// Deletes every temporary output still being written (on an interrupt, before exiting),
    /// so that nothing half-written is left beside the user's files.
    public static func removeTemporaryFiles() { TemporaryFiles.removeAll() }
}
