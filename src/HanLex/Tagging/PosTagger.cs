using System.Runtime.CompilerServices;
using HanLex.Features;
using HanLex.Perceptron;

namespace HanLex.Tagging;

/// <summary>Part-of-speech tagging of segmented words with a linear model over the corpus's own tag set.</summary>
public sealed class PosTagger(LinearModel model)
{
    public LinearModel Model => model;
    public LabelSet TagSet => model.Labels;

    /// <param name="text">Normalized sentence characters.</param>
    /// <param name="starts">Word starts plus the end of the last word.</param>
    /// <param name="hashes">Hashes of the normalized words.</param>
    /// <param name="forced">Per word a tag id that must be used, or -1; may be empty.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    public void Tag(ReadOnlySpan<char> text, ReadOnlySpan<int> starts, ReadOnlySpan<ulong> hashes, ReadOnlySpan<int> forced,
        Span<int> tags, Workspace ws)
    {
        int n = hashes.Length;
        if (n == 0) return;
        var keys = ws.KeysFor(n * WordFeatures.Count);
        WordFeatures.Extract(text, starts, hashes, keys);
        ws.ScoreAndDecode(model, keys, WordFeatures.Count, ws.EmissionsFor(n * model.Labels.Count), tags[..n], forced: forced);
    }
}
