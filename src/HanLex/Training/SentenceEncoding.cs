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

    public static int[] Starts(Sentence s)
    {
        var starts = new int[s.Words.Count + 1];
        for (int i = 0; i < s.Words.Count; i++) starts[i] = s.Words[i].Offset;
        starts[^1] = s.Text.Length;
        return starts;
    }

    public static ulong[] Hashes(char[] normalized, int[] starts)
    {
        var hashes = new ulong[starts.Length - 1];
        for (int i = 0; i < hashes.Length; i++) hashes[i] = FeatureKey.OfText(normalized.AsSpan(starts[i], starts[i + 1] - starts[i]));
        return hashes;
    }
}
