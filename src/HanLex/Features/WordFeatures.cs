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

    /// <summary>The word hashes standing before the first word and after the last.</summary>
    public const ulong Bos = 0x1234_5678_9ABC_DEF1, Eos = 0x0FED_CBA9_8765_4321;

    /// <summary>
    /// Slots 1 to 5 are keyed by one word alone: the word itself, the one before, after, two before, two after. Their
    /// reach: the word at position j gives slot s's key at position <c>j + WordSlotReach[s - 1]</c>.
    /// </summary>
    public static ReadOnlySpan<int> WordSlotReach => [0, 1, -1, 2, -2];

    /// <summary>The key of <paramref name="slot"/> (1 to 5) for a word of hash <paramref name="hash"/>.</summary>
    public static ulong WordKey(int slot, ulong hash) => FeatureKey.Hash(slot + 1, hash);

    /// <summary>What identifies a word in every <see cref="WordKey"/> of it: the key without its template.</summary>
    public static ulong WordId(ulong hash) => FeatureKey.Hash(0, hash);

    /// <summary>The <see cref="WordId"/> in a <see cref="WordKey"/>.</summary>
    public static ulong WordOf(ulong key) => key & ((1UL << 56) - 1);

    /// <param name="text">The sentence's normalized characters.</param>
    /// <param name="starts">Word start offsets into <paramref name="text"/>, plus the end of the last word.</param>
    /// <param name="hashes">Per word, <see cref="FeatureKey.OfText"/> of its normalized text.</param>
    public static void Extract(ReadOnlySpan<char> text, ReadOnlySpan<int> starts, ReadOnlySpan<ulong> hashes, Span<ulong> keys)
    {
        int n = hashes.Length;
        for (int i = 0; i < n; i++)
        {
            ulong w = hashes[i];
            ulong p1 = i >= 1 ? hashes[i - 1] : Bos, p2 = i >= 2 ? hashes[i - 2] : Bos;
            ulong n1 = i + 1 < n ? hashes[i + 1] : Eos, n2 = i + 2 < n ? hashes[i + 2] : Eos;
            var word = text[starts[i]..starts[i + 1]];
            char first = word[0], last = word[^1];
            char prevLast = i >= 1 ? text[starts[i] - 1] : '\u0002';
            char nextFirst = i + 1 < n ? text[starts[i + 1]] : '\u0003';
            var k = keys.Slice(i * Count, Count);
            k[0] = FeatureKey.Chars(1, '\u0001');
            k[1] = WordKey(1, w);
            k[2] = WordKey(2, p1);
            k[3] = WordKey(3, n1);
            k[4] = WordKey(4, p2);
            k[5] = WordKey(5, n2);
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
    private static char Shape(ReadOnlySpan<char> word)
    {
        var a = CharClassifier.Classify(word[0]);
        var b = CharClassifier.Classify(word[^1]);
        bool uniform = true;
        foreach (char c in word) if (CharClassifier.Classify(c) != a) { uniform = false; break; }
        return (char)((int)a | (int)b << 4 | (uniform ? 1 << 8 : 0));
    }
}
