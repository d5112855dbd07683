using HanLex.Features;
using HanLex.Lexicon;
using HanLex.Perceptron;

namespace HanLex.Tagging;

/// <summary>Word segmentation as character labelling (<see cref="WordLabels"/>) with a linear model and Viterbi decoding.</summary>
public sealed class Segmenter(LinearModel model, WordLexicon? lexicon, bool compile = true)
{
    // Learned overlays live outside the compiled tables; such a model is scored template by template.
    private readonly SegmentationKernel? _kernel = compile && SegmentationKernel.Supports(model) ? new SegmentationKernel(model, lexicon) : null;

    public LinearModel Model => model;
    public WordLexicon? Lexicon => lexicon;

    /// <summary>Labels <paramref name="chars"/> (normalized); <paramref name="allowed"/> may constrain positions (bitmasks over <see cref="WordLabels"/>).</summary>
    public void Label(ReadOnlySpan<char> chars, ReadOnlySpan<ulong> allowed, Span<int> labels, Workspace ws)
    {
        int n = chars.Length;
        if (n == 0) return;
        if (_kernel is not null)
        {
            _kernel.Label(chars, allowed, labels[..n], ws);
            return;
        }
        ReadOnlySpan<LexiconMatch> matches = default;
        if (lexicon is not null)
        {
            Workspace.Ensure(ref ws.Lexicon, n);
            lexicon.Match(chars, ws.Lexicon);
            matches = ws.Lexicon.AsSpan(0, n);
        }
        var emissions = ws.EmissionsFor(n * model.Labels.Count);
        var keys = ws.KeysFor(n * CharFeatures.Count);
        CharFeatures.Extract(chars, matches, keys);
        ws.ScoreAndDecode(model, keys, CharFeatures.Count, emissions, labels[..n], allowed);
    }
}
