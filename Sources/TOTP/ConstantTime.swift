/// Compares two byte arrays without an early exit, so the time taken does not reveal how many
/// leading bytes of a guessed code were right.
///
/// Lengths are not secret (a code always has `digits` characters), so unequal lengths may return at once.
@inline(never)
func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    guard lhs.count == rhs.count else { return false }
    var difference: UInt8 = 0
    for index in lhs.indices {
        difference |= lhs[index] ^ rhs[index]
    }
    return difference == 0
}
