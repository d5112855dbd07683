using HanLex.Features;
using HanLex.Lexicon;
using HanLex.Perceptron;

namespace HanLex.Tagging;

/// <summary>Word segmentation as character labelling (<see cref="WordLabels"/>) with a linear model and Viterbi decoding.</summary>
public sealed class Segmenter(LinearModel model, WordLexicon? lexicon, bool compile = true)
{
    // Learned overlays live outside the compiled tables; such a model is scored template by template.
    private readonly CharNgramScorer? _compiled = compile && model.Overlay is null ? new CharNgramScorer(model) : null;

    public LinearModel Model => model;
    public WordLexicon? Lexicon => lexicon;

    /// <summary>Labels <paramref name="chars"/> (normalized); <paramref name="allowed"/> may constrain positions (bitmasks over <see cref="WordLabels"/>).</summary>
    public void Label(ReadOnlySpan<char> chars, ReadOnlySpan<ulong> allowed, Span<int> labels, Workspace ws)
    {
        int n = chars.Length;
        if (n == 0) return;
        ReadOnlySpan<LexiconMatch> matches = default;
        if (lexicon is not null)
        {
            Workspace.Ensure(ref ws.Lexicon, n);
            lexicon.Match(chars, ws.Lexicon);
            matches = ws.Lexicon.AsSpan(0, n);
        }
        var emissions = ws.EmissionsFor(n * model.Labels.Count);
        if (_compiled is null)
        {
            var keys = ws.KeysFor(n * CharFeatures.Count);
            CharFeatures.Extract(chars, matches, keys);
            ws.ScoreAndDecode(model, keys, CharFeatures.Count, emissions, labels[..n], allowed);
            return;
        }
        // Uni- and bigrams come from the compiled tables; only the other templates are looked up per position.
        var residual = ws.KeysFor(n * CharFeatures.ResidualCount);
        CharFeatures.ExtractResidual(chars, matches, residual);
        _compiled.AddScores(chars, emissions);
        ws.ScoreAndDecode(_compiled.Residual, residual, CharFeatures.ResidualCount, emissions, labels[..n], allowed);
    }
}
