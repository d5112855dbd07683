using HanLex.Features;
using HanLex.Lexicon;
using HanLex.Perceptron;

namespace HanLex.Tagging;

/// <summary>Word segmentation as B/M/E/S character labelling with a linear model and Viterbi decoding.</summary>
public sealed class Segmenter(LinearModel model, WordLexicon? lexicon)
{
    public LinearModel Model => model;
    public WordLexicon? Lexicon => lexicon;

    /// <summary>Labels <paramref name="chars"/> (normalized); <paramref name="allowed"/> may constrain positions (bitmasks over B/M/E/S).</summary>
    public void Label(ReadOnlySpan<char> chars, ReadOnlySpan<ulong> allowed, Span<int> labels, Workspace ws)
    {
        int n = chars.Length;
        if (n == 0) return;
        const int F = CharFeatures.Count;
        Workspace.Ensure(ref ws.Keys, n * F);
        Workspace.Ensure(ref ws.Emissions, n * 4);
        ReadOnlySpan<LexiconMatch> matches = default;
        if (lexicon is not null)
        {
            Workspace.Ensure(ref ws.Lexicon, n);
            lexicon.Match(chars, ws.Lexicon);
            matches = ws.Lexicon.AsSpan(0, n);
        }
        var keys = ws.Keys.AsSpan(0, n * F);
        CharFeatures.Extract(chars, matches, keys);
        var emissions = ws.Emissions.AsSpan(0, n * 4);
        emissions.Clear();
        for (int i = 0; i < n; i++) model.AddScores(keys.Slice(i * F, F), emissions.Slice(i * 4, 4));
        ViterbiDecoder.Decode(model, emissions, n, labels, allowed);
    }
}
