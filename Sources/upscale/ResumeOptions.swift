import ArgumentParser
import SRPipeline

/// Resumable segments: on by default for video outputs.
struct ResumeOptions: ParsableArguments {
    @Flag(name: .customLong("no-resume"), help: "One pass, no work folder: an interrupted run starts over.")
    var noResume = false

    @Flag(name: .long, help: "Discard the finished segments of an earlier, unfinished run of this output and start over.")
    var restart = false

    @Option(name: .customLong("segment-seconds"), help: ArgumentHelp(
        "Shortest resumable segment in seconds of video; segments start at keyframes (default 2).", valueName: "s"))
    var segmentSeconds: Double = 2

    /// Sets the resume fields of a video configuration.
    func apply(to config: inout VideoJobConfig) throws {
        guard segmentSeconds > 0, segmentSeconds.isFinite else {
            throw CLIFailure(message: "--segment-seconds must be a positive number of seconds (got \(segmentSeconds))")
        }
        config.resume = !noResume
        config.restart = restart
        config.segmentSeconds = segmentSeconds
    }
}
