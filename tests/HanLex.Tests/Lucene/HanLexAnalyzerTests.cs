using HanLex.Analysis;
using HanLex.Lucene;
using HanLex.Models;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.QueryParsers.Classic;
using Lucene.Net.Search;
using Lucene.Net.Search.Highlight;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace HanLex.Tests.Lucene;

public sealed class HanLexAnalyzerTests
{
    private static readonly Lazy<LexicalAnalyzer> Default = new(() => DefaultModel.LoadAnalyzer());

    private sealed record Emitted(string Term, int Start, int End, string Type, int Increment);

    private static List<Emitted> Tokens(Analyzer analyzer, string text, out int finalOffset)
    {
        var result = new List<Emitted>();
        using var stream = analyzer.GetTokenStream("body", new StringReader(text));
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offset = stream.AddAttribute<IOffsetAttribute>();
        var type = stream.AddAttribute<ITypeAttribute>();
        var increment = stream.AddAttribute<IPositionIncrementAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
            result.Add(new Emitted(term.ToString(), offset.StartOffset, offset.EndOffset, type.Type, increment.PositionIncrement));
        stream.End();
        finalOffset = offset.EndOffset;
        return result;
    }

    [Fact]
    public void Offsets_point_at_the_words_in_the_original_text_and_types_are_tags()
    {
        const string text = "湖北省环保厅近日下发通知。\r\n\n  ＡＢＣ公司在北京成立！";
        using var analyzer = new HanLexAnalyzer(Default.Value, new HanLexAnalyzerOptions { RemovePunctuation = false });
        var tokens = Tokens(analyzer, text, out int final);
        Assert.Equal(text.Length, final);
        int lastStart = 0;
        foreach (var t in tokens)
        {
            Assert.Equal(text[t.Start..t.End].ToLowerInvariant(), t.Term);
            Assert.True(t.Start >= lastStart, "offsets go forward");
            Assert.Equal(1, t.Increment);
            lastStart = t.Start;
        }
        // Every non-space character is in exactly one token.
        Assert.Equal(text.Where(c => !char.IsWhiteSpace(c)).Count(), tokens.Sum(t => t.End - t.Start));
        Assert.Contains(tokens, t => t.Term == "北京" && t.Type == "ns");
        Assert.Contains(tokens, t => t.Term == "。" && t.Type == HanLexTokenizer.PunctuationType);
    }

    [Fact]
    public void Punctuation_and_stop_words_are_dropped_when_asked()
    {
        const string text = "我们的学生在北京，参观了博物馆。";
        using var plain = new HanLexAnalyzer(Default.Value, new HanLexAnalyzerOptions { RemovePunctuation = false });
        using var filtered = new HanLexAnalyzer(Default.Value, new HanLexAnalyzerOptions { StopWords = ChineseStopWords.Common });
        var all = Tokens(plain, text, out _).Select(t => t.Term).ToList();
        var kept = Tokens(filtered, text, out _).Select(t => t.Term).ToList();
        Assert.Contains("，", all);
        Assert.Contains("的", all);
        Assert.DoesNotContain("，", kept);
        Assert.DoesNotContain("。", kept);
        Assert.DoesNotContain("的", kept);
        Assert.DoesNotContain("在", kept);
        Assert.Contains("博物馆", kept);
    }

    [Fact]
    public void Search_mode_stacks_the_known_sub_words_of_a_long_word_at_its_position()
    {
        const string text = "中华人民共和国成立";
        using var analyzer = new HanLexAnalyzer(Default.Value, new HanLexAnalyzerOptions { SearchMode = true, Tag = false });
        var tokens = Tokens(analyzer, text, out _);
        int whole = tokens.FindIndex(t => t.Term == "中华人民共和国");
        Assert.True(whole >= 0, string.Join(" ", tokens.Select(t => t.Term)));
        Assert.Equal(1, tokens[whole].Increment);
        var stacked = tokens.Skip(whole + 1).TakeWhile(t => t.Increment == 0).ToList();
        Assert.Contains(stacked, t => t.Term == "人民" && text[t.Start..t.End] == "人民");
        Assert.Contains(stacked, t => t.Term == "共和国");
        Assert.All(stacked, t => Assert.Equal("word", t.Type));
        Assert.Equal("成立", tokens[^1].Term);
        Assert.Equal(1, tokens[^1].Increment);
    }

    [Fact]
    public void A_real_index_finds_and_highlights_chinese_words()
    {
        string[] documents =
        [
            "湖北省环保厅和省公安消防总队联合下发通知。",
            "北京大学的学生参观了国家博物馆。",
            "上海今天天气很好，市民纷纷出门。",
            "中华人民共和国成立五十周年。",
        ];
        using var analyzer = new HanLexAnalyzer(Default.Value, new HanLexAnalyzerOptions { SearchMode = true });
        using var directory = new RAMDirectory();
        using (var writer = new IndexWriter(directory, new IndexWriterConfig(LuceneVersion.LUCENE_48, analyzer)))
        {
            var withOffsets = new FieldType(TextField.TYPE_STORED) { IndexOptions = IndexOptions.DOCS_AND_FREQS_AND_POSITIONS_AND_OFFSETS };
            foreach (var text in documents) writer.AddDocument(new Document { new Field("body", text, withOffsets) });
        }
        using var reader = DirectoryReader.Open(directory);
        var searcher = new IndexSearcher(reader);
        var parser = new QueryParser(LuceneVersion.LUCENE_48, "body", analyzer);

        string[] Search(string query) =>
            searcher.Search(parser.Parse(query), 10).ScoreDocs.Select(d => searcher.Doc(d.Doc).Get("body")).ToArray();

        Assert.Equal([documents[1]], Search("博物馆"));
        Assert.Equal([documents[0]], Search("环保厅"));
        Assert.Equal([documents[3]], Search("共和国")); // a sub-word of 中华人民共和国, found in search mode
        Assert.Empty(Search("广州"));
        // Single characters are not tokens of 博物馆, so 博 alone does not match it.
        Assert.Empty(Search("博"));

        var query = parser.Parse("博物馆");
        var highlighter = new Highlighter(new SimpleHTMLFormatter("<b>", "</b>"), new QueryScorer(query));
        var fragment = highlighter.GetBestFragment(analyzer, "body", documents[1]);
        Assert.Equal("北京大学的学生参观了国家<b>博物馆</b>。", fragment);
    }

    [Fact]
    public void The_same_analyzer_reuses_its_tokenizer_across_documents()
    {
        using var analyzer = new HanLexAnalyzer(Default.Value);
        var first = Tokens(analyzer, "北京大学的学生", out _).Select(t => t.Term).ToList();
        var second = Tokens(analyzer, "上海", out int final).Select(t => t.Term).ToList();
        Assert.Contains("学生", first);
        Assert.Equal(["上海"], second);
        Assert.Equal(2, final);
    }
}
