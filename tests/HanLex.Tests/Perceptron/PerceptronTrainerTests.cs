using HanLex.Perceptron;

namespace HanLex.Tests.Perceptron;

public class PerceptronTrainerTests
{
    /// <summary>
    /// Training scores from a 16-bit copy of the weights. A weight past 2^15 must stay at the largest magnitude there,
    /// not wrap around to the other sign and turn the strongest evidence into the strongest evidence against.
    /// </summary>
    [Fact]
    public void Training_scores_saturate_at_16_bits_instead_of_wrapping()
    {
        // Label b may not begin a sentence, so a one-word sentence whose gold is b is decoded wrong every time, and
        // each step moves its feature's weights one further: +1 for b, -1 for a.
        var labels = new LabelSet(["a", "b"], allowedFirst: [true, false]);
        var features = new FeatureRows();
        var rows = features.Rows([7], add: true);
        var trainer = new PerceptronTrainer(labels, featuresPerPosition: 1, features);
        trainer.Prepare();
        var sentence = new TrainingInstance(rows, [1]);
        var emissions = new float[2];
        var predicted = new int[1];

        for (int step = 0; step < 40_000; step++) Assert.False(trainer.Learn(sentence, emissions, predicted));

        // The last step scored with the weights of 39,999 steps: -39,999 and +39,999, beyond 16 bits.
        Assert.Equal([short.MinValue, short.MaxValue], emissions);
        Assert.Equal(0, predicted[0]);
    }
}
