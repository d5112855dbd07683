using CsCheck;
using HanLex.Perceptron;

namespace HanLex.Tests.Perceptron;

public class ViterbiDecoderTests
{
    /// <summary>A tag-set-sized problem: L labels, n positions, emissions and transitions, an optional forced label a position.</summary>
    private static readonly Gen<(int L, int N, float[] Emissions, float[] Transitions, int[] Forced)> Problems =
        from l in Gen.Int[16, 48]
        from n in Gen.Int[1, 12]
        // Few distinct values: ties and labels right at their bound are common, where a pruning bug would show.
        from scale in Gen.Int[0, 2].Select(e => MathF.Pow(10, e))
        from emissions in Gen.Int[-4, 4].Select(v => v * scale).Array[n * l]
        from transitions in Gen.Int[-3, 3].Select(v => (float)v).Array[(l + 1) * l]
        from forced in Gen.Frequency((6, Gen.Const(-1)), (1, Gen.Int[0, l - 1])).Array[n]
        select (l, n, emissions, transitions, forced);

    [Fact]
    public void Pruning_by_swap_bounds_finds_the_path_of_the_full_search()
    {
        Problems.Sample(p =>
        {
            var labels = new LabelSet(Enumerable.Range(0, p.L).Select(y => $"t{y}").ToArray());
            var bounds = ViterbiDecoder.SwapBounds(labels, p.Transitions);
            Assert.NotNull(bounds);
            foreach (var forced in new[] { [], p.Forced })
            {
                var full = new int[p.N];
                var pruned = new int[p.N];
                ViterbiDecoder.Decode(labels, p.Transitions, p.Emissions, p.N, full, forced: forced);
                ViterbiDecoder.Decode(labels, p.Transitions, p.Emissions, p.N, pruned, forced: forced, swapBounds: bounds);
                Assert.Equal(full, pruned);
            }
        }, iter: 2000);
    }

    /// <summary>An entity-sized problem (as many labels as the full search takes one by one): a grammar that forbids some
    /// pairs, and constraints that rule labels out.</summary>
    private static readonly Gen<(int L, int N, float[] Emissions, float[] Transitions, ulong[] Allowed, int[] Forced)> SmallProblems =
        from l in Gen.Int[1, Enumerable.Range(1, 16).Last(l => !ViterbiDecoder.IsWide(l))]
        from n in Gen.Int[1, 12]
        from emissions in Gen.Int[-3, 3].Select(v => (float)v).Array[n * l]
        from transitions in Gen.Frequency((4, Gen.Int[-2, 2].Select(v => (float)v)), (1, Gen.Const(float.NegativeInfinity))).Array[(l + 1) * l]
        from allowed in Gen.Frequency((3, Gen.Const(0UL)), (1, Gen.ULong[0, (1UL << l) - 1])).Array[n]
        from forced in Gen.Frequency((6, Gen.Const(-1)), (1, Gen.Int[0, l - 1])).Array[n]
        select (l, n, emissions, transitions, allowed, forced);

    [Fact]
    public void The_search_in_registers_finds_the_path_of_the_full_search()
    {
        SmallProblems.Sample(p =>
        {
            var labels = new LabelSet(Enumerable.Range(0, p.L).Select(y => $"t{y}").ToArray());
            foreach (var (allowed, forced) in new[] { ([], []), (p.Allowed, []), ([], p.Forced), (p.Allowed, p.Forced) })
            {
                var full = new int[p.N];
                var small = new int[p.N];
                ViterbiDecoder.DecodeFull(labels, p.Transitions, p.Emissions, p.N, full, allowed, forced);
                ViterbiDecoder.DecodeSmall(labels, p.Transitions, p.Emissions, p.N, small, allowed, forced);
                Assert.Equal(full, small);
            }
        }, iter: 3000);
    }

    [Fact]
    public void ArgMax_finds_the_first_label_of_the_highest_score()
    {
        Gen.Int[-3, 3].Select(v => (float)v).Array[1, 50].Sample(row =>
            Assert.Equal(Array.IndexOf(row, row.Max()), ViterbiDecoder.ArgMax(row)), iter: 2000);
    }

    [Fact]
    public void No_swap_bounds_where_a_transition_is_forbidden_or_labels_are_few()
    {
        var many = new LabelSet(Enumerable.Range(0, 16).Select(y => $"t{y}").ToArray());
        var transitions = new float[17 * 16];
        Assert.NotNull(ViterbiDecoder.SwapBounds(many, transitions));
        transitions[5] = float.NegativeInfinity;
        Assert.Null(ViterbiDecoder.SwapBounds(many, transitions));

        var few = new LabelSet(["a", "b", "c"]);
        Assert.Null(ViterbiDecoder.SwapBounds(few, new float[4 * 3]));
    }
}
