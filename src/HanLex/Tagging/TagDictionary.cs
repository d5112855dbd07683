using System.Runtime.CompilerServices;

namespace HanLex.Tagging;

/// <summary>
/// A tag dictionary (Ratnaparkhi 1996; Brants 2000): the words whose label the training data settles, seen often and
/// always with the same label, such as 的/u, ，/w or 我们/r. A tagger gives them that label without scoring them: on
/// pd98, half the words the part-of-speech tagger meets (see <see cref="Training.TrainingOptions.PosSettledMinCount"/>).
/// Keyed by the hash of the normalized word (<see cref="Features.FeatureKey.OfText"/>), kept in 56 bits. Immutable.
/// </summary>
public sealed class TagDictionary
{
    /// <summary>Labels are kept as id + 1 in the map's eight value bits.</summary>
    public const int MaxLabel = 254;

    private readonly KeyMap _map;
    private readonly (ulong Word, int Label)[] _entries; // sorted by word: a model file's order

    private TagDictionary((ulong Word, int Label)[] entries)
    {
        _entries = entries;
        _map = new KeyMap(KernelMaps.CapacityFor(entries.Length));
        foreach (var (word, label) in entries) _map.Or(word, label + 1);
    }

    /// <summary>A dictionary of the given words and labels, each word once.</summary>
    public static TagDictionary Of(IEnumerable<(ulong Word, int Label)> entries)
    {
        // A model file's entries come sorted: checked in one pass, not sorted again (whose generic code would be
        // compiled at every load).
        var sorted = entries is (ulong Word, int Label)[] given ? ((ulong Word, int Label)[])given.Clone() : entries.ToArray();
        if (!IsSorted(sorted)) Array.Sort(sorted, static (x, y) => x.Word.CompareTo(y.Word));
        for (int i = 0; i < sorted.Length; i++)
        {
            if ((uint)sorted[i].Label > MaxLabel) throw new ArgumentOutOfRangeException(nameof(entries), $"label id {sorted[i].Label} is not in 0..{MaxLabel}");
            if (i > 0 && sorted[i].Word == sorted[i - 1].Word) throw new ArgumentException($"word {sorted[i].Word:X} is given twice", nameof(entries));
        }
        return new TagDictionary(sorted);
    }

    private static bool IsSorted((ulong Word, int Label)[] entries)
    {
        for (int i = 1; i < entries.Length; i++)
            if (entries[i].Word < entries[i - 1].Word) return false;
        return true;
    }

    /// <summary>
    /// The words of <paramref name="occurrences"/> (every word of a training corpus with its gold label) seen at least
    /// <paramref name="minCount"/> times (0: none), always with the same label, and that label accepted by
    /// <paramref name="settles"/> (all when null).
    /// </summary>
    public static TagDictionary Build(IEnumerable<(ulong Word, int Label)> occurrences, int minCount, Func<int, bool>? settles = null)
    {
        if (minCount <= 0) return Empty;
        const int Mixed = -1;
        var seen = new Dictionary<ulong, (int Label, int Count)>();
        foreach (var (word, label) in occurrences)
        {
            if (!seen.TryGetValue(word, out var s)) seen[word] = (label, 1);
            else seen[word] = (s.Label == label ? label : Mixed, s.Count + 1);
        }
        return Of(seen.Where(kv => kv.Value.Count >= minCount && kv.Value.Label is >= 0 and <= MaxLabel && (settles?.Invoke(kv.Value.Label) ?? true))
            .Select(kv => (kv.Key, kv.Value.Label)));
    }

    public static TagDictionary Empty { get; } = new([]);

    public int Count => _entries.Length;

    /// <summary>The words and their labels, by word.</summary>
    public ReadOnlySpan<(ulong Word, int Label)> Entries => _entries;

    /// <summary>The settled label of the word of hash <paramref name="word"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int LabelOf(ulong word) => _map.Find(word) - 1;

    /// <summary>
    /// Per word of <paramref name="words"/>, the label it must take: <paramref name="forced"/> where it has one (0 and
    /// up; may be empty), else this dictionary's, else -1. False when no word has one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    internal bool Settle(ReadOnlySpan<ulong> words, ReadOnlySpan<int> forced, Span<int> settled)
    {
        bool any = false;
        for (int i = 0; i < words.Length; i++)
        {
            int label = !forced.IsEmpty && forced[i] >= 0 ? forced[i] : LabelOf(words[i]);
            settled[i] = label;
            any |= label >= 0;
        }
        return any;
    }

    /// <summary>The same dictionary without the words <paramref name="unsettled"/> (online learning taught them otherwise).</summary>
    public TagDictionary Without(IEnumerable<ulong> unsettled)
    {
        var drop = unsettled.ToHashSet();
        return drop.Count == 0 || !_entries.Any(e => drop.Contains(e.Word)) ? this : new TagDictionary(_entries.Where(e => !drop.Contains(e.Word)).ToArray());
    }
}
