import Spelling
import Testing

@Suite struct SuggestionTests {
    @Test func editDistanceCountsInsertionsDeletionsAndSubstitutions() {
        #expect(Suggestion.editDistance("kitten", "sitting") == 3)
        #expect(Suggestion.editDistance("", "abc") == 3)
        #expect(Suggestion.editDistance("needs", "needs") == 0)
        #expect(Suggestion.editDistance("nedes", "needs") == 1)
        #expect(Suggestion.editDistance("ab", "ba") == 1)
    }

    @Test func nearestNameIsSuggestedOnlyWhenClose() {
        #expect(Suggestion.nearest(to: "subset", in: ["subsets", "sizes"]) == "subsets")
        #expect(Suggestion.nearest(to: "Sizes", in: ["subsets", "sizes"]) == "sizes")
        #expect(Suggestion.nearest(to: "learning", in: ["subsets", "sizes"]) == nil)
        #expect(Suggestion.nearest(to: "x", in: []) == nil)
    }
}
