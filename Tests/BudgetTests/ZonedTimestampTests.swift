import Testing

@testable import Budget

@Suite struct ZonedTimestampTests {
    @Test(arguments: [
        (Int64(0), 0, "1970-01-01T00:00:00.000Z"),
        (1_743_296_399_999, 3600, "2025-03-30T01:59:59.999+01:00"),  // the last ms before Berlin's spring change
        (1_743_296_400_000, 7200, "2025-03-30T03:00:00.000+02:00"),  // the first after it
        (1_709_164_800_123, 0, "2024-02-29T00:00:00.123Z"),  // a leap day
        (1_735_689_599_999, -18000, "2024-12-31T18:59:59.999-05:00"),
        (1_735_689_599_999, 20700, "2025-01-01T05:44:59.999+05:45"),  // Kathmandu
        (1_735_689_599_999, -34200, "2024-12-31T14:29:59.999-09:30"),  // the Marquesas
        (253_402_300_799_999, 0, "9999-12-31T23:59:59.999Z"),
        (-1, 0, "1969-12-31T23:59:59.999Z"),
        (0, -2670, "1969-12-31T23:15:30.000-00:44:30"),  // a historical LMT offset in seconds
    ])
    func writesLocalTimeWithItsOffset(millis: Int64, offset: Int, expected: String) {
        #expect(ZonedTimestamp.iso8601(millis: millis, offsetSeconds: offset) == expected)
    }

    @Test func readsWhatItWritesBackToTheSameInstant() {
        for (millis, offset) in [(Int64(1_743_296_400_000), 7200), (1_709_164_800_123, 0), (1_735_689_599_999, 20700), (1_735_689_599_999, -34200)] {
            let text = ZonedTimestamp.iso8601(millis: millis, offsetSeconds: offset)
            #expect(ZonedTimestamp.read(text)?.millis == millis, "\(text)")
        }
    }

    @Test func readsTheShorterFormsSpreadsheetsWrite() {
        #expect(ZonedTimestamp.read("2025-09-20") == .init(date: LocalDate(year: 2025, month: 9, day: 20)!, millisOfDay: 0, offsetSeconds: nil))
        #expect(ZonedTimestamp.read("2025-09-20 12:30")?.millisOfDay == 45_000_000)
        #expect(ZonedTimestamp.read("2025-09-20T12:30:15")?.millisOfDay == 45_015_000)
        #expect(ZonedTimestamp.read("2025-09-20T12:30:15.5")?.millisOfDay == 45_015_500)
        #expect(ZonedTimestamp.read("2025-09-20T12:30:15.05")?.millisOfDay == 45_015_050)
        #expect(ZonedTimestamp.read("2025-09-20T12:30:15+0200")?.millis == 1_758_364_215_000)
        #expect(ZonedTimestamp.read("2025-09-20T10:30:15Z")?.millis == 1_758_364_215_000)
        #expect(ZonedTimestamp.read("2025-09-20T12:30")?.offsetSeconds == nil)
    }

    @Test(arguments: [
        "", "2025-9-20", "2025-02-30", "2025-13-01", "2025-09-20T24:00", "2025-09-20T12:60", "2025-09-20T12:30:60",
        "2025-09-20T12:30:15.1234", "2025-09-20T12:30:15.", "2025-09-20T12", "2025-09-20X12:30", "2025-09-20T12:30+19:00",
        "2025-09-20T12:30+02", "2025-09-20 ", "20.09.2025", "yesterday", "2025-09-20T12:30:15Zjunk",
    ])
    func refusesWhatIsNotOneOfThoseForms(text: String) {
        #expect(ZonedTimestamp.read(text) == nil)
    }
}
