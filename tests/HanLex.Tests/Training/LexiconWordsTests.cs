using HanLex.Corpus;
using HanLex.Tests.Analysis;
using HanLex.Training;

namespace HanLex.Tests.Training;

/// <summary>Words given for the segmentation lexicon beyond the training corpus's own (<see cref="TrainingOptions.LexiconWords"/>).</summary>
public class LexiconWordsTests
{
    [Fact]
    public void Every_fold_sees_the_given_words_but_not_its_own()
    {
        var train = new[] { "北京/ns 大学/n", "上海/ns 交通/n" }.Select(l => PeopleDailyParser.Parse(l)).ToList();
        var folds = Trainer.JackknifeLexicons(train, 2, ["量子计算"]);
        Assert.All(folds, lexicon => Assert.True(lexicon.Contains("量子计算")));
        Assert.False(folds[0].Contains("北京"));
        Assert.True(folds[1].Contains("北京"));
    }

    [Fact]
    public void The_trained_segmenter_keeps_the_given_words()
    {
        var options = new TrainingOptions { Epochs = 2, LexiconFolds = 2, LexiconWords = ["量子计算", "研究院", "ＡＢＣ公司"] };
        var segmenter = new Trainer(options).TrainSegmenter(TinyModel.Sentences);
        Assert.True(segmenter.Lexicon!.Contains("量子计算"));
        Assert.True(segmenter.Lexicon.Contains("研究院"));
        Assert.True(segmenter.Lexicon.Contains("环保厅"));
        Assert.True(segmenter.Lexicon.Contains("abc公司")); // normalized, as the text it is matched against
    }
}
