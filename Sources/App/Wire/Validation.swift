import Foundation

/// Field checks shared by the routes; each failure is a 422 naming the field.
enum Validate {
    /// Whether `text` has a control character other than those `allowed`: SQLite text ends at a
    /// NUL, and the others only garble lists.
    static func hasControlCharacters(_ text: String, allowing allowed: Set<Unicode.Scalar> = []) -> Bool {
        text.unicodeScalars.contains { $0.properties.generalCategory == .control && !allowed.contains($0) }
    }

    /// A username: trimmed, 1–64 characters, no control characters.
    static func username(_ raw: String, field: String = "username") throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...64).contains(name.count) else {
            throw ValidationFailure(body: [.key(field)], "Username must be 1 to 64 characters", type: "string_length")
        }
        // Invisible format characters (but the emoji joiner) would let two names look the same.
        let invisible = name.unicodeScalars.contains { $0.properties.generalCategory == .format && $0 != "\u{200D}" }
        guard !hasControlCharacters(name), !invisible else {
            throw ValidationFailure(body: [.key(field)], "Username must not contain control characters")
        }
        return name
    }

    /// An IANA time zone this server's zone database knows ("Europe/Berlin", "UTC"); abbreviations
    /// and offsets ("CET", "GMT+1") are refused, as they do not follow daylight saving. IANA
    /// names are ASCII letters, digits and `/_-+`; anything else is refused before Foundation
    /// sees it (Foundation on Linux accepted "Europe/Berlin\u{0}" in some runs of the suite).
    static func timeZone(_ raw: String, field: String = "time_zone") throws -> String {
        let zone = raw.trimmingCharacters(in: .whitespaces)
        let ianaCharacters = zone.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "/"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "+"):
                true
            default: false
            }
        }
        guard ianaCharacters, TimeZone(identifier: zone) != nil, zone.contains("/") || zone == "UTC" else {
            throw ValidationFailure(body: [.key(field)], "Input should be an IANA time zone such as Europe/Berlin", type: "value_error")
        }
        return zone
    }

    /// A name shown in lists: trimmed, 1–64 characters.
    static func name(_ raw: String, field: String = "name") throws -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...64).contains(name.count) else {
            throw ValidationFailure(body: [.key(field)], "Name must be 1 to 64 characters", type: "string_length")
        }
        guard !hasControlCharacters(name) else {
            throw ValidationFailure(body: [.key(field)], "Name must not contain control characters")
        }
        return name
    }

    /// A UUID given by a client, in our canonical lowercase form.
    static func uuid(_ raw: String, location: ValidationFailure.Location..., in part: String = "body") throws -> String {
        guard let uuid = UUID(uuidString: raw) else {
            throw ValidationFailure([.init(loc: [.key(part)] + location, msg: "Input should be a valid UUID", type: "uuid_parsing")])
        }
        return uuid.uuidString.lowercased()
    }

    /// The id of a stored funnel: one of ours (a UUID, in its lowercase form) or one the old
    /// app gave and `stracker import-stracker` kept (`isKeptId`).
    static func recordId(_ raw: String, location: ValidationFailure.Location..., in part: String = "body") throws -> String {
        if let uuid = UUID(uuidString: raw) { return uuid.uuidString.lowercased() }
        let id = raw.lowercased()
        guard isKeptId(id) else {
            throw ValidationFailure([.init(loc: [.key(part)] + location, msg: "Input should be a valid UUID", type: "uuid_parsing")])
        }
        return id
    }

    /// 1 to 64 of `0-9 a-z - _`: the old app's integer ids in decimal, and any other id of it
    /// that a URL path carries as is.
    static func isKeptId(_ text: String) -> Bool {
        (1...64).contains(text.utf8.count)
            && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x2D || $0 == 0x5F }
    }
}
