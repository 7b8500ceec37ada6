/// A symbol under construction: module colours, and which modules belong to function
/// patterns so that data placement and masking leave them alone. Row-major, true = dark.
struct ModuleGrid: Sendable, Equatable {
    let size: Int
    private(set) var modules: [Bool]
    private(set) var isFunction: [Bool]

    init(size: Int) {
        self.size = size
        modules = Array(repeating: false, count: size * size)
        isFunction = Array(repeating: false, count: size * size)
    }

    mutating func setFunctionModule(x: Int, y: Int, dark: Bool) {
        modules[y * size + x] = dark
        isFunction[y * size + x] = true
    }

    mutating func setDataModule(at index: Int, dark: Bool) {
        modules[index] = dark
    }

    mutating func toggleDataModule(at index: Int) {
        modules[index].toggle()
    }
}
