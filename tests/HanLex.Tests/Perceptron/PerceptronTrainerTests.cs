using HanLex.Perceptron;

namespace HanLex.Tests.Perceptron;

public class PerceptronTrainerTests
{
    private static readonly LabelSet Labels = new(["a", "b"]);

    [Fact]
    public void With_a_minimum_count_only_keys_counted_that_often_get_rows()
    {
        var trainer = new PerceptronTrainer(Labels, featuresPerPosition: 2, minCount: 2);
        ulong[] first = [11, 22], second = [11, 33];
        trainer.Count(first);
        trainer.Count(second);

        Assert.Equal(-1, trainer.Rows([22], add: true)[0]);
        var rows = trainer.Rows([11, 33, 11], add: true);

        Assert.True(rows[0] >= 0);
        Assert.Equal(-1, rows[1]);
        Assert.Equal(rows[0], rows[2]);
        Assert.Equal(1, trainer.FeatureCount);
    }

    [Fact]
    public void Without_a_minimum_count_every_key_gets_a_row_uncounted()
    {
        var trainer = new PerceptronTrainer(Labels, featuresPerPosition: 1);

        var rows = trainer.Rows([5, 6, 0], add: true);

        Assert.Equal([0, 1, -1], rows);
        Assert.Equal(2, trainer.FeatureCount);
    }
}
