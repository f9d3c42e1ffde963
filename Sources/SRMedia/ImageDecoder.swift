import CFFmpeg
import Foundation
import SRTensor

/// Decodes one still image file with libavcodec: the whole file is one packet.
///
/// Thread safety: every call uses its own codec and scaler contexts; calls may run concurrently.
enum ImageDecoder {
    /// The last 12 bytes of every complete PNG: an empty IEND chunk and its CRC.
    static let pngEnd: [UInt8] = [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]

    /// Decodes `path` into planes.
    static func decode(path: String) throws -> RGBImage {
        try decode(bytes: try readAll(path: path), path: path)
    }

    /// Decodes a file's bytes (`path` names it in errors).
    static func decode(bytes: Data, path: String) throws -> RGBImage {
        _ = quietFFmpegLogging
        guard let codecID = sniff(bytes) else { throw MediaError.notAnImage(path: path) }
        guard let codec = avcodec_find_decoder(codecID) else { throw MediaError.notAnImage(path: path) }
        // One rule for damaged PNGs: a file must end with its IEND chunk (a truncated file is
        // refused whether the cut falls in the pixel data or after it).
        if codecID == AV_CODEC_ID_PNG, !bytes.suffix(12).elementsEqual(ImageDecoder.pngEnd) {
            throw MediaError.corrupt(path: path, detail: "the file ends before its IEND chunk: truncated?")
        }
        var ctx = avcodec_alloc_context3(codec)
        defer { avcodec_free_context(&ctx) }
        var pkt = av_packet_alloc()
        defer { av_packet_free(&pkt) }
        var frame = av_frame_alloc()
        defer { av_frame_free(&frame) }
        guard let ctx, let pkt, let frame else { throw MediaError.corrupt(path: path, detail: "out of memory") }
        ctx.pointee.thread_count = 1
        var ret = avcodec_open2(ctx, codec, nil)
        guard ret >= 0 else { throw MediaError.corrupt(path: path, detail: averrorText(ret)) }
        ret = av_new_packet(pkt, Int32(bytes.count))
        guard ret >= 0, let dst = pkt.pointee.data else { throw MediaError.corrupt(path: path, detail: "out of memory") }
        bytes.withUnsafeBytes { src in
            if let base = src.baseAddress { dst.update(from: base.assumingMemoryBound(to: UInt8.self), count: bytes.count) }
        }
        ret = avcodec_send_packet(ctx, pkt)
        guard ret >= 0 else { throw MediaError.corrupt(path: path, detail: averrorText(ret)) }
        avcodec_send_packet(ctx, nil)
        ret = avcodec_receive_frame(ctx, frame)
        guard ret >= 0, frame.pointee.width > 0, frame.pointee.height > 0 else {
            throw MediaError.corrupt(path: path, detail: ret < 0 ? averrorText(ret) : "no picture")
        }
        return try FrameConverter.planes(from: frame, path: path)
    }

    /// The whole file, or a one-line error naming it.
    static func readAll(path: String) throws -> Data {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else {
            throw MediaError.cannotOpen(path: path, reason: "No such file or directory")
        }
        if isDir.boolValue { throw MediaError.cannotOpen(path: path, reason: "Is a directory") }
        guard let fh = FileHandle(forReadingAtPath: path) else {
            throw MediaError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        defer { try? fh.close() }
        do {
            return try fh.readToEnd() ?? Data()
        } catch {
            throw MediaError.cannotOpen(path: path, reason: "\(error.localizedDescription)")
        }
    }

    /// The decoder for the file's magic bytes.
    static func sniff(_ d: Data) -> AVCodecID? {
        let b = [UInt8](d.prefix(12))
        guard b.count >= 4 else { return nil }
        if b.starts(with: [0x89, 0x50, 0x4E, 0x47]) { return AV_CODEC_ID_PNG }
        if b.starts(with: [0xFF, 0xD8, 0xFF]) { return AV_CODEC_ID_MJPEG }
        if b.starts(with: [0x42, 0x4D]) { return AV_CODEC_ID_BMP }
        if b.starts(with: [0x49, 0x49, 0x2A, 0x00]) || b.starts(with: [0x4D, 0x4D, 0x00, 0x2A]) { return AV_CODEC_ID_TIFF }
        if b.count >= 12, b.starts(with: [0x52, 0x49, 0x46, 0x46]), Array(b[8..<12]) == [0x57, 0x45, 0x42, 0x50] {
            return AV_CODEC_ID_WEBP
        }
        return nil
    }
}
