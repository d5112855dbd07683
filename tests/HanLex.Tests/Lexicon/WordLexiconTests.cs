using HanLex.Lexicon;

namespace HanLex.Tests.Lexicon;

public class WordLexiconTests
{
    [Fact]
    public void A_stored_word_list_gives_the_lexicon_the_general_constructor_gives()
    {
        string[] stored = ["人民", "北京", "北京大学", "大学"];
        string[] messy = ["北京大学", "人", "北京", "人民", "大学", "北京", "一二三四五六七八九"];
        foreach (var words in new[] { stored, messy })
        {
            var general = new WordLexicon(words);
            var loaded = WordLexicon.FromStored(words);
            Assert.Equal(general.Words.Order(StringComparer.Ordinal), loaded.Words.Order(StringComparer.Ordinal));
            Assert.Equal(general.Count, loaded.Count);
            Assert.True(loaded.Contains("北京大学"));
            Assert.False(loaded.Contains("京大"));
        }
        Assert.Equal(4, WordLexicon.FromStored(messy).Count); // the duplicate, the single character and the over-long word dropped
    }
}
