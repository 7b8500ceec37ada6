import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The folder that holds the database, its backups and the keys: readable by the service's own
/// user only, and held by one server at a time.
public enum DataFolder {
    /// Creates the folder with mode 0700 (tightening one that exists) and sets the process's
    /// umask so that every file created afterwards (SQLite's database, log and shared-memory
    /// files, backups, keys.json) is 0600 from its first byte.
    public static func prepare(_ path: String) throws {
        umask(0o077)
        try FileManager.default.createDirectory(
            atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // An existing folder (a Docker volume, an older install) keeps its mode otherwise.
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: path)
    }

    /// Takes the folder's lock file, or throws `DataFolderError.inUse` when a running server holds it.
    public static func lock(_ path: String) throws -> DataFolderLock {
        let lockPath = (path as NSString).appendingPathComponent("stracker.lock")
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw DataFolderError.unusable(path: lockPath, reason: String(cString: strerror(errno))) }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            throw DataFolderError.inUse(path: path)
        }
        return DataFolderLock(descriptor: descriptor)
    }
}

/// Held while the process lives (or until dropped): the kernel releases it when the process ends.
public final class DataFolderLock: Sendable {
    let descriptor: Int32

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }
}

public enum DataFolderError: Error, CustomStringConvertible, Equatable {
    case inUse(path: String)
    case unusable(path: String, reason: String)

    public var description: String {
        switch self {
        case .inUse(let path): "Another stracker process is using \(path): stop it first."
        case .unusable(let path, let reason): "Cannot open \(path): \(reason)"
        }
    }
}
