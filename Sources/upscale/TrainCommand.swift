import ArgumentParser
import Foundation
import SRPipeline
import SRTraining

/// `upscale train CONFIG.toml`: trains a zoo architecture and writes a `.safetensors` model.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a super-resolution network from a TOML config (weights saved as safetensors).",
        discussion: """
            The config names the network (type and settings), the scale, the losses with their
            weights, the optimizer and schedule, the data folders and when to validate and
            checkpoint; presets/training/ has one per architecture. Training pairs are random HR
            crops with LR made by MATLAB-style bicubic; validation reports PSNR-Y against bicubic.
            A checkpoint (<output>.ckpt) is written every checkpoint.every steps and on Ctrl-C;
            --resume continues from it with the same data order. The result runs anywhere a model
            name does: upscale image in.png -o out.png --model out.safetensors
            Examples:
              make data && upscale train presets/training/upscale-fast-x2.toml
              upscale train my.toml --steps 200 --output /tmp/try.safetensors --seed 7
              upscale train my.toml --resume
              upscale train my.toml --check
            """)

    @Argument(help: ArgumentHelp("The training config (TOML).", valueName: "config"))
    var config: String

    @Flag(name: .long, help: "Continue from the checkpoint <output>.ckpt when it exists.")
    var resume = false

    @Option(name: .long, help: ArgumentHelp("Override the number of steps.", valueName: "n"))
    var steps: Int?

    @Option(name: [.customShort("o"), .long], help: ArgumentHelp("Override the output path (.safetensors).", valueName: "path"))
    var output: String?

    @Option(name: .long, help: ArgumentHelp("Override the random seed (initial weights and the data order).", valueName: "n"))
    var seed: UInt64?

    @Option(name: .long, help: ArgumentHelp("Worker threads (default: the config's, else all cores).", valueName: "n"))
    var threads: Int?

    @Option(name: .long, help: ArgumentHelp("Print a progress line every n steps (default 10).", valueName: "n"))
    var logEvery: Int = 10

    @Flag(name: .long, help: "Check the config (network, losses, optimizer) and print what would train, without training.")
    var check = false

    @Flag(name: .shortAndLong, help: "Print only the summary.")
    var quiet = false

    func run() throws {
        guard FileManager.default.fileExists(atPath: config) else { throw PipelineError.inputMissing(config) }
        var c = try TrainConfigFile.read(config)
        if let steps {
            guard steps > 0 else { throw CLIFailure(message: "--steps must be at least 1 (got \(steps))") }
            c.steps = steps
            if case .cosine(_, let minimum) = c.schedule.kind { c.schedule.kind = .cosine(total: steps, minimum: minimum) }
        }
        if let output { c.output = output }
        if let seed { c.seed = seed }
        if let threads {
            guard threads >= 1 else { throw CLIFailure(message: "--threads must be at least 1 (got \(threads))") }
            c.threads = threads
        }
        if check {
            let net = try TrainJob.check(c)
            let diffusion = c.architecture == "sr3_unet"
            print("\(config): \(net.summary), \(net.parameters) parameters; losses "
                  + ((diffusion ? ["denoise (v-MSE)*1"] : []) + c.losses.map(\.summary)).joined(separator: " + ")
                  + (diffusion ? " (terms on the \(c.diffusionTerms == .sample ? "sampler's image" : "x0 estimate"))" : "")
                  + "; \(c.steps) steps of \(c.batch) x \(c.crop)px, seed \(c.seed); output \(c.output)")
            return
        }
        let cancel = CancelFlag()
        let trap = SignalTrap(cancel: cancel, quiet: quiet)
        let every = max(1, logEvery)
        let r = try TrainJob.run(c, resume: resume, cancel: cancel) { event in
            switch event {
            case .started(let train, let val, let params, let summary):
                Console.note("\(summary): \(params) parameters; \(train) training images, \(val) validation images", quiet: quiet)
            case .resumed(let step):
                Console.note("resumed at step \(step) from \(c.checkpointPath)", quiet: quiet)
            case .step(let step, let total, let lr, let terms, let sum, let rate):
                guard step % every == 0 || step == total else { return }
                let parts = terms.map { "\($0.name) \(String(format: "%.5f", $0.value))" }.joined(separator: "  ")
                let eta = Double(total - step) / max(rate, 1e-9)
                Console.note(String(format: "step %d/%d  lr %.2e  %@  total %.5f  %.2f step/s  eta %@", step, total, lr, parts, sum, rate,
                                    TrainCommand.duration(eta)), quiet: quiet)
            case .validated(let step, let p, let bicubic):
                Console.note(String(format: "validation @ %d: PSNR-Y %.3f dB (bicubic %.3f, %+.3f dB)", step, p, bicubic, p - bicubic), quiet: quiet)
            case .saved(let path, let step):
                Console.note("saved \(path) (step \(step))", quiet: quiet)
            }
        }
        withExtendedLifetime(trap) {}
        var line = "\(r.output): \(r.steps) steps in \(TrainCommand.duration(r.seconds)); loss \(String(format: "%.5f", r.firstLoss)) -> \(String(format: "%.5f", r.lastLoss))"
        if let p = r.lastPSNRY, let b = r.bicubicPSNRY { line += String(format: "; PSNR-Y %.3f dB (bicubic %.3f, %+.3f dB)", p, b, p - b) }
        print(line)
    }

    /// `1h02m`, `3m05s` or `12s`.
    static func duration(_ s: Double) -> String {
        let t = Int(s.rounded())
        if t >= 3600 { return String(format: "%dh%02dm", t / 3600, t % 3600 / 60) }
        if t >= 60 { return String(format: "%dm%02ds", t / 60, t % 60) }
        return "\(t)s"
    }
}
