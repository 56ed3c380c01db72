import ClaudeAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

@testable import ClaudeSimulator

@Suite struct TokenizerTests {
    @Test(arguments: [
        ("", 0),
        ("hi", 1),
        ("Hello, world!", 6),  // Hello(2) ,(1) world(2) !(1)
        ("abcd", 1),
        ("abcde", 2),
        ("internationalization", 5),  // 20 letters / 4
        ("a_b", 3),  // underscore is punctuation
        ("  spaces\t\nare free  ", 4),  // spaces(2) are(1) free(1)
        ("café", 1),  // non-ASCII letters join the word
        ("{\"a\":1}", 7),  // { " a " : 1 }
    ])
    func countsWordsAndPunctuation(text: String, expected: Int) {
        #expect(Tokenizer.count(text) == expected)
    }

    @Test func countIsAdditiveAcrossWhitespace() {
        let a = "The quick brown fox, jumping."
        let b = "Over the lazy dog; twice!"
        #expect(Tokenizer.count(a + " " + b) == Tokenizer.count(a) + Tokenizer.count(b))
    }

    @Test func pngImagesCostPixelsOver750() {
        // A 1x1 PNG header says 1x1 pixels: 1 token; a URL image costs the 1,600 maximum.
        let png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
        #expect(Tokenizer.imageTokens(source: ["type": "base64", "media_type": "image/png", "data": .string(png)]) == 1)
        #expect(Tokenizer.imageTokens(source: ["type": "url", "url": "https://example.com/a.png"]) == 1_600)
    }

    @Test func generatedTextHasExactlyTheAskedTokens() {
        var generator = OutputGenerator(generator: SeededGenerator(seed: 7))
        for n in [1, 2, 17, 250] {
            #expect(Tokenizer.count(generator.text(tokens: n)) == n)
        }
    }
}
