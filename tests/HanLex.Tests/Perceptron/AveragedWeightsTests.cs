using HanLex.Perceptron;

namespace HanLex.Tests.Perceptron;

public class AveragedWeightsTests
{
    private static readonly LabelSet Labels = new(["a", "b"]);

    /// <summary>Two one-word sentences over features 30 (gold a) and 10 (gold b), learnt by a trainer over shared rows.</summary>
    private static AveragedWeights Trained(FeatureRows features, int[] rows30, int[] rows10, int epochs)
    {
        var trainer = new PerceptronTrainer(Labels, featuresPerPosition: 1, features);
        trainer.Prepare();
        var emissions = new float[2];
        var predicted = new int[1];
        for (int e = 0; e < epochs; e++)
        {
            trainer.Learn(new TrainingInstance(rows30, [0]), emissions, predicted);
            trainer.Learn(new TrainingInstance(rows10, [1]), emissions, predicted);
        }
        return trainer.Average();
    }

    [Fact]
    public void A_model_has_its_rows_in_key_order_and_drops_weights_at_the_threshold()
    {
        var features = new FeatureRows();
        int[] rows30 = features.Rows([30], add: true), rows10 = features.Rows([10], add: true);

        var model = Trained(features, rows30, rows10, epochs: 3).ToModel(threshold: 0f);

        Assert.Equal([10UL, 30UL], model.Keys);
        var scores = new float[2];
        model.AddScores([30], scores);
        Assert.True(scores[0] > scores[1]);
        scores = new float[2];
        model.AddScores([10], scores);
        Assert.True(scores[1] > scores[0]);
        Assert.Empty(Trained(features, rows30, rows10, epochs: 3).ToModel(threshold: 100f).Keys);
    }

    [Fact]
    public void The_mean_of_members_is_their_weights_averaged()
    {
        var features = new FeatureRows();
        int[] rows30 = features.Rows([30], add: true), rows10 = features.Rows([10], add: true);
        var one = Trained(features, rows30, rows10, epochs: 1);
        var three = Trained(features, rows30, rows10, epochs: 3);
        float[] row1 = one.ToModel(0f).DenseRowOf(10), row3 = three.ToModel(0f).DenseRowOf(10);
        Assert.NotEqual(row1, row3);
        var expected = row1.Zip(row3, (x, y) => (x + y) / 2).ToArray();

        var mean = AveragedWeights.Mean([one, three]).ToModel(0f);

        Assert.Equal(expected, mean.DenseRowOf(10), (x, y) => Math.Abs(x - y) < 1e-2); // each model keeps half precision
        var other = new FeatureRows();
        int[] other30 = other.Rows([30], add: true), other10 = other.Rows([10], add: true);
        Assert.Throws<ArgumentException>(() => AveragedWeights.Mean([Trained(features, rows30, rows10, 1), Trained(other, other30, other10, 1)]));
    }
}

internal static class LinearModelRows
{
    public static float[] DenseRowOf(this LinearModel model, ulong key) => model.DenseRow(Array.IndexOf(model.Keys, key));
}
