extension QRCode {
    /// A standalone SVG document of the symbol, measured in modules: a white background with
    /// a quiet zone of `quietZone` modules, and one path stroking each horizontal run of dark
    /// modules, so the markup stays small enough to send inline with an API response.
    /// `title` becomes the accessible name (`<title>` and `aria-label`).
    public func svg(quietZone: Int = 4, title: String = "QR code") -> String {
        let quiet = max(0, quietZone)
        let extent = size + 2 * quiet
        let label = Self.xmlEscaped(title)
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(extent) \(extent)\""
            + " shape-rendering=\"crispEdges\" role=\"img\" aria-label=\"\(label)\">"
            + "<title>\(label)</title>"
            + "<rect width=\"\(extent)\" height=\"\(extent)\" fill=\"#fff\"/>"
            + "<path stroke=\"#000\" d=\"\(darkRunsPath(offset: quiet))\"/>"
            + "</svg>"
    }

    /// Each run is a one-unit-wide stroke along the middle of its row ("Mx y.5hN"). Within a
    /// row, later runs start with a relative move from the end of the previous one, which is
    /// shorter than an absolute move.
    private func darkRunsPath(offset: Int) -> String {
        var path = ""
        for y in 0..<size {
            var penX: Int?
            var x = 0
            while x < size {
                guard self[x, y] else {
                    x += 1
                    continue
                }
                let start = x
                while x < size && self[x, y] { x += 1 }
                if let penX {
                    path += "m\(start - penX) 0"
                } else {
                    path += "M\(start + offset) \(y + offset).5"
                }
                path += "h\(x - start)"
                penX = x
            }
        }
        return path
    }

    /// Escapes the five XML special characters and drops the characters XML 1.0 forbids
    /// outright (most C0 controls, U+FFFE, U+FFFF), which no escape could make well-formed.
    static func xmlEscaped(_ text: String) -> String {
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            case _ where scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF: continue
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}
