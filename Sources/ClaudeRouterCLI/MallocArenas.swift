#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging

/// glibc's malloc arenas for `serve`.
///
/// glibc gives each thread that allocates under contention an arena of its own, up to eight per core, and keeps
/// freed memory in each. The router's request path runs on its event loops, the libcurl thread and the ledger
/// writer, so a handful of arenas is enough: with two, peak RSS in `Benchmarks/router-overhead/memory.sh` was 64.1 MB
/// after 124,000 requests against 66.9 MB with glibc's default (docs/benchmarks-overhead.md, fourth pass).
/// `MALLOC_ARENA_MAX` in the environment, when set, wins (glibc reads it itself).
enum MallocArenas {
    static let serveLimit: Int32 = 2

    /// `M_ARENA_MAX` of glibc's `<malloc.h>`, which Swift's Glibc module does not import.
    static let arenaMaxParameter: Int32 = -8

    static func limitForServe(logger: Logger) {
        #if canImport(Glibc)
        guard ProcessInfo.processInfo.environment["MALLOC_ARENA_MAX"] == nil else { return }
        // `mallopt` is looked up rather than declared: <malloc.h> is not in the Glibc module map, and a C libc
        // without it (musl) simply keeps its allocator as it is.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        if mallopt(arenaMaxParameter, serveLimit) != 1 {
            logger.debug("mallopt(M_ARENA_MAX) refused; glibc's default arenas stay")
        }
        #endif
    }
}
