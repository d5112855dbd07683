using HanLex.Perceptron;

namespace HanLex.Tests.Perceptron;

public class LinearModelTests
{
    private static readonly LabelSet Labels = new(["a", "b"]);
    private static readonly float[] Transitions = new float[3 * 2];

    [Fact]
    public void Scores_add_the_rows_of_the_keys_found()
    {
        var model = new LinearModel(Labels, [7, 9], [0, 1, 3], [1, 0, 1], [2f, 3f, 4f], Transitions);
        var emissions = new float[2 * 2];
        model.AddScores([7, 9, 9, 5], perPosition: 2, emissions, new long[4], new int[4]);
        Assert.Equal([3f, 6f, 3f, 4f], emissions);
    }

    [Fact]
    public void Keys_of_0_add_nothing_and_the_keys_after_them_score_their_own_positions()
    {
        var model = new LinearModel(Labels, [7, 9], [0, 1, 3], [1, 0, 1], [2f, 3f, 4f], Transitions);
        var emissions = new float[3 * 2];
        model.AddScores([0, 0, 0, 7, 9, 0], perPosition: 2, emissions, new long[6], new int[6]);
        Assert.Equal([0f, 0f, 0f, 2f, 3f, 4f], emissions);
    }

    [Fact]
    public void A_label_out_of_range_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new LinearModel(Labels, [7], [0, 1], [2], [1f], Transitions));
        Assert.Contains("label id 2", e.Message);
    }

    [Fact]
    public void Row_starts_that_go_back_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new LinearModel(Labels, [7, 9], [0, 2, 1], [0], [1f], Transitions));
    }
}
