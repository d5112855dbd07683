using HanLex.Corpus;
using HanLex.Evaluation;

namespace HanLex.Tests.Evaluation;

public class ScorerTests
{
    private static Sentence Pd(string line) => PeopleDailyParser.Parse(line);

    [Fact]
    public void Segmentation_scores_match_a_hand_count()
    {
        // gold: 中国 人民 银行 行长 (4 words); pred: 中国人民 银行 行 长 (4 words); only 银行 is right.
        var scorer = new SegmentationScorer(new HashSet<string> { "中国", "人民", "行长" });
        scorer.Add(Pd("中国/ns 人民/n 银行/n 行长/n"), Pd("中国人民/n 银行/n 行/v 长/a"));
        Assert.Equal((1, 4, 4), (scorer.Result.Correct, scorer.Result.Gold, scorer.Result.Pred));
        Assert.Equal(25.0, scorer.Result.Precision, 6);
        Assert.Equal(25.0, scorer.Result.F1, 6);
        Assert.Equal(100.0, scorer.OovRecall, 6); // 银行 is the only OOV gold word and it is found
        Assert.Equal(0.0, scorer.IvRecall, 6);
        Assert.Equal(25.0, scorer.OovRate, 6);
    }

    [Fact]
    public void Unequal_counts_give_different_precision_and_recall()
    {
        var scorer = new SegmentationScorer();
        scorer.Add(Pd("我/r 爱/v 北京/ns"), Pd("我/r 爱/v 北/f 京/j"));
        Assert.Equal(2.0 / 4 * 100, scorer.Result.Precision, 6);
        Assert.Equal(2.0 / 3 * 100, scorer.Result.Recall, 6);
        Assert.Equal(2 * 50.0 * (200.0 / 3) / (50.0 + 200.0 / 3), scorer.Result.F1, 6);
    }

    [Fact]
    public void Tagging_accuracy_counts_aligned_words_and_joint_needs_span_and_tag()
    {
        var scorer = new TaggingScorer();
        scorer.Add(Pd("我/r 爱/v 北京/ns"), Pd("我/r 爱/n 北/f 京/j"));
        Assert.Equal(2, scorer.AlignedWords);
        Assert.Equal(50.0, scorer.Accuracy, 6);
        Assert.Equal((1, 3, 4), (scorer.Joint.Correct, scorer.Joint.Gold, scorer.Joint.Pred));
    }

    [Fact]
    public void Entities_are_compounds_and_tagged_words_scored_by_exact_span_and_type()
    {
        var gold = Pd("[北京/ns 大学/n]/nt 的/u 李/nr 明/nr 去/v 上海/ns");
        var pred = Pd("北京/ns 大学/n 的/u 李/nr 明/nr 去/v 上海/ns");
        var scorer = new EntityScorer(EntityLabels.Default);
        scorer.Add(gold, pred);
        // gold: 北京大学/nt, 李/nr, 明/nr, 上海/ns; pred: 北京/ns, 李, 明, 上海
        Assert.Equal((3, 4, 4), (scorer.Micro.Correct, scorer.Micro.Gold, scorer.Micro.Pred));
        Assert.Equal((0, 1, 0), (scorer.MultiWord.Correct, scorer.MultiWord.Gold, scorer.MultiWord.Pred));
        Assert.Equal((0, 1, 0), (scorer.PerType["nt"].Correct, scorer.PerType["nt"].Gold, scorer.PerType["nt"].Pred));
        Assert.Equal((1, 1, 2), (scorer.PerType["ns"].Correct, scorer.PerType["ns"].Gold, scorer.PerType["ns"].Pred));
    }

    [Fact]
    public void Non_entity_compounds_are_seen_through()
    {
        var entities = EntityLabels.Default.Extract(Pd("[中华人民共和国/ns 宪法/n]/nz 规定/v"));
        Assert.Equal([new EntitySpan(0, 7, "ns", 1)], entities);
        Assert.Empty(EntityLabels.Of(["nt"]).Extract(Pd("[中华人民共和国/ns 宪法/n]/nz")));
    }

    [Fact]
    public void Pairs_skip_empty_lines_on_both_sides()
    {
        var gold = new[] { Pd("甲/n"), Sentence.Empty, Pd("乙/n") };
        var pred = new[] { Sentence.Empty, Pd("甲/n"), Pd("乙/n"), Sentence.Empty };
        Assert.Equal(2, SentencePairs.Align(gold, pred).Count());
    }

    [Fact]
    public void Sentences_with_different_characters_are_an_error_naming_the_lines()
    {
        var gold = CorpusReader.ReadAll("甲/n 乙/n\n丙/n\n", name: "g.txt");
        var pred = CorpusReader.ReadAll("甲 乙\n丁\n", new CorpusReaderOptions { Format = CorpusFormat.Seg }, "p.txt");
        var e = Assert.Throws<EvaluationException>(() => SentencePairs.Align(gold, pred, "g.txt", "p.txt").ToList());
        Assert.Contains("g.txt:2 and p.txt:2", e.Message);
        Assert.Contains("character 1", e.Message);
    }

    [Fact]
    public void Different_sentence_counts_are_an_error()
    {
        var e = Assert.Throws<EvaluationException>(() =>
            SentencePairs.Align([Pd("甲/n"), Pd("乙/n")], [Pd("甲/n")], "g", "p").ToList());
        Assert.Contains("more sentences", e.Message);
    }
}
