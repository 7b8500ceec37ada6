/// A funnel's `emoji`: a short free label, as the old client's plain text box allowed ("🍞",
/// "🍕🍔", "x", "$"): 1 to 8 grapheme clusters (a ZWJ family, a flag or a keycap is one), not
/// blank, and without characters that break a line or reorder the text around it.
enum Emoji {
    static let maxGraphemes = 8

    static func isLabel(_ text: String) -> Bool {
        guard (1...maxGraphemes).contains(text.count), text.contains(where: { !$0.isWhitespace }) else { return false }
        return !text.unicodeScalars.contains(where: isRefused)
    }

    /// `text` without the characters a label may not have, trimmed and cut to its first
    /// `maxGraphemes` clusters; nil when nothing is left (for labels that come from elsewhere).
    static func fitted(_ text: String) -> String? {
        let kept = String(String.UnicodeScalarView(text.unicodeScalars.filter { !isRefused($0) }))
        let label = String(kept.trimmingCharacters(in: .whitespaces).prefix(maxGraphemes))
        return isLabel(label) ? label : nil
    }

    private static func isRefused(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .lineSeparator, .paragraphSeparator: true
        default: bidiControls.contains(scalar.value)
        }
    }

    /// Embeddings, overrides, isolates and marks: a label must not flip the text after it.
    private static let bidiControls = Set<UInt32>([0x200E, 0x200F, 0x061C] + Array(0x202A...0x202E) + Array(0x2066...0x2069))
}
