using System.Runtime.CompilerServices;
using HanLex.Text;

namespace HanLex.Features;

/// <summary>
/// Part-of-speech features of one word position: the word and its neighbours, word bigrams, prefixes and suffixes
/// (which carry unknown words), length and character-class shape.
/// </summary>
public static class WordFeatures
{
    public const int Count = 15;
    public const string Templates = "hanlex.pos-features.v1";

    /// <summary>
    /// The slots keyed by one word (<see cref="Subjects"/>), their templates, and where each one's row lands relative to
    /// that word's position: the word itself and the words one before, one after, two before and two after.
    /// </summary>
    public static ReadOnlySpan<int> WordSlots => [1, 2, 3, 4, 5];
    public static ReadOnlySpan<int> WordTemplates => [2, 3, 4, 5, 6];
    public static ReadOnlySpan<int> WordReach => [0, 1, -1, 2, -2];

    /// <param name="text">The sentence's normalized characters.</param>
    /// <param name="starts">Word start offsets into <paramref name="text"/>, plus the end of the last word.</param>
    /// <param name="hashes">Per word, <see cref="FeatureKey.OfText"/> of its normalized text.</param>
    /// <param name="settled">Per word a tag forced on it, or -1; may be empty. A settled word is not scored: its keys are all 0.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    public static void Extract(ReadOnlySpan<char> text, ReadOnlySpan<int> starts, ReadOnlySpan<ulong> hashes, Span<ulong> keys,
        ReadOnlySpan<int> settled = default)
    {
        int n = hashes.Length;
        for (int i = 0; i < n; i++)
        {
            if (!settled.IsEmpty && settled[i] >= 0)
            {
                keys.Slice(i * Count, Count).Clear();
                continue;
            }
            ulong w = hashes[i];
            ulong p1 = i >= 1 ? hashes[i - 1] : Subjects.Bos, p2 = i >= 2 ? hashes[i - 2] : Subjects.Bos;
            ulong n1 = i + 1 < n ? hashes[i + 1] : Subjects.Eos, n2 = i + 2 < n ? hashes[i + 2] : Subjects.Eos;
            var word = text[starts[i]..starts[i + 1]];
            char first = word[0], last = word[^1];
            char prevLast = i >= 1 ? text[starts[i] - 1] : '\u0002';
            char nextFirst = i + 1 < n ? text[starts[i + 1]] : '\u0003';
            var k = keys.Slice(i * Count, Count);
            k[0] = FeatureKey.Chars(1, '\u0001');
            k[1] = Subjects.Key(2, Subjects.Word(w));
            k[2] = Subjects.Key(3, Subjects.Word(p1));
            k[3] = Subjects.Key(4, Subjects.Word(n1));
            k[4] = Subjects.Key(5, Subjects.Word(p2));
            k[5] = Subjects.Key(6, Subjects.Word(n2));
            k[6] = FeatureKey.Hash(7, FeatureKey.Combine(p1, w));
            k[7] = FeatureKey.Hash(8, FeatureKey.Combine(w, n1));
            k[8] = FeatureKey.Chars(9, first);
            k[9] = FeatureKey.Chars(10, last);
            k[10] = word.Length >= 2 ? FeatureKey.Chars(11, first, word[1]) : 0;
            k[11] = word.Length >= 2 ? FeatureKey.Chars(12, word[^2], last) : 0;
            k[12] = FeatureKey.Chars(13, (char)Math.Min(word.Length, 6), Shape(word));
            k[13] = FeatureKey.Chars(14, prevLast, first);
            k[14] = FeatureKey.Chars(15, last, nextFirst);
        }
    }

    /// <summary>The classes of the first and last character, and whether all characters share one class.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    private static char Shape(ReadOnlySpan<char> word)
    {
        var a = CharClassifier.Classify(word[0]);
        var b = CharClassifier.Classify(word[^1]);
        bool uniform = true;
        foreach (char c in word) if (CharClassifier.Classify(c) != a) { uniform = false; break; }
        return (char)((int)a | (int)b << 4 | (uniform ? 1 << 8 : 0));
    }
}
