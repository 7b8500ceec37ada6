import Hummingbird

extension RouteCollection {
    /// The routes of a collection of resources, as the old API laid them out: list and create at
    /// the collection's path; show, update (PUT and PATCH alike: a missing field keeps its value)
    /// and delete at `:id`.
    @discardableResult
    func addResource(
        list: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator,
        create: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator,
        show: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator,
        update: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator,
        delete: @escaping @Sendable (Request, Context) async throws -> some ResponseGenerator
    ) -> Self {
        get(use: list)
        post(use: create)
        get(":id", use: show)
        put(":id", use: update)
        patch(":id", use: update)
        self.delete(":id", use: delete)
        return self
    }
}
