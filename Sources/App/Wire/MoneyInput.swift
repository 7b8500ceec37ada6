import Budget
import Foundation

extension Validate {
    /// An exact amount in the household's currency, or a 422 naming the field.
    static func money(_ value: Decimal, exponent: Int, field: String) throws -> Int64 {
        do {
            return try Money(decimal: value, exponent: exponent).minorUnits
        } catch .tooManyDecimals(let allowed) {
            throw ValidationFailure(body: [.key(field)], "Input should have at most \(allowed) decimal places", type: "decimal_max_places")
        } catch .outOfRange {
            throw ValidationFailure(body: [.key(field)], "Input is too large", type: "less_than_equal")
        } catch {
            throw ValidationFailure(body: [.key(field)], "Input should be a finite number", type: "finite_number")
        }
    }

    /// A millisecond instant from 1970 up to the end of 9999 (UTC).
    /// 9999-12-31T23:59:59.999Z, the last instant a spending may have.
    static let latestTimestamp: Int64 = 253_402_300_799_999

    static func timestamp(_ value: Decimal, field: String = "timestamp", in part: String = "body") throws -> Int64 {
        let latest = latestTimestamp
        guard value.isFinite, value >= 0, value <= Decimal(latest) else {
            throw ValidationFailure([.init(loc: [.key(part), .key(field)], msg: "Input should be a millisecond timestamp from 1970 to 9999", type: "value_error")])
        }
        var rounded = Decimal()
        var copy = value
        NSDecimalRound(&rounded, &copy, 0, .plain)
        guard rounded == value else {
            throw ValidationFailure([.init(loc: [.key(part), .key(field)], msg: "Input should be a whole number of milliseconds", type: "int_from_float")])
        }
        return NSDecimalNumber(decimal: rounded).int64Value
    }
}
