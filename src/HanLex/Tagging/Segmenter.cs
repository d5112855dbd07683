using HanLex.Features;
using HanLex.Lexicon;
using HanLex.Perceptron;

namespace HanLex.Tagging;

/// <summary>
/// Word segmentation as character labelling with a linear model and Viterbi decoding. The labels are word positions
/// (<see cref="WordLabels"/>), or positions joined with word classes (<see cref="WordLabels.Joint"/>), whose classes
/// stay inside: <see cref="Label"/> gives positions either way.
/// </summary>
public sealed class Segmenter
{
    // Learned overlays live outside the compiled tables; such a model is scored template by template.
    private readonly SegmentationKernel? _kernel;
    private readonly JointKernel? _jointKernel;
    private readonly JointDecoder? _joint;
    private readonly bool _lexiconClasses;

    public Segmenter(LinearModel model, WordLexicon? lexicon, bool compile = true)
    {
        Model = model;
        Lexicon = lexicon;
        WordClasses = WordLabels.ClassesOf(model.Labels);
        if (WordClasses is null && model.Labels.Count != WordLabels.Positions)
            throw new ArgumentException($"a segmentation model's labels are the {WordLabels.Positions} word positions, or those of each word class", nameof(model));
        _joint = WordClasses is null ? null : new JointDecoder(WordClasses.Length, model.EffectiveTransitions);
        _lexiconClasses = lexicon?.HasClasses == true;
        _kernel = compile && _joint is null && !_lexiconClasses && SegmentationKernel.Supports(model) ? new SegmentationKernel(model, lexicon) : null;
        _jointKernel = compile && JointKernel.Supports(model) ? new JointKernel(model, lexicon) : null;
    }

    public LinearModel Model { get; }
    public WordLexicon? Lexicon { get; }

    /// <summary>The word classes of a joint model's labels, in label order; null for a model of positions alone.</summary>
    public string[]? WordClasses { get; }

    /// <summary>Labels <paramref name="chars"/> (normalized) with word positions; <paramref name="allowed"/> may constrain
    /// positions (bitmasks over <see cref="WordLabels"/>).</summary>
    public void Label(ReadOnlySpan<char> chars, ReadOnlySpan<ulong> allowed, Span<int> labels, Workspace ws)
    {
        int n = chars.Length;
        if (n == 0) return;
        if (_kernel is not null)
        {
            _kernel.Label(chars, allowed, labels[..n], ws);
            return;
        }
        Decode(chars, allowed, labels, ws);
        if (_joint is not null)
            for (int i = 0; i < n; i++) labels[i] %= WordLabels.Positions;
    }

    /// <summary>Labels <paramref name="chars"/> (normalized) with the model's own labels: a joint model's carry the word class.</summary>
    internal void Decode(ReadOnlySpan<char> chars, ReadOnlySpan<ulong> allowed, Span<int> labels, Workspace ws)
    {
        int n = chars.Length;
        if (n == 0) return;
        if (_jointKernel is not null)
        {
            _jointKernel.Label(chars, allowed, labels[..n], ws);
            return;
        }
        ReadOnlySpan<LexiconMatch> matches = default;
        if (Lexicon is not null)
        {
            Workspace.Ensure(ref ws.Lexicon, n);
            Lexicon.Match(chars, ws.Lexicon);
            matches = ws.Lexicon.AsSpan(0, n);
        }
        var emissions = ws.EmissionsFor(n * Model.Labels.Count);
        var keys = ws.KeysFor(n * CharFeatures.Count);
        CharFeatures.Extract(chars, matches, keys, _lexiconClasses);
        if (_joint is null)
        {
            ws.ScoreAndDecode(Model, keys, CharFeatures.Count, emissions, labels[..n], allowed);
            return;
        }
        Workspace.Ensure(ref ws.Found, keys.Length);
        Model.AddScores(keys, CharFeatures.Count, emissions, ws.Found);
        _joint.Decode(Model.EffectiveTransitions, emissions, n, labels[..n], allowed);
    }
}
