import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import QRCode

@Suite("SVG rendering")
struct SVGTests {
    @Test("well-formed, sized in modules with the quiet zone, accessible", arguments: [4, 0, 2])
    func document(quietZone: Int) throws {
        let code = try QRCode(text: Fixtures.otpauth)
        let svg = code.svg(quietZone: quietZone, title: "Scan me")
        let document = try #require(ParsedSVG(svg))
        let extent = code.size + 2 * quietZone

        let root = try #require(document.elements.first)
        #expect(root.name == "svg")
        #expect(root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(root.attributes["viewBox"] == "0 0 \(extent) \(extent)")
        #expect(root.attributes["shape-rendering"] == "crispEdges")
        #expect(root.attributes["role"] == "img")
        #expect(root.attributes["aria-label"] == "Scan me")
        #expect(document.title == "Scan me")

        #expect(document.elements.map(\.name) == ["svg", "title", "rect", "path"])
        let background = document.elements[2].attributes
        #expect(background["width"] == "\(extent)" && background["height"] == "\(extent)")
        #expect(background["fill"] == "#fff")
    }

    @Test("the title is escaped for XML and survives a parse")
    func escapedTitle() throws {
        let title = #"Alice & Bob's <"QR"> code"# + "\u{1}"
        let svg = try QRCode(text: "x").svg(title: title)
        #expect(svg.contains("Alice &amp; Bob&apos;s &lt;&quot;QR&quot;&gt; code"))
        #expect(!svg.contains("<\"QR\">"))
        let document = try #require(ParsedSVG(svg))
        // The control character has no XML representation and is dropped.
        #expect(document.title == #"Alice & Bob's <"QR"> code"#)
        #expect(document.elements.first?.attributes["aria-label"] == #"Alice & Bob's <"QR"> code"#)
    }

    @Test("the path draws exactly the dark modules, one h segment per horizontal run", arguments: [4, 0])
    func pathMatchesModules(quietZone: Int) throws {
        let code = try QRCode(text: Fixtures.uri(length: 300))
        let document = try #require(ParsedSVG(code.svg(quietZone: quietZone)))
        let d = try #require(document.elements.last?.attributes["d"])
        let drawn = try Self.darkModules(fromPath: d, quietZone: quietZone)

        var expected = Set<[Int]>()
        var runs = 0
        for y in 0..<code.size {
            for x in 0..<code.size where code[x, y] {
                expected.insert([x, y])
                if !code[x - 1, y] { runs += 1 }
            }
        }
        #expect(drawn.modules == expected)
        #expect(drawn.segments == runs)
    }

    @Test("a negative quiet zone is treated as none")
    func negativeQuietZone() throws {
        let code = try QRCode(text: "x")
        #expect(code.svg(quietZone: -3) == code.svg(quietZone: 0))
    }

    @Test("the otpauth symbol stays small")
    func compact() throws {
        let svg = try QRCode(text: Fixtures.otpauth).svg()
        #expect(svg.utf8.count < 6_000)
    }

    /// Replays the path's M, m and h commands, each h a one-module-high stroke centred on y.
    static func darkModules(fromPath d: String, quietZone: Int) throws -> (modules: Set<[Int]>, segments: Int) {
        var tokens: [String] = []
        for character in d {
            if character.isLetter {
                tokens.append(String(character))
            } else if character == " " {
                tokens.append("")
            } else if let last = tokens.last, !last.isEmpty, !last.first!.isLetter {
                tokens[tokens.count - 1].append(character)
            } else {
                tokens.append(String(character))
            }
        }
        tokens.removeAll(where: \.isEmpty)

        var modules = Set<[Int]>()
        var segments = 0
        var x = 0.0, y = 0.0
        var index = 0
        func number() throws -> Double {
            index += 1
            guard index < tokens.count, let value = Double(tokens[index]) else {
                throw ParseError(path: d, at: index)
            }
            return value
        }
        while index < tokens.count {
            switch tokens[index] {
            case "M": x = try number(); y = try number()
            case "m": x += try number(); y += try number()
            case "h":
                let length = try number()
                #expect(y - y.rounded(.down) == 0.5, "strokes run along module centres")
                #expect(length > 0 && length == length.rounded())
                for column in Int(x)..<Int(x + length) {
                    let (inserted, _) = modules.insert([column - quietZone, Int(y) - quietZone])
                    #expect(inserted, "module drawn twice")
                }
                x += length
                segments += 1
            default: throw ParseError(path: d, at: index)
            }
            index += 1
        }
        return (modules, segments)
    }

    struct ParseError: Error {
        let path: String
        let at: Int
    }
}

/// The SVG's elements in document order and the text of its `<title>`, or nil when the
/// document is not well-formed XML.
struct ParsedSVG {
    let elements: [(name: String, attributes: [String: String])]
    let title: String

    init?(_ svg: String) {
        let collector = Collector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = collector
        guard parser.parse() else { return nil }
        elements = collector.elements
        title = collector.title
    }

    private final class Collector: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        var title = ""
        private var inTitle = false

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName: String?, attributes: [String: String] = [:]) {
            elements.append((elementName, attributes))
            inTitle = elementName == "title"
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            inTitle = false
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inTitle { title += string }
        }
    }
}
