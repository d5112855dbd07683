using HanLex.Corpus;
using HanLex.Models;
using HanLex.Training;

namespace HanLex.Tests.Analysis;

/// <summary>A model trained in a second on a handful of sentences written for these tests; every feature counts, since
/// few occur twice in so few sentences.</summary>
public static class TinyModel
{
    public static readonly string[] Corpus =
    [
        "[湖北省/ns 环保厅/n]/nt 近日/t 下发/v 通知/n 。/w",
        "[北京/ns 大学/n]/nt 的/u 学生/n 参观/v 了/u 博物馆/n 。/w",
        "李/nr 明/nr 在/p 上海/ns 工作/v 。/w",
        "我们/r 今天/t 去/v 北京/ns 。/w",
        "[上海/ns 交通/n 大学/n]/nt 发布/v 新/a 成果/n 。/w",
        "王/nr 芳/nr 是/v 学生/n 。/w",
        "１９９８年/t 经济/n 发展/v 很/d 快/a 。/w",
        "他/r 说/v ：/w 今天/t 天气/n 很/d 好/a 。/w",
    ];

    public static List<Sentence> Sentences => Corpus.Select(l => PeopleDailyParser.Parse(l)).ToList();

    private static readonly Lazy<ModelBundle> Bundle = new(() =>
    {
        var trainer = new Trainer(new TrainingOptions { Epochs = 8, LexiconFolds = 2, PruneThreshold = 0, PosMinFeatureCount = 1 });
        var train = Sentences;
        var seg = trainer.TrainSegmenter(train);
        var pos = trainer.TrainTagger(train);
        var ner = trainer.TrainRecognizer(train, pos.TagSet);
        return new ModelBundle(seg, pos, ner, new ModelInfo("tiny test corpus", ModelInfo.CurrentVersion, "", DateTimeOffset.UnixEpoch));
    });

    public static ModelBundle Models => Bundle.Value;
}
