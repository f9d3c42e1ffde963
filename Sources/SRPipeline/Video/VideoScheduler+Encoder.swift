import SRMedia

/// The output encoder and its aspect ratio.
extension VideoScheduler {

    /// Opens an encoder for the output video (one per run, or one per segment).
    static func openEncoder(config: VideoJobConfig, plan: ScalePlan, demuxer: Demuxer, muxer: Muxer, color: ColorDescription,
                            aspect: Rational, first: MediaFrame, notes: (String) -> Void) throws -> VideoEncoder {
        try VideoEncoder(settings: config.encoder, width: plan.outputWidth, height: plan.outputHeight,
                         inputPixelFormat: demuxer.videoPixelFormat, timeBase: demuxer.videoStream.timeBase,
                         frameRate: demuxer.videoFrameRate, aspect: aspect, color: color,
                         globalHeader: muxer.needsGlobalHeader,
                         hdrParams: demuxer.hdrParameters(frame: first), threads: 2, notes: notes)
    }

    /// Another encoder with this run's settings (notes already given are not repeated).
    func makeEncoder() throws -> VideoEncoder {
        try VideoScheduler.openEncoder(config: config, plan: plan, demuxer: demuxer, muxer: muxer, color: color,
                                       aspect: sampleAspect, first: firstFrame, notes: { _ in })
    }

    /// The sample aspect ratio that keeps the display aspect when the output is not a uniform
    /// enlargement of the input.
    static func aspect(_ sar: Rational, input: (Int, Int), output: (Int, Int)) -> Rational {
        var num = sar.num * input.0 * output.1, den = sar.den * input.1 * output.0
        func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
        let g = max(1, gcd(num, den))
        num /= g; den /= g
        return Rational(num, den)
    }
}
