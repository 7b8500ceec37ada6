import Foundation
import Testing

@testable import Budget

@Suite struct CurrencyTests {
    @Test(arguments: [
        ("JPY", 0), ("KRW", 0), ("ISK", 0), ("VND", 0), ("CLP", 0), ("XOF", 0), ("XAF", 0),
        ("XPF", 0), ("PYG", 0), ("UGX", 0), ("BIF", 0), ("DJF", 0), ("GNF", 0), ("KMF", 0),
        ("RWF", 0), ("VUV", 0), ("UYI", 0),
        ("BHD", 3), ("KWD", 3), ("OMR", 3), ("JOD", 3), ("TND", 3), ("LYD", 3), ("IQD", 3),
        ("CLF", 4), ("UYW", 4),
        ("EUR", 2), ("USD", 2), ("GBP", 2), ("CHF", 2), ("CNY", 2), ("INR", 2), ("RUB", 2),
        ("SEK", 2), ("CAD", 2), ("AUD", 2), ("BRL", 2), ("MXN", 2), ("XAU", 2), ("ZZZ", 2),
    ])
    func exponentTable(code: String, exponent: Int) throws {
        let currency = try #require(Currency(code: code))
        #expect(currency.code == code)
        #expect(currency.exponent == exponent)
    }

    @Test(arguments: [("jpy", "JPY", 0), ("Kwd", "KWD", 3), ("eur", "EUR", 2), ("uSd", "USD", 2), ("zzz", "ZZZ", 2)])
    func anyCaseIsAccepted(input: String, code: String, exponent: Int) throws {
        let currency = try #require(Currency(code: input))
        #expect(currency.code == code)
        #expect(currency.exponent == exponent)
        #expect(currency == Currency(code: code))
    }

    @Test(arguments: [
        "", "E", "EU", "EURO", "€€€", "€", "E1R", "123", "E R", " EUR", "EUR ", "ÉUR", "EU\u{301}",
        "EU-", "eu\0", "ＥＵＲ", "EUR\n", "e_r", "ЕUR",
    ])
    func malformedCodesAreRejected(code: String) {
        #expect(Currency(code: code) == nil)
    }

    @Test func euroConstant() {
        #expect(Currency.euro.code == "EUR")
        #expect(Currency.euro.exponent == 2)
        #expect(Currency.euro == Currency(code: "eur"))
        #expect(Currency.euro.description == "EUR")
    }

    @Test func encodesAsBareCode() throws {
        let data = try JSONEncoder().encode([Currency.euro, Currency(code: "jpy")!])
        #expect(String(decoding: data, as: UTF8.self) == #"["EUR","JPY"]"#)
    }

    @Test(arguments: [(#""usd""#, "USD", 2), (#""KWD""#, "KWD", 3), (#""jpy""#, "JPY", 0)])
    func decodesFromCode(json: String, code: String, exponent: Int) throws {
        let currency = try JSONDecoder().decode(Currency.self, from: Data(json.utf8))
        #expect(currency.code == code)
        #expect(currency.exponent == exponent)
    }

    @Test(arguments: [#""EURO""#, #""""#, "5", "null", #"{"code":"EUR","exponent":2}"#, #""€€€""#])
    func decodingRejectsMalformed(json: String) {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(Currency.self, from: Data(json.utf8))
        }
    }

    @Test func roundTripsThroughJSON() throws {
        for code in ["EUR", "JPY", "KWD", "CLF", "ABC"] {
            let currency = try #require(Currency(code: code))
            let decoded = try JSONDecoder().decode(Currency.self, from: JSONEncoder().encode(currency))
            #expect(decoded == currency)
        }
    }

    @Test func moneyConveniencesUseTheExponent() throws {
        let yen = try #require(Currency(code: "JPY"))
        let dinar = try #require(Currency(code: "KWD"))
        #expect(try Money(parsing: "1500", currency: yen) == Money(minorUnits: 1500, exponent: 0))
        #expect(throws: MoneyError.tooManyDecimals(allowed: 0)) { try Money(parsing: "1.5", currency: yen) }
        #expect(try Money(parsing: "1.234", currency: dinar).minorUnits == 1234)
        #expect(try Money(decimal: Decimal(string: "12.5")!, currency: .euro).minorUnits == 1250)
        #expect(Money(minorUnits: 5, currency: dinar).description == "0.005")
    }
}
