@testable import App
import Foundation
import Testing

/// The wire's bytes, written out: the key strategies must give exactly the keys the old
/// hand-written CodingKeys gave, sorted, with slashes unescaped.
@Suite struct WireFormatTests {
    func wire(_ value: some Encodable) -> String {
        String(buffer: WireJSON.buffer(value))
    }

    @Test func everyAnswerTypeEncodesAsTheContractSpellsIt() {
        #expect(wire(FunnelOutput(
            id: "f", name: "Fun", limit: 100, color: "#123456", emoji: "🎉", remaining: 99, daily: Decimal(string: "1.5")!,
            perDay: 2, perDayFromTomorrow: Decimal(string: "2.25")!, spent: 1, shared: false, owner: "alice", position: 0))
            == ##"{"color":"#123456","daily":1.5,"emoji":"🎉","id":"f","limit":100,"name":"Fun","owner":"alice","per_day":2,"per_day_from_tomorrow":2.25,"position":0,"remaining":99,"shared":false,"spent":1}"##)
        // On a period's last day there is no "from tomorrow": the key is left out.
        #expect(wire(FunnelOutput(
            id: "f", name: "Fun", limit: 100, color: "#123456", emoji: "🎉", remaining: 99, daily: 99,
            perDay: 99, perDayFromTomorrow: nil, spent: 1, shared: false, owner: "alice", position: 0))
            == ##"{"color":"#123456","daily":99,"emoji":"🎉","id":"f","limit":100,"name":"Fun","owner":"alice","per_day":99,"position":0,"remaining":99,"shared":false,"spent":1}"##)
        #expect(wire(SpendingOutput(id: "s", amount: Decimal(string: "12.5")!, timestamp: 1, funnelId: "f", note: "", user: "alice", hasReceipt: true))
            == #"{"amount":12.5,"funnel_id":"f","has_receipt":true,"id":"s","note":"","timestamp":1,"user":"alice"}"#)
        #expect(wire(OTPSecretOutput(secret: "S", uri: "otpauth://totp/STracker:a", qrSvg: "<svg/>"))
            == #"{"qr_svg":"<svg/>","secret":"S","uri":"otpauth://totp/STracker:a"}"#)
        #expect(wire(DeviceOutput(id: "d", name: "n", createdAt: 1, lastSeenAt: 2, current: true))
            == #"{"created_at":1,"current":true,"id":"d","last_seen_at":2,"name":"n"}"#)
        #expect(wire(HouseholdOutput(
            id: "h", name: "n", currency: "EUR", periodStartDay: 1, timeZone: "Europe/Berlin", role: "owner",
            members: [MemberOutput(username: "a", role: "owner", joinedAt: 1)]))
            == #"{"currency":"EUR","id":"h","members":[{"joined_at":1,"role":"owner","username":"a"}],"name":"n","period_start_day":1,"role":"owner","time_zone":"Europe/Berlin"}"#)
        #expect(wire(InviteOutput(code: "C", expiresAt: 5)) == #"{"code":"C","expires_at":5}"#)
        #expect(wire(OverviewOutput(
            period: PeriodOutput(start: 1, end: 2, length: 30, daysAfterToday: 3), currency: "EUR", household: "h",
            username: "u", funnels: [], recent: []))
            == #"{"currency":"EUR","funnels":[],"household":"h","period":{"days_after_today":3,"end":2,"length":30,"start":1},"recent":[],"username":"u"}"#)
        #expect(wire(TokenPair(access: "a", refresh: "r")) == #"{"access":"a","refresh":"r"}"#)
        #expect(wire(DecodedTokenOutput(username: "u", exp: 2, iat: 1, type: "access")) == #"{"exp":2,"iat":1,"type":"access","username":"u"}"#)
        #expect(wire(["detail": [ValidationFailure.Issue(loc: ["body", "otp_secret", 0], msg: "m", type: "t")]])
            == #"{"detail":[{"loc":["body","otp_secret",0],"msg":"m","type":"t"}]}"#)
        #expect(wire("1f0c/é\"") == #""1f0c/é\"""#)
    }

    @Test func bodiesAreReadInWireSpelling() throws {
        let registration = try WireJSON.decoder.decode(
            RegistrationInput.self,
            from: Data(#"{"username":"a","otp_secret":"S","otp_example":"123456","device_name":"phone","invite":"X"}"#.utf8))
        #expect(registration.otpSecret == "S" && registration.otpExample == "123456" && registration.deviceName == "phone")
        let patch = try WireJSON.decoder.decode(HouseholdPatch.self, from: Data(#"{"period_start_day":5,"time_zone":"UTC"}"#.utf8))
        #expect(patch.periodStartDay == 5 && patch.timeZone == "UTC")
        let spending = try WireJSON.decoder.decode(SpendingInput.self, from: Data(#"{"funnel_id":"f","amount":1}"#.utf8))
        #expect(spending.funnelId == "f")
    }

    /// The key an error location names is the key the encoder writes, for every property of
    /// every answer type (checked by encoding each and comparing with its properties' names).
    @Test func errorLocationsUseTheEncodersSpelling() throws {
        let samples: [any Encodable] = [
            FunnelOutput(id: "", name: "", limit: 0, color: "", emoji: "", remaining: 0, daily: 0, perDay: 0, perDayFromTomorrow: 0, spent: 0, shared: true, owner: "", position: 0),
            SpendingOutput(id: "", amount: 0, timestamp: 0, funnelId: "", note: "", user: "", hasReceipt: false),
            OTPSecretOutput(secret: "", uri: "", qrSvg: ""), DeviceOutput(id: "", name: "", createdAt: 0, lastSeenAt: 0, current: true),
            HouseholdOutput(id: "", name: "", currency: "", periodStartDay: 1, timeZone: "", role: "", members: []),
            InviteOutput(code: "", expiresAt: 0), PeriodOutput(start: 0, end: 0, length: 0, daysAfterToday: 0),
            MemberOutput(username: "", role: "", joinedAt: 0),
        ]
        for sample in samples {
            let object = try #require(try JSONSerialization.jsonObject(with: WireJSON.encoder.encode(sample)) as? [String: Any])
            let properties = Mirror(reflecting: sample).children.compactMap(\.label)
            #expect(Set(properties.map(WireJSON.wireKey)) == Set(object.keys), "\(type(of: sample))")
        }
        #expect(WireJSON.wireKey("accessTTL") == "access_ttl")
        #expect(WireJSON.wireKey("id") == "id")
    }
}
