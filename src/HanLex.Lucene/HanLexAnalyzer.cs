using HanLex.Analysis;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace HanLex.Lucene;

/// <summary>
/// A Lucene.NET analyzer for Chinese: <see cref="HanLexTokenizer"/>, then optionally without punctuation and stop
/// words, then Latin letters lower-cased. Share one <see cref="LexicalAnalyzer"/> between all analyzers and threads.
/// </summary>
public sealed class HanLexAnalyzer(LexicalAnalyzer analyzer, HanLexAnalyzerOptions? options = null) : Analyzer
{
    private readonly HanLexAnalyzerOptions _options = options ?? new HanLexAnalyzerOptions();
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var tokenizer = new HanLexTokenizer(reader, analyzer, new HanLexTokenizerOptions { Tag = _options.Tag, SearchMode = _options.SearchMode });
        TokenStream stream = tokenizer;
        if (_options.RemovePunctuation)
            stream = new TypeTokenFilter(Version, stream, new HashSet<string> { HanLexTokenizer.PunctuationType });
        if (_options.StopWords is { Count: > 0 } stop)
            stream = new StopFilter(Version, stream, new CharArraySet(Version, stop.ToList(), ignoreCase: true));
        stream = new LowerCaseFilter(Version, stream);
        return new TokenStreamComponents(tokenizer, stream);
    }
}

/// <summary>What <see cref="HanLexAnalyzer"/> emits.</summary>
public sealed record HanLexAnalyzerOptions
{
    /// <summary>Tag words so that the token type is the POS tag; off is faster.</summary>
    public bool Tag { get; init; } = true;

    /// <summary>Index the known sub-words of long words too (at the long word's position).</summary>
    public bool SearchMode { get; init; }

    /// <summary>Drop punctuation tokens.</summary>
    public bool RemovePunctuation { get; init; } = true;

    /// <summary>Words to drop (none by default; <see cref="ChineseStopWords.Common"/> is a short list of function words).</summary>
    public IReadOnlyCollection<string>? StopWords { get; init; }
}

/// <summary>Stop words for Chinese search.</summary>
public static class ChineseStopWords
{
    /// <summary>Frequent function words (particles, copula, conjunctions, prepositions) that rarely help a query.</summary>
    public static IReadOnlyCollection<string> Common { get; } =
    [
        "的", "了", "着", "过", "地", "得", "是", "在", "和", "与", "及", "或", "而", "也", "都", "就", "又",
        "把", "被", "对", "从", "向", "于", "以", "之", "其", "这", "那", "个", "吗", "呢", "吧", "啊",
    ];
}
