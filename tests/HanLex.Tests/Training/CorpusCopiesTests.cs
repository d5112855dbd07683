using HanLex.Corpus;
using HanLex.Features;
using HanLex.Tagging;
using HanLex.Tests.Analysis;
using HanLex.Text;
using HanLex.Training;

namespace HanLex.Tests.Training;

/// <summary>Segmentation learned from extra corpora of another standard through per-corpus feature copies.</summary>
public class CorpusCopiesTests
{
    [Fact]
    public void Copies_carry_their_corpus_and_project_back_to_the_main_corpus_only()
    {
        ulong[] keys = [FeatureKey.Chars(2, '北'), 0, FeatureKey.Chars(7, '北', '京')];
        var main = new ulong[6];
        var other = new ulong[6];
        CorpusCopies.Expand(keys.AsSpan(0, 3), 3, 0, main);
        CorpusCopies.Expand(keys.AsSpan(0, 3), 3, 2, other);
        Assert.Equal(keys, main[..3]);
        Assert.Equal(0UL, main[4]);
        Assert.DoesNotContain(main[3], keys);
        Assert.NotEqual(main[3], other[3]);
        Assert.Equal(keys[0], CorpusCopies.Project(main[3]));
        Assert.Equal(keys[2], CorpusCopies.Project(main[5]));
        Assert.Equal(0UL, CorpusCopies.Project(other[3]));
        Assert.Equal(keys[0], CorpusCopies.Project(keys[0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => CorpusCopies.Expand(keys, 3, CorpusCopies.MaxCorpora, new ulong[6]));
    }

    [Fact]
    public void Segmentation_features_leave_the_bits_of_the_copies_free()
    {
        var chars = "１９９８年，北京大学的ABC学生说：“好！”".Select(CharClassifier.Normalize).ToArray();
        var matches = new LexiconMatch[chars.Length];
        for (int i = 0; i < matches.Length; i++) matches[i] = new LexiconMatch { Begin = 8, End = 8, Middle = 8 };
        var keys = new ulong[chars.Length * CharFeatures.Count];
        CharFeatures.Extract(chars, matches, keys);
        Assert.All(keys, k => Assert.Equal(k, CorpusCopies.Project(k)));
    }

    [Fact]
    public void An_extra_corpus_of_another_standard_informs_without_overriding_the_main_one()
    {
        // The extra corpus writes 北京大学 as one word, many times; the main corpus splits it.
        var extra = Enumerable.Range(0, 12).Select(i => SegmentedText.Parse(i % 2 == 0 ? "北京大学 的 学生 说" : "他 在 北京大学 工作")).ToList();
        var options = new TrainingOptions { Epochs = 8, LexiconFolds = 2, PruneThreshold = 0 };
        var segmenter = new Trainer(options).TrainSegmenter(TinyModel.Sentences, extra: [extra]);
        Assert.All(segmenter.Model.Keys, k => Assert.Equal(k, CorpusCopies.Project(k)));
        Assert.Equal(["北京", "大学", "的", "学生", "参观", "了", "博物馆", "。"], Segment(segmenter, "北京大学的学生参观了博物馆。"));
        Assert.True(segmenter.Lexicon!.Contains("北京大学"));
    }

    private static List<string> Segment(Segmenter segmenter, string text)
    {
        var chars = text.Select(CharClassifier.Normalize).ToArray();
        var labels = new int[chars.Length];
        segmenter.Label(chars, default, labels, new Workspace());
        var words = new List<string>();
        int start = 0;
        for (int i = 0; i < labels.Length; i++)
            if (WordLabels.EndsWord(labels[i])) { words.Add(text[start..(i + 1)]); start = i + 1; }
        return words;
    }
}
