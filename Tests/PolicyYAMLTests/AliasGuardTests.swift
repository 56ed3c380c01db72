import Foundation
import PolicyYAML
import Testing

@testable import PolicyYAML

/// YAML anchors and aliases cannot make a policy file cost unbounded time or memory.
@Suite struct AliasGuardTests {
    /// Nine levels of nine aliases each: 9^9 leaves when expanded.
    static let billionLaughs = """
        a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
        b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
        c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
        d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
        e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
        f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
        g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
        h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
        i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]

        """

    func issues(_ name: String, _ text: String) -> [String] {
        do {
            _ = try PolicyLoader.load(files: Fixture.with([name: text]))
            return []
        } catch {
            return error.issues.map(\.description)
        }
    }

    @Test func aBillionLaughsFileIsRefusedAtItsLine() {
        let got = issues("cache.yaml", Self.billionLaughs)
        #expect(got.count == 1, "\(got)")
        // Nine aliases a line from line 2 on: the 65th is on line 9.
        #expect(got.first?.hasPrefix("cache.yaml:9:") == true, "\(got)")
        #expect(got.first?.contains("aliases") == true, "\(got)")
    }

    @Test func fewAliasesThatExpandTooFarAreRefused() {
        // 5 aliases per level, 4 levels of a 2,000-item list: 20 aliases, 1.25 million nodes.
        let items = (0..<2_000).map { "x\($0)" }.joined(separator: ",")
        let text = """
            a: &a [\(items)]
            b: &b [*a,*a,*a,*a,*a]
            c: &c [*b,*b,*b,*b,*b]
            d: &d [*c,*c,*c,*c,*c]
            e: [*d,*d,*d,*d,*d]

            """
        let got = issues("cache.yaml", text)
        #expect(got.count == 1, "\(got)")
        #expect(got.first?.contains("expands to more than") == true, "\(got)")
        #expect(got.first?.hasPrefix("cache.yaml:") == true)
    }

    @Test(arguments: [
        ("? [a, b]\n: 1\n", "cache.yaml:1:1", "complex keys"),
        ("x: &x 1\n*x : 2\n", "cache.yaml:2:1", "alias used as a mapping key"),
        ("x: &x [1]\n[*x, *x]: 2\n", "cache.yaml:2:6", "alias inside a mapping key"),
        ("x: &x [1]\ny: {[*x]: 2}\n", "cache.yaml:2:6", "alias inside a mapping key"),
    ])
    func complexKeysAreRefusedAtTheirPosition(text: String, location: String, message: String) {
        let got = issues("cache.yaml", text)
        #expect(got.count == 1, "\(got)")
        #expect(got.first?.hasPrefix(location + ": error: ") == true, "\(got)")
        #expect(got.first?.contains(message) == true, "\(got)")
    }

    @Test func aliasesInTextAndCommentsAreNotCounted() {
        let text = (0..<100).map { "# *comment \($0)\nk\($0): \"*quoted\" # *c\nv\($0): a*b\n" }.joined()
            + "s: |\n  *block scalar line\n  [*also, text]: here\n"
        #expect(AliasGuard.scan(text) == nil)
    }

    @Test func aFewOrdinaryAliasesAreFine() {
        #expect(AliasGuard.scan("a: &a {x: 1}\nb: *a\nc: [*a, *a]\nd: {k: *a, j: 2}\n") == nil)
    }

    @Test func theShippedPoliciesPass() {
        for file in PolicyLoader.embeddedFiles { #expect(AliasGuard.scan(file.text) == nil, "\(file.name)") }
    }
}
