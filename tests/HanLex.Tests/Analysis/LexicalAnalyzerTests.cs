using HanLex.Analysis;
using HanLex.Corpus;
using HanLex.Lexicon;

namespace HanLex.Tests.Analysis;

public class LexicalAnalyzerTests
{
    private static LexicalAnalyzer Analyzer(params UserDictionary[] dictionaries) => new(TinyModel.Models, dictionaries);

    [Fact]
    public void A_model_trained_on_a_few_sentences_reproduces_them()
    {
        var analyzer = Analyzer();
        foreach (var s in TinyModel.Sentences)
            Assert.Equal(PeopleDailyWriter.Format(s), PeopleDailyWriter.Format(analyzer.Analyze(s.Text)));
    }

    [Fact]
    public void Compounds_come_out_in_the_corpus_format()
    {
        var s = Analyzer().Analyze("湖北省环保厅近日下发通知。");
        Assert.Equal("[湖北省/ns 环保厅/n]/nt 近日/t 下发/v 通知/n 。/w", PeopleDailyWriter.Format(s));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("今天 天气\t很好")]
    [InlineData("hello world 123")]
    [InlineData("表情😀和𠀀字")]
    [InlineData("\u0001控制\u0007字符")]
    [InlineData("\uD800孤立代理\uDC00")]
    public void Analysis_never_loses_adds_or_reorders_a_character(string text)
    {
        var s = Analyzer().Analyze(text);
        Assert.Equal(text, s.Text);
        int at = 0;
        foreach (var w in s.Words)
        {
            Assert.True(w.Offset >= at);
            Assert.True(string.IsNullOrWhiteSpace(text[at..w.Offset]), "only whitespace may fall between words");
            Assert.Equal(text.Substring(w.Offset, w.Text.Length), w.Text);
            Assert.DoesNotContain(w.Text, char.IsWhiteSpace);
            at = w.End;
        }
        Assert.True(string.IsNullOrWhiteSpace(text[at..]));
    }

    [Fact]
    public void Surrogate_pairs_are_never_split()
    {
        var s = Analyzer().Segment("𠀀𠀁😀");
        Assert.All(s.Words, w => Assert.False(char.IsLowSurrogate(w.Text[0])));
    }

    [Fact]
    public void Dictionary_words_are_kept_whole_and_tagged()
    {
        var plain = Analyzer().Analyze("量子计算研究院发布新成果。");
        var dictionary = new UserDictionary([new DictionaryEntry("量子计算研究院", "nt")]);
        var s = Analyzer(dictionary).Analyze("量子计算研究院发布新成果。");
        Assert.Equal("量子计算研究院", s.Words[0].Text);
        Assert.Equal("nt", s.Words[0].Tag);
        Assert.NotEqual("量子计算研究院", plain.Words[0].Text);
    }

    [Fact]
    public void A_dictionary_word_is_not_merged_with_its_neighbours()
    {
        var dictionary = new UserDictionary([new DictionaryEntry("天")]);
        var s = Analyzer(dictionary).Segment("今天天气");
        Assert.Contains(s.Words, w => w.Text == "天" && w.Offset == 1);
    }

    [Fact]
    public void Crossing_dictionary_words_the_first_wins()
    {
        var dictionary = new UserDictionary([new DictionaryEntry("北京大"), new DictionaryEntry("大学生")]);
        var s = Analyzer(dictionary).Segment("北京大学生");
        Assert.Equal("北京大", s.Words[0].Text);
    }

    [Fact]
    public void Dictionary_changes_apply_at_once()
    {
        var dictionary = new UserDictionary();
        var analyzer = Analyzer(dictionary);
        Assert.NotEqual("气很好", analyzer.Segment("天气很好").Words[^1].Text);
        dictionary.Add("气很好");
        Assert.Equal("气很好", analyzer.Segment("天气很好").Words[^1].Text);
        dictionary.Remove("气很好");
        Assert.NotEqual("气很好", analyzer.Segment("天气很好").Words[^1].Text);
    }

    [Fact]
    public void Dictionaries_belong_to_their_analyzer()
    {
        var with = Analyzer(new UserDictionary([new DictionaryEntry("气很好")]));
        var without = Analyzer();
        Assert.Equal("气很好", with.Segment("天气很好").Words[^1].Text);
        Assert.NotEqual("气很好", without.Segment("天气很好").Words[^1].Text);
    }

    [Fact]
    public void Learn_takes_effect_for_all_three_models()
    {
        var analyzer = Analyzer();
        var taught = PeopleDailyParser.Parse("[北京/ns 量子/n 计算/v 研究院/n]/nt 发布/v 新/a 成果/n");
        Assert.NotEqual(PeopleDailyWriter.Format(taught), PeopleDailyWriter.Format(analyzer.Analyze(taught.Text)));
        analyzer.Learn(taught);
        Assert.Equal(PeopleDailyWriter.Format(taught), PeopleDailyWriter.Format(analyzer.Analyze(taught.Text)));
        // What was learned is folded into the weights, so the models compile and run as fast as loaded ones.
        var models = analyzer.Models;
        Assert.True(models.Segmenter.IsCompiled);
        Assert.All(new[] { models.Segmenter.Model, models.Tagger!.Model, models.Recognizer!.Model }, m => Assert.Null(m.Overlay));
        // A fresh analyzer over the original models is unaffected.
        Assert.NotEqual(PeopleDailyWriter.Format(taught), PeopleDailyWriter.Format(Analyzer().Analyze(taught.Text)));
    }

    [Fact]
    public void Learning_many_sentences_at_once_takes_effect_for_each()
    {
        var analyzer = Analyzer();
        Sentence[] taught =
        [
            PeopleDailyParser.Parse("[北京/ns 量子/n 计算/v 研究院/n]/nt 发布/v 新/a 成果/n"),
            PeopleDailyParser.Parse("张三丰/nr 发明/v 了/u 太极拳/n"),
        ];
        Assert.All(taught, s => Assert.NotEqual(PeopleDailyWriter.Format(s), PeopleDailyWriter.Format(analyzer.Analyze(s.Text))));
        analyzer.Learn(taught);
        Assert.All(taught, s => Assert.Equal(PeopleDailyWriter.Format(s), PeopleDailyWriter.Format(analyzer.Analyze(s.Text))));
        Assert.True(analyzer.Models.Segmenter.IsCompiled);
        Assert.Null(analyzer.Models.Tagger!.Model.Overlay);
    }

    [Fact]
    public void One_analyzer_shared_by_8_threads_matches_one_thread()
    {
        var analyzer = Analyzer();
        var random = new Random(7);
        const string alphabet = "湖北省环保厅近日下发通知北京大学的学生参观了博物馆李明在上海工作我们今天去。，１９９８年ab 12";
        var texts = Enumerable.Range(0, 400).Select(_ =>
            new string(Enumerable.Range(0, random.Next(1, 40)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray())).ToList();
        var expected = texts.Select(t => PeopleDailyWriter.Format(analyzer.Analyze(t))).ToList();
        var actual = new string[texts.Count];
        Parallel.For(0, texts.Count, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => actual[i] = PeopleDailyWriter.Format(analyzer.Analyze(texts[i])));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Analyzing_a_given_segmentation_keeps_its_words()
    {
        var s = Analyzer().AnalyzeSegmented(["李明", "在", "上", "海工作"]);
        Assert.Equal(["李明", "在", "上", "海工作"], s.Words.Select(w => w.Text));
        Assert.All(s.Words, w => Assert.NotNull(w.Tag));
    }
}
