using System.Runtime.CompilerServices;

namespace HanLex.Features;

/// <summary>
/// Named-entity features of one word position: words and part-of-speech tags in a window, their pairs, and the
/// word's last characters (省, 局, 委员会 end organization and place names).
/// </summary>
public static class EntityFeatures
{
    public const int Count = 16;
    public const string Templates = "hanlex.ner-features.v1";

    /// <summary>Slots keyed by one word (<see cref="Subjects"/>), their templates and reach: the word itself, the one
    /// before and the one after.</summary>
    public static ReadOnlySpan<int> WordSlots => [1, 2, 3];
    public static ReadOnlySpan<int> WordTemplates => [2, 3, 4];
    public static ReadOnlySpan<int> WordReach => [0, 1, -1];

    /// <summary>The tag id of a position before the first word or after the last.</summary>
    public const int NoTag = 0xFFFF;

    /// <summary>
    /// The slots of a position's keys that depend on nothing but the tags of the word and its neighbours, split into
    /// those of the word and its predecessor (with the bias) and those of its successor (see <see cref="TagKeys"/>).
    /// </summary>
    public static ReadOnlySpan<int> TagSlotsBefore => [0, 4, 5, 7];
    public static ReadOnlySpan<int> TagSlotsAfter => [6, 8];

    /// <param name="tags">Per word, its part-of-speech tag id.</param>
    /// <param name="settled">Per word a label forced on it, or -1; may be empty. A settled word is not scored: its keys are all 0.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    public static void Extract(ReadOnlySpan<char> text, ReadOnlySpan<int> starts, ReadOnlySpan<ulong> hashes, ReadOnlySpan<int> tags, Span<ulong> keys,
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
            ulong p1 = i >= 1 ? hashes[i - 1] : Subjects.Bos, n1 = i + 1 < n ? hashes[i + 1] : Subjects.Eos;
            int t = tags[i];
            int tp1 = i >= 1 ? tags[i - 1] : NoTag, tp2 = i >= 2 ? tags[i - 2] : NoTag;
            int tn1 = i + 1 < n ? tags[i + 1] : NoTag, tn2 = i + 2 < n ? tags[i + 2] : NoTag;
            var word = text[starts[i]..starts[i + 1]];
            var k = keys.Slice(i * Count, Count);
            TagKeys(tp1, t, tn1, k);
            k[1] = Subjects.Key(2, Subjects.Word(w));
            k[2] = Subjects.Key(3, Subjects.Word(p1));
            k[3] = Subjects.Key(4, Subjects.Word(n1));
            k[9] = FeatureKey.Chars(10, (char)tp2, (char)tp1, (char)t);
            k[10] = FeatureKey.Chars(11, (char)t, (char)tn1, (char)tn2);
            k[11] = FeatureKey.Hash(12, FeatureKey.Combine(w, (ulong)t));
            k[12] = FeatureKey.Chars(13, word[^1], (char)t);
            k[13] = word.Length >= 2 ? FeatureKey.Chars(14, word[^2], word[^1]) : 0;
            k[14] = FeatureKey.Hash(15, FeatureKey.Combine(p1, (ulong)t));
            k[15] = FeatureKey.Hash(16, FeatureKey.Combine(n1, (ulong)t));
        }
    }

    /// <summary>The keys of the slots <see cref="TagSlotsBefore"/> and <see cref="TagSlotsAfter"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void TagKeys(int previousTag, int tag, int nextTag, Span<ulong> k)
    {
        k[0] = FeatureKey.Chars(1, '\u0001');
        k[4] = FeatureKey.Chars(5, (char)tag);
        k[5] = FeatureKey.Chars(6, (char)previousTag);
        k[6] = FeatureKey.Chars(7, (char)nextTag);
        k[7] = FeatureKey.Chars(8, (char)previousTag, (char)tag);
        k[8] = FeatureKey.Chars(9, (char)tag, (char)nextTag);
    }
}
