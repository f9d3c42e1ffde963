import Foundation
import XCTest

/// Runs the built `upscale` binary and captures what it did.
struct CLIRunner {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The folder holding the built products (the test bundle's folder).
    static var productsDirectory: URL {
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        return Bundle.main.bundleURL
    }

    /// The package root, found from this file's path.
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    /// The models folder the suite uses.
    static var modelsDirectory: String {
        ProcessInfo.processInfo.environment["UPSCALE_MODELS"]
            ?? (NSHomeDirectory() + "/.cache/upscale/models")
    }

    /// Runs `upscale args...` with extra environment variables. A run that takes longer than
    /// `timeout` seconds is killed and fails the test (a hang must not stall the suite).
    static func run(_ args: [String], environment: [String: String] = [:], timeout: TimeInterval = 300,
                    file: StaticString = #filePath, line: UInt = #line) throws -> Result {
        let p = Process()
        p.executableURL = productsDirectory.appendingPathComponent("upscale")
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        p.environment = env
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let watchdog = DispatchWorkItem { [p] in if p.isRunning { kill(p.processIdentifier, SIGKILL) } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        let started = Date()
        // Both pipes drain at once: a child that fills one while the other is read would block forever.
        nonisolated(unsafe) var e = Data()
        let reader = DispatchGroup()
        DispatchQueue.global().async(group: reader) { e = err.fileHandleForReading.readDataToEndOfFile() }
        let o = out.fileHandleForReading.readDataToEndOfFile()
        reader.wait()
        p.waitUntilExit()
        watchdog.cancel()
        if Date().timeIntervalSince(started) >= timeout {
            XCTFail("upscale \(args.joined(separator: " ")) ran past \(Int(timeout)) s and was killed", file: file, line: line)
        }
        return Result(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self))
    }

    /// A fresh temporary folder.
    static func tempDir() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("upscale-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Whether a model is installed in the suite's models folder.
    static func modelInstalled(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: "\(modelsDirectory)/\(name).param")
            && FileManager.default.fileExists(atPath: "\(modelsDirectory)/\(name).bin")
    }
}
