using CsCheck;
using HanLex.Analysis;
using HanLex.Corpus;
using HanLex.Fuzz;
using HanLex.Lexicon;
using HanLex.Models;

namespace HanLex.Tests.Properties;

/// <summary>
/// On any string, analysis does not throw, and its words with the whitespace between them are exactly the input.
/// </summary>
public sealed class AnalyzerProperties
{
    public const long Iterations = 3000;
    private static readonly Lazy<LexicalAnalyzer> Default = new(() =>
        DefaultModel.LoadAnalyzer([new UserDictionary([new DictionaryEntry("北京大学", "nt"), new DictionaryEntry("大学生"), new DictionaryEntry("😀😀")])]));

    /// <summary>The property itself, the one the fuzzing harness checks.</summary>
    internal static void CheckExact(string text, Sentence s) => FuzzTargets.Check(text, s);

    [Fact]
    public void Analyze_reproduces_any_text_exactly()
    {
        var analyzer = Default.Value;
        Gens.Text.Sample(text => CheckExact(text, analyzer.Analyze(text)), iter: Iterations);
    }

    [Fact]
    public void Segment_reproduces_any_text_exactly()
    {
        var analyzer = Default.Value;
        Gens.Text.Sample(text => CheckExact(text, analyzer.Segment(text)), iter: Iterations);
    }

    [Fact]
    public void Segmenting_into_ranges_gives_the_words_of_Segment()
    {
        var analyzer = Default.Value;
        var giant = string.Concat(Enumerable.Repeat("中华人民共和国成立\U00020001五十周年。北京大学", LexicalAnalyzer.MaxPieceLength / 20 + 3));
        Gen.Frequency((30, Gens.Text), (4, Gens.Text.Select(t => t + "北京大学" + t)), (1, Gen.Const(giant))).Sample(text =>
        {
            var words = analyzer.Segment(text).Words;
            // Exactly the room the words can need: a range per character that is not whitespace.
            var ranges = new Range[text.Count(c => !HanLex.Text.CharClassifier.IsWhitespace(c))];
            int count = analyzer.Segment(text, ranges);
            Assert.Equal(words.Select(w => (w.Offset, w.Text)), ranges[..count].Select(r => (r.Start.Value, text[r])));
            // The same ranges from the text as a slice of a larger buffer, whose characters around it are not read.
            var buffer = ("大学" + text + "北京").ToCharArray();
            var inBuffer = new Range[ranges.Length];
            Assert.Equal(ranges[..count], inBuffer[..analyzer.Segment(buffer.AsSpan(2, text.Length), inBuffer)]);
        }, iter: Iterations);
    }

    [Fact]
    public void Segmenting_into_too_few_ranges_is_refused()
    {
        var analyzer = Default.Value;
        Assert.Throws<ArgumentException>(() => analyzer.Segment("今天 天气", new Range[3]));
        Assert.Equal(2, analyzer.Segment("今天 天气", new Range[4]));
    }

    [Fact]
    public void Dictionary_words_come_out_whole_in_any_context()
    {
        var analyzer = Default.Value;
        Gen.Select(Gens.Text, Gens.Text).Sample((left, right) =>
        {
            // A letter or space first, so that the dictionary word cannot start inside something on its left.
            var text = left + " 北京大学" + right;
            var s = analyzer.Analyze(text);
            CheckExact(text, s);
            int start = left.Length + 1;
            Assert.Contains(s.Words, w => w.Offset == start && w.Text == "北京大学");
        }, iter: Iterations / 3);
    }

    [Fact]
    public void A_text_longer_than_a_piece_is_analyzed_whole_and_exactly()
    {
        var analyzer = Default.Value;
        // No punctuation or whitespace: the pieces are cut by length, never inside a surrogate pair.
        var unit = "中华人民共和国成立\U00020001五十周年";
        var text = string.Concat(Enumerable.Repeat(unit, 3 * LexicalAnalyzer.MaxPieceLength / unit.Length + 7));
        CheckExact(text, analyzer.Analyze(text));
        var withSentences = string.Concat(Enumerable.Repeat("我们今天去北京。", 3000)) + "结束";
        var s = analyzer.Analyze(withSentences);
        CheckExact(withSentences, s);
        Assert.Equal(analyzer.Analyze("我们今天去北京。").Words.Count * 3000 + analyzer.Analyze("结束").Words.Count, s.Words.Count);
    }

    [Fact]
    public void Analyzing_a_batch_gives_what_analyzing_each_text_gives()
    {
        var analyzer = Default.Value;
        // Batches large enough to be tagged in several groups, with dictionary words (one tagged), empty texts and
        // the odd text longer than a piece.
        var giant = string.Concat(Enumerable.Repeat("中华人民共和国成立五十周年。", LexicalAnalyzer.MaxPieceLength / 14 + 3));
        var text = Gen.Frequency((20, Gens.Text), (4, Gens.Text.Select(t => t + "北京大学" + t)), (1, Gen.Const("")), (1, Gen.Const(giant)));
        text.Array[0, 400].Sample(texts =>
        {
            var batch = analyzer.Analyze(texts);
            Assert.Equal(texts.Length, batch.Length);
            for (int i = 0; i < texts.Length; i++)
            {
                var one = analyzer.Analyze(texts[i]);
                Assert.Equal(one.Words, batch[i].Words);
                Assert.Equal(one.Compounds, batch[i].Compounds);
                CheckExact(texts[i], batch[i]);
            }
        }, iter: 40);
    }
}
