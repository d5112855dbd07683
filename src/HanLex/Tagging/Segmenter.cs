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
        const int F = CharFeatures.Count;
        int L = model.Labels.Count;
        Workspace.Ensure(ref ws.Keys, n * F);
        Workspace.Ensure(ref ws.Emissions, n * L);
        ReadOnlySpan<LexiconMatch> matches = default;
        if (lexicon is not null)
        {
            Workspace.Ensure(ref ws.Lexicon, n);
            lexicon.Match(chars, ws.Lexicon);
            matches = ws.Lexicon.AsSpan(0, n);
        }
        var emissions = ws.Emissions.AsSpan(0, n * L);
        emissions.Clear();
        if (_compiled is not null)
        {
            const int R = CharFeatures.ResidualCount;
            var residual = ws.Keys.AsSpan(0, n * R);
            CharFeatures.ExtractResidual(chars, matches, residual);
            _compiled.AddScores(chars, emissions);
            Workspace.Ensure(ref ws.Found, n * R);
            _compiled.Residual.AddScores(residual, R, emissions, ws.Found);
        }
        else
        {
            var keys = ws.Keys.AsSpan(0, n * F);
            CharFeatures.Extract(chars, matches, keys);
            for (int i = 0; i < n; i++) model.AddScores(keys.Slice(i * F, F), emissions.Slice(i * L, L));
        }
        ViterbiDecoder.Decode(model, emissions, n, labels, allowed);
    }
}
