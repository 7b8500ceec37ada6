import Foundation
import Testing
@testable import QRCode

/// zbarimg (Debian package zbar-tools), the independent decoder the round-trip tests use.
enum ZBar {
    /// CI sets STRACKER_REQUIRE_ZBAR=1: there a missing zbarimg must fail the decoding
    /// tests rather than let them skip and pass unnoticed.
    static let isRequired = ProcessInfo.processInfo.environment["STRACKER_REQUIRE_ZBAR"] == "1"

    static let executable: URL? = {
        let searchPath = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in searchPath.split(separator: ":") where !directory.isEmpty {
            let candidate = URL(fileURLWithPath: String(directory)).appendingPathComponent("zbarimg")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }()

    static var isAvailable: Bool { executable != nil }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// Renders the symbol at 4 pixels a module with a 4-module quiet zone, runs zbarimg on
    /// it and returns the bytes it read.
    ///
    /// `-Sbinary` makes zbar hand back the byte-mode payload as is. Without it zbar guesses
    /// a character set for byte data that carries no ECI and, for example, reads the UTF-8
    /// of "Zoë" as Big5; that would test zbar's guess rather than our encoder. Comparing
    /// bytes is also stricter than comparing Swift strings, which treat canonically
    /// equivalent text as equal.
    static func decode(_ code: QRCode) throws -> [UInt8] {
        guard let executable else {
            throw Failure(description: "zbarimg is not on PATH; install zbar-tools (STRACKER_REQUIRE_ZBAR=\(isRequired ? "1" : "unset"))")
        }
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("stracker-qrcode-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let image = directory.appendingPathComponent("symbol.pgm")
        try pgm(code).write(to: image)

        let process = Process()
        process.executableURL = executable
        process.arguments = ["--raw", "-q", "-Sbinary", image.path]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let decoded = output.fileHandleForReading.readDataToEndOfFile()
        let diagnostics = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "zbarimg exited with \(process.terminationStatus) on a version \(code.version) symbol, mask \(code.mask): \(String(decoding: diagnostics, as: UTF8.self))")
        }
        var bytes = Array(decoded)
        // Some zbar builds end the output with a newline even in binary mode; no payload
        // under test ends with one.
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        return bytes
    }

    /// A binary greymap (PGM "P5"), dark modules black.
    static func pgm(_ code: QRCode, scale: Int = 4, quietZone: Int = 4) -> Data {
        let side = (code.size + 2 * quietZone) * scale
        var data = Data("P5\n\(side) \(side)\n255\n".utf8)
        data.reserveCapacity(data.count + side * side)
        var row = [UInt8](repeating: 255, count: side)
        for pixelY in 0..<side {
            let y = pixelY / scale - quietZone
            for pixelX in 0..<side {
                // The subscript reads the quiet zone (negative or too large coordinates) as light.
                row[pixelX] = code[pixelX / scale - quietZone, y] ? 0 : 255
            }
            data.append(contentsOf: row)
        }
        return data
    }
}

extension Trait where Self == ConditionTrait {
    /// Runs the test when zbarimg is installed, and also when STRACKER_REQUIRE_ZBAR=1 even
    /// though it is not, so that the missing decoder fails the test instead of skipping it.
    static var needsZBar: Self {
        .enabled(
            if: ZBar.isAvailable || ZBar.isRequired,
            "zbarimg is not on PATH (apt-get install zbar-tools); STRACKER_REQUIRE_ZBAR=1 makes this a failure"
        )
    }
}
