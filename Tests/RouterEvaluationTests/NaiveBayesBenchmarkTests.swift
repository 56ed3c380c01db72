import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

import RouterCore
import RouterEvaluation

/// Timing and ablation figures for docs/classifier.md; off unless `CLASSIFIER_BENCH=1`, since timings belong in a
/// release build on a quiet machine, not in every test run:
///
///     CLASSIFIER_BENCH=1 CLAUDE_ROUTER_CORE_ONLY=1 swift test -c release -Xswiftc -enable-testing \
///         --filter NaiveBayesBenchmark
@Suite(.enabled(if: ProcessInfo.processInfo.environment["CLASSIFIER_BENCH"] != nil))
struct NaiveBayesBenchmarkTests {
    @Test func trainingAndClassificationTimes() throws {
        let examples = try shippedExamples()
        let clock = ContinuousClock()
        var classifier = NaiveBayesClassifier(examples: examples)
        var best = Duration.seconds(1_000)
        var bestCPU = UInt64.max
        for _ in 0..<5 {
            let cpu = threadCPUNanoseconds()
            best = min(best, clock.measure { classifier = NaiveBayesClassifier(examples: examples) })
            bestCPU = min(bestCPU, threadCPUNanoseconds() - cpu)
        }
        print(
            "BENCH training on \(examples.count) examples: best of 5 wall \(best), CPU \(bestCPU / 1_000) µs, features \(classifier.featureCount), temperature \(classifier.temperature)"
        )

        // A 2 KB prompt: an instruction and pasted code, the common shape of a coding request.
        let unit =
            "Refactor this function to use async/await and add error handling:\n"
            + "func load(id: String, completion: @escaping (Result<User, Error>) -> Void) {\n"
            + "    session.dataTask(with: url(for: id)) { data, _, error in completion(.success(decode(data))) }.resume()\n}\n"
        var prompt = ""
        while prompt.utf8.count < 2_048 { prompt += unit }
        prompt = String(prompt.utf8.prefix(2_048))!
        let iterations = 20_000
        var labels = 0
        // CPU time of this thread as well as wall time: on a shared, loaded machine the wall clock mostly measures
        // the scheduler.
        var cpu = threadCPUNanoseconds()
        let elapsed = clock.measure {
            for _ in 0..<iterations { labels &+= classifier.classify(prompt).label.utf8.count }
        }
        cpu = threadCPUNanoseconds() - cpu
        print(
            "BENCH classify a \(prompt.utf8.count)-byte prompt: wall \(elapsed / iterations), CPU \(cpu / UInt64(iterations)) ns per call over \(iterations) calls (\(labels))"
        )
        let short = "Classify the sentiment of this review: the battery died after two days."
        cpu = threadCPUNanoseconds()
        let shortElapsed = clock.measure {
            for _ in 0..<iterations { labels &+= classifier.classify(short).label.utf8.count }
        }
        cpu = threadCPUNanoseconds() - cpu
        print(
            "BENCH classify a \(short.utf8.count)-byte prompt: wall \(shortElapsed / iterations), CPU \(cpu / UInt64(iterations)) ns per call"
        )
        #expect(labels > 0)
    }

    @Test func ablations() throws {
        let examples = try shippedExamples()
        let configurations: [(String, NaiveBayesClassifier.Configuration)] = [
            ("default (alpha 1, cap 100, words+bigrams+char 4-5+symbols)", .init()),
            ("no character n-grams", .init(features: TextFeatures(characterGramLengths: nil))),
            ("character 3-5", .init(features: TextFeatures(characterGramLengths: 3...5))),
            ("no bigrams", .init(features: TextFeatures(wordBigrams: false))),
            ("no symbols", .init(features: TextFeatures(symbols: false))),
            ("smoothing 0.1", .init(smoothing: 0.1)),
            ("smoothing 2", .init(smoothing: 2)),
            ("evidence cap 50", .init(evidenceCap: 50)),
            ("evidence cap 1000", .init(evidenceCap: 1_000)),
            ("temperature 1 (raw naive Bayes)", .init(temperature: 1)),
            ("body weight 1 (no instruction emphasis)", .init(bodyWeight: 1)),
            ("body weight 0.1", .init(bodyWeight: 0.1)),
            ("body weight 0.5", .init(bodyWeight: 0.5)),
            ("instruction 120 bytes", .init(instructionBytes: 120)),
            ("instruction 400 bytes", .init(instructionBytes: 400)),
        ]
        for (name, configuration) in configurations {
            let reports = [42, 1, 2].map {
                NaiveBayesClassifier.crossValidate(examples: examples, folds: 5, seed: $0, configuration: configuration)
            }
            let accuracy = reports.map(\.accuracy).reduce(0, +) / 3
            let logLoss = reports.map(\.logLoss).reduce(0, +) / 3
            let ece = reports.map(\.expectedCalibrationError).reduce(0, +) / 3
            print(String(format: "BENCH %@: accuracy %.3f, log loss %.3f, ECE %.3f", name, accuracy, logLoss, ece))
        }
    }
}

/// CPU time consumed by the calling thread, in nanoseconds.
private func threadCPUNanoseconds() -> UInt64 {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
}
