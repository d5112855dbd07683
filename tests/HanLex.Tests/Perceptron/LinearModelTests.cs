using CsCheck;
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

    /// <summary>The sentence's scores, gathered sixteen keys at a time and with absent keys dropped, are bit for bit
    /// those of scoring each position's keys alone, for any number of keys a position, dense rows and sparse.</summary>
    [Fact]
    public void Scoring_a_sentence_at_once_gives_each_position_its_own_sums()
    {
        const int L = 20; // wide enough for rows with many weights to be kept dense
        var labels = new LabelSet(Enumerable.Range(0, L).Select(l => $"t{l}").ToArray());
        var rows = Gen.Select(Gen.Int[0, L - 1], Gen.Float[-4f, 4f]).Array[1, L];
        var keys = Gen.Frequency((1, Gen.Const(0UL)), (1, Gen.ULong[1, 40]));
        Gen.Select(rows.Array[30], Gen.Int[1, 17].Select(p => p == 17 ? 21 : p), Gen.Int[1, 12])
            .SelectMany(m => keys.Array[m.Item2 * m.Item3].Select(f => (Rows: m.Item1, PerPosition: m.Item2, Features: f)))
            .Sample(c =>
            {
                var rowStart = new int[31];
                var entryLabels = new List<ushort>();
                var entryWeights = new List<float>();
                for (int r = 0; r < 30; r++)
                {
                    foreach (var (label, weight) in c.Rows[r].DistinctBy(e => e.Item1).OrderBy(e => e.Item1))
                    {
                        entryLabels.Add((ushort)label);
                        entryWeights.Add(weight);
                    }
                    rowStart[r + 1] = entryLabels.Count;
                }
                var model = new LinearModel(labels, Enumerable.Range(1, 30).Select(k => (ulong)k).ToArray(), rowStart,
                    entryLabels.ToArray(), entryWeights.ToArray(), new float[(L + 1) * L]);
                int n = c.Features.Length / c.PerPosition;
                var together = new float[n * L];
                model.AddScores(c.Features, c.PerPosition, together, new long[c.Features.Length], new int[c.Features.Length]);
                var alone = new float[n * L];
                for (int i = 0; i < n; i++)
                    model.AddScores(c.Features.AsSpan(i * c.PerPosition, c.PerPosition), alone.AsSpan(i * L, L));
                Assert.Equal(alone, together);
            }, iter: 1000);
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
