/// A funnel's emoji: exactly one grapheme cluster that is an emoji (ZWJ sequences, flags,
/// keycaps and skin tones are one cluster each).
enum Emoji {
    static func isSingleEmoji(_ text: String) -> Bool {
        guard text.count == 1, let first = text.unicodeScalars.first else { return false }
        let scalars = text.unicodeScalars
        if scalars.contains(where: { $0.properties.isEmojiPresentation }) { return true }
        // Text-default emoji (☕ is presentation already; ❤ needs U+FE0F) and keycaps (1️⃣).
        if scalars.contains("\u{FE0F}") && scalars.contains(where: { $0.properties.isEmoji }) { return true }
        if scalars.contains("\u{20E3}") { return true }
        return first.properties.isEmoji && first.value > 0x7F && first.properties.generalCategory == .otherSymbol
    }
}
