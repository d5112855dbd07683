using HanLex.Analysis;
using HanLex.Corpus;
using HanLex.Evaluation;
using HanLex.Training;

namespace HanLex.Tests.Integration;

/// <summary>
/// Trains on a slice of the pd98 training part and scores on its test part, so a broken feature set or decoder
/// fails CI. The floors are far below the full model's figures (see models/MODEL_CARD.md) but far above chance.
/// </summary>
public class TrainingIntegrationTests
{
    [Fact]
    public void A_model_trained_on_a_slice_of_pd98_clears_accuracy_floors()
    {
        List<Sentence> all;
        using (var reader = CorpusReader.Open(SharedData.PathOf("corpora/pku1998/199801.utf8")))
            all = reader.Where(s => !s.IsEmpty).ToList();
        int cut = (int)(all.Count * 0.9);
        var train = all.Take(3000).ToList();
        var test = all.Skip(cut).Take(500).ToList();

        var trainer = new Trainer(new TrainingOptions { Epochs = 4 });
        var segmenter = trainer.TrainSegmenter(train);
        var tagger = trainer.TrainTagger(train);
        var recognizer = trainer.TrainRecognizer(train, tagger.TagSet);
        var analyzer = new LexicalAnalyzer(new HanLex.Models.ModelBundle(segmenter, tagger, recognizer,
            new HanLex.Models.ModelInfo("slice", "test", "", DateTimeOffset.UnixEpoch)));

        var cws = new SegmentationScorer();
        var pos = new TaggingScorer();
        var ner = new EntityScorer(EntityLabels.Default);
        foreach (var gold in test)
        {
            var pred = analyzer.Analyze(gold.Text);
            Assert.Equal(gold.Text, pred.Text);
            cws.Add(gold, pred);
            pos.Add(gold, pred);
            ner.Add(gold, pred);
        }
        Assert.True(cws.Result.F1 > 90, $"segmentation F1 {cws.Result.F1:F2}");
        Assert.True(pos.Joint.F1 > 80, $"joint F1 {pos.Joint.F1:F2}");
        Assert.True(ner.Micro.F1 > 60, $"NER F1 {ner.Micro.F1:F2}");
    }
}
