import GRDB

/// A record whose table names its columns in snake_case (`household_id`) while its properties
/// are camelCase with acronyms spelled as words (`householdId`): GRDB's key strategies then map
/// every property both ways, so no record keeps a hand-written `CodingKeys` in step with the schema.
public protocol SnakeCaseRecord: Codable, FetchableRecord, PersistableRecord {}

extension SnakeCaseRecord {
    public static var databaseColumnDecodingStrategy: DatabaseColumnDecodingStrategy { .convertFromSnakeCase }
    public static var databaseColumnEncodingStrategy: DatabaseColumnEncodingStrategy { .convertToSnakeCase }
}
