using HanLex.Corpus;
using HanLex.Features;
using HanLex.Tagging;
using HanLex.Text;

namespace HanLex.Training;

/// <summary>Turns gold sentences into the inputs of each task: normalized characters, word starts, hashes, labels.</summary>
internal static class SentenceEncoding
{
    public static char[] NormalizedChars(string text)
    {
        var chars = new char[text.Length];
        for (int i = 0; i < text.Length; i++) chars[i] = CharClassifier.Normalize(text[i]);
        return chars;
    }

    public static int[] SegmentationLabels(Sentence s)
    {
        var labels = new int[s.Text.Length];
        foreach (var w in s.Words) WordLabels.Encode(w.Text.Length, labels.AsSpan(w.Offset));
        return labels;
    }

    /// <summary>Joint labels (<see cref="WordLabels.Joint"/> over <see cref="WordClasses.Names"/>): each word's class and positions.</summary>
    public static int[] JointSegmentationLabels(Sentence s)
    {
        var labels = new int[s.Text.Length];
        foreach (var w in s.Words)
        {
            int offset = WordClasses.IdOf(w.Tag ?? "") * WordLabels.Positions;
            for (int i = 0; i < w.Text.Length; i++) labels[w.Offset + i] = offset + WordLabels.Of(i, w.Text.Length);
        }
        return labels;
    }

    public static int[] Starts(Sentence s)
    {
        var starts = new int[s.Words.Count + 1];
        for (int i = 0; i < s.Words.Count; i++) starts[i] = s.Words[i].Offset;
        starts[^1] = s.Text.Length;
        return starts;
    }

    /// <summary>A sentence's normalized characters, word starts and word hashes: the input of the word-level models.</summary>
    public sealed record EncodedWords(char[] Chars, int[] Starts, ulong[] Hashes);

    public static EncodedWords Words(Sentence s)
    {
        var chars = NormalizedChars(s.Text);
        var starts = Starts(s);
        return new EncodedWords(chars, starts, Hashes(chars, starts));
    }

    /// <summary>Tag ids of a sentence's words; a tag outside the tag set gets the id <c>tagSet.Count</c>.</summary>
    public static int[] TagIds(Sentence s, Perceptron.LabelSet tagSet) =>
        s.Words.Select(w => tagSet.TryGetId(w.Tag ?? "", out int t) ? t : tagSet.Count).ToArray();

    public static ulong[] Hashes(char[] normalized, int[] starts)
    {
        var hashes = new ulong[starts.Length - 1];
        for (int i = 0; i < hashes.Length; i++) hashes[i] = FeatureKey.OfText(normalized.AsSpan(starts[i], starts[i + 1] - starts[i]));
        return hashes;
    }
}
