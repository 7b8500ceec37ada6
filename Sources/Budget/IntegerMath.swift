/// Division that rounds toward negative infinity; Swift's `/` truncates toward zero, which would
/// round negative figures (overspent funnels) the generous way.
func floorDivide<T: BinaryInteger>(_ dividend: T, _ divisor: T) -> T {
    let quotient = dividend / divisor
    let remainder = dividend % divisor
    return remainder != 0 && (remainder < 0) != (divisor < 0) ? quotient - 1 : quotient
}

/// Division that rounds toward positive infinity.
func ceilDivide<T: BinaryInteger>(_ dividend: T, _ divisor: T) -> T {
    let quotient = dividend / divisor
    let remainder = dividend % divisor
    return remainder != 0 && (remainder < 0) == (divisor < 0) ? quotient + 1 : quotient
}

/// 10^0 ... 10^38, exact; enough to align any two exponents up to `Money.maxExponent` in Int128.
let powersOfTen128: [Int128] = {
    var powers: [Int128] = [1]
    for _ in 1...38 { powers.append(powers[powers.count - 1] * 10) }
    return powers
}()
