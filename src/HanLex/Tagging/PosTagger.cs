using System.Runtime.CompilerServices;
using HanLex.Features;
using HanLex.Perceptron;

namespace HanLex.Tagging;

/// <summary>Part-of-speech tagging of segmented words with a linear model over the corpus's own tag set.</summary>
public sealed class PosTagger
{
    private readonly LinearModel _model;

    /// <summary>The model's rows by word (null when it has none, see <see cref="KeyBlocks.Build"/>): the five templates
    /// of a word as itself and as a neighbour in one lookup.</summary>
    private readonly KeyBlocks? _words;

    /// <param name="settled">Words tagged without scoring (a model trained before there were tag dictionaries has none).</param>
    public PosTagger(LinearModel model, TagDictionary? settled = null)
    {
        _model = model;
        _words = KeyBlocks.Build(model, WordFeatures.WordTemplates, WordFeatures.WordReach);
        Settled = settled ?? TagDictionary.Empty;
    }

    public LinearModel Model => _model;
    public LabelSet TagSet => _model.Labels;

    /// <summary>The words whose tag the training data settled: tagged so without scoring.</summary>
    public TagDictionary Settled { get; }

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
        var settled = ws.SettledFor(n);
        bool any = Settled.Settle(hashes, forced, settled);
        ViterbiDecoder.Decode(_model, Score(text, starts, hashes, ws, any ? settled : default), n, tags[..n], forced: any ? settled : default);
    }

    /// <summary>Every word's score for every tag (words × tags), in the workspace; a word with a tag in
    /// <paramref name="settled"/> keeps only the weights of its word blocks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    internal Span<float> Score(ReadOnlySpan<char> text, ReadOnlySpan<int> starts, ReadOnlySpan<ulong> hashes, Workspace ws,
        ReadOnlySpan<int> settled = default)
    {
        int n = hashes.Length, L = _model.Labels.Count;
        var keys = ws.KeysFor(n * WordFeatures.Count);
        WordFeatures.Extract(text, starts, hashes, keys, settled);
        var padded = ws.EmissionsFor((n + 2 * KeyBlocks.Padding) * L);
        var emissions = padded.Slice(KeyBlocks.Padding * L, n * L);
        // The blocks add the weights of the word slots, whose keys are then left out of the lookups; the edge markers
        // around the sentence are neighbours too.
        _words?.AddWords(hashes, padded, keys, WordFeatures.Count, WordFeatures.WordSlots, ref ws.Subjects, ref ws.Found);
        ws.AddScores(_model, keys, WordFeatures.Count, emissions);
        return emissions;
    }
}
