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
    public void Tag(ReadOnlySpan<char> text, ReadOnlySpan<int> starts, ReadOnlySpan<ulong> hashes, ReadOnlySpan<int> forced,
        Span<int> tags, Workspace ws)
    {
        int n = hashes.Length;
        if (n == 0) return;
        const int F = WordFeatures.Count;
        int L = model.Labels.Count;
        Workspace.Ensure(ref ws.Keys, n * F);
        Workspace.Ensure(ref ws.Emissions, n * L);
        var keys = ws.Keys.AsSpan(0, n * F);
        WordFeatures.Extract(text, starts, hashes, keys);
        var emissions = ws.Emissions.AsSpan(0, n * L);
        emissions.Clear();
        Workspace.Ensure(ref ws.Found, n * F);
        model.AddScores(keys, F, emissions, ws.Found);
        ViterbiDecoder.Decode(model, emissions, n, tags, forced: forced);
    }
}
