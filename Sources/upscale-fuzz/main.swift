// `upscale-fuzz TARGET [libFuzzer flags] [corpus...]`: libFuzzer entry points for the readers of
// untrusted files. Built by `make fuzz` with coverage instrumentation and libFuzzer's driver
// (`libclang_rt.fuzzer_no_main`); a plain `swift build` builds it too, and then it only says how
// to build it for fuzzing. Every target must turn any input into a value or a thrown error:
// a crash, trap or hang is a finding (libFuzzer saves the input).
import Foundation
import SRMedia
import SRModels
import SRPipeline
import SRTraining

/// The readers under test, by name.
let targets: [String: (Data) throws -> Void] = [
    "toml": { data in _ = try TOMLReader.table(String(decoding: data, as: UTF8.self), file: "fuzz.toml") },
    "training-config": { data in _ = try TrainConfigFile.parse(String(decoding: data, as: UTF8.self), file: "fuzz.toml") },
    "safetensors": { data in _ = try SafeTensors(bytes: [UInt8](data), file: "fuzz.safetensors") },
    "ncnn-param": { data in _ = try NCNNParam(text: String(decoding: data, as: UTF8.self), file: "fuzz.param") },
    "ncnn-model": { data in
        // The first line is a .param text, the rest its .bin: layers read their weights from it.
        let cut = data.firstIndex(of: 0x0A).map { data.index(after: $0) } ?? data.endIndex
        let param = try NCNNParam(text: String(decoding: data[..<cut], as: UTF8.self).replacingOccurrences(of: ";", with: "\n"),
                                  file: "fuzz.param")
        _ = try NCNNNet(param: param, weights: NCNNModelBin(bytes: [UInt8](data[cut...]), file: "fuzz.bin"))
    },
    "image": { data in _ = try ImageFile.decode(bytes: data, name: "fuzz.img") },
]

typealias Driver = @convention(c) (UnsafeMutablePointer<Int32>, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                                   @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32

nonisolated(unsafe) var current: (Data) throws -> Void = { _ in }

let args = CommandLine.arguments
guard args.count >= 2, let target = targets[args[1]] else {
    FileHandle.standardError.write(Data("usage: upscale-fuzz \(targets.keys.sorted().joined(separator: "|")) [libFuzzer flags] [corpus...]\n".utf8))
    exit(2)
}
guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "LLVMFuzzerRunDriver") else {
    FileHandle.standardError.write(Data("upscale-fuzz: built without libFuzzer; run `make fuzz`\n".utf8))
    exit(2)
}
current = target
var argc = Int32(args.count - 1)
var argv: [UnsafeMutablePointer<CChar>?] = ([args[0]] + args.dropFirst(2)).map { strdup($0) } + [nil]
let driver = unsafeBitCast(symbol, to: Driver.self)
let status = argv.withUnsafeMutableBufferPointer { buffer -> Int32 in
    var base = buffer.baseAddress
    return driver(&argc, &base) { bytes, count in
        let data = bytes.map { Data(bytes: $0, count: count) } ?? Data()
        _ = try? current(data)
        return 0
    }
}
exit(status)
