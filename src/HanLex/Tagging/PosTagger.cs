using System.Runtime.CompilerServices;
using HanLex.Features;
using HanLex.Perceptron;

namespace HanLex.Tagging;

/// <summary>Part-of-speech tagging of segmented words with a linear model over the corpus's own tag set.</summary>
public sealed class PosTagger(LinearModel model)
{
    private readonly WordBlocks? _blocks = WordBlocks.Build(model);

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
        ViterbiDecoder.Decode(model, Score(text, starts, hashes, ws), n, tags[..n], forced: forced);
    }

    /// <summary>Every word's score for every tag (words × tags), in the workspace.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    internal Span<float> Score(ReadOnlySpan<char> text, ReadOnlySpan<int> starts, ReadOnlySpan<ulong> hashes, Workspace ws)
    {
        int n = hashes.Length, L = model.Labels.Count;
        var keys = ws.KeysFor(n * WordFeatures.Count);
        WordFeatures.Extract(text, starts, hashes, keys);
        Workspace.Ensure(ref ws.Found, keys.Length);
        Span<float> emissions;
        if (_blocks is null) emissions = ws.EmissionsFor(n * L);
        else
        {
            // The word blocks add the weights of the word slots, whose keys are then left out of the lookups.
            var padded = ws.EmissionsFor((n + 2 * WordBlocks.Padding) * L);
            _blocks.Add(hashes, padded);
            for (int i = 0; i < n; i++) keys.Slice(i * WordFeatures.Count + 1, WordFeatures.WordSlotReach.Length).Clear();
            emissions = padded.Slice(WordBlocks.Padding * L, n * L);
        }
        model.AddScores(keys, WordFeatures.Count, emissions, ws.Found);
        return emissions;
    }
}
