using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using HanLex.Features;
using HanLex.Perceptron;

namespace HanLex.Tagging;

/// <summary>
/// A model's rows under several templates that share a subject (<see cref="Subjects"/>), regrouped by subject at
/// construction: one block per subject, its rows for the positions it reaches side by side. A subject costs one
/// lookup instead of one per template, and its rows are read together. The same weights as the model's rows, added
/// in another order.
/// </summary>
internal sealed class KeyBlocks
{
    /// <summary>Rows of padding a sentence's scores need before and after it: blocks reach at most this far past its ends.</summary>
    public const int Padding = 4;

    private readonly FeatureMap _map;
    private readonly LinearModel.Entry[] _entries;
    private readonly int _labels, _nearest, _width, _around;

    private KeyBlocks(FeatureMap map, LinearModel.Entry[] entries, int labels, int nearest, int farthest)
    {
        _map = map;
        _entries = entries;
        _labels = labels;
        _nearest = nearest;
        _width = (farthest - nearest + 1) * labels;
        _around = Math.Max(-nearest, farthest);
    }

    /// <summary>
    /// The blocks of <paramref name="model"/>'s rows under <paramref name="templates"/>, where template k's row lands
    /// <paramref name="reaches"/>[k] positions from its subject's anchor. Null for a model with learned overlays, whose
    /// weights lie outside its rows, and for keys out of order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per load, over many rows: no slow first tier
    public static KeyBlocks? Build(LinearModel model, ReadOnlySpan<int> templates, ReadOnlySpan<int> reaches)
    {
        if (model.Overlay is not null) return null;
        int L = model.Labels.Count, t = templates.Length;
        int nearest = int.MaxValue, farthest = int.MinValue;
        foreach (int r in reaches)
        {
            nearest = Math.Min(nearest, r);
            farthest = Math.Max(farthest, r);
        }
        int width = (farthest - nearest + 1) * L;
        var keys = model.Keys;
        var rowStart = model.RowStart;
        var modelEntries = model.Entries;
        // Model files and trainers keep keys sorted, so each template's rows are one run sorted by subject: the blocks
        // are a merge of the runs, with no hashing or sorting at load.
        for (int r = 1; r < keys.Length; r++) if (keys[r] <= keys[r - 1]) return null;
        Span<int> next = stackalloc int[t], end = stackalloc int[t];
        int rows = 0, entryCount = 0;
        for (int k = 0; k < t; k++)
        {
            (next[k], end[k]) = LinearModel.TemplateRows(keys, templates[k]);
            rows += end[k] - next[k];
            entryCount += rowStart[end[k]] - rowStart[next[k]];
        }
        var blockSubjects = new ulong[rows]; // at most one block a row
        var blockStart = new int[rows + 1];
        var entries = Tables.Zeroed<LinearModel.Entry>(entryCount);
        int blocks = 0;
        for (int e = 0; NextSubject(keys, next, end, out ulong subject); blocks++)
        {
            blockSubjects[blocks] = subject;
            for (int k = 0; k < t; k++)
            {
                if (next[k] >= end[k] || Subjects.Of(keys[next[k]]) != subject) continue;
                int r = next[k]++, offset = (reaches[k] - nearest) * L;
                foreach (var x in modelEntries[rowStart[r]..rowStart[r + 1]]) entries[e++] = x.WithLabel(offset + x.Label);
            }
            blockStart[blocks + 1] = e;
        }

        var map = FeatureMap.WithDenseRows(blockSubjects.AsSpan(0, blocks), blockStart.AsSpan(0, blocks + 1), entries, width);
        return new KeyBlocks(map, entries, L, nearest, farthest);
    }

    /// <summary>The smallest subject at the cursors of the runs; false when all are done.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called once a block during the load: no slow first tier
    private static bool NextSubject(ulong[] keys, ReadOnlySpan<int> next, ReadOnlySpan<int> end, out ulong subject)
    {
        subject = ulong.MaxValue;
        for (int k = 0; k < next.Length; k++)
            if (next[k] < end[k]) subject = Math.Min(subject, Subjects.Of(keys[next[k]]));
        return subject != ulong.MaxValue;
    }

    /// <summary>
    /// For blocks over words: adds those of a sentence's words, and of the edge markers around them, into
    /// <paramref name="padded"/> (the sentence's scores from row <see cref="Padding"/>), and clears the keys of
    /// <paramref name="slots"/> (<paramref name="perPosition"/> a word) that they stand for.
    /// </summary>
    /// <param name="subjects">Scratch, grown as needed.</param>
    /// <param name="found">Scratch, grown as needed.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    public void AddWords(ReadOnlySpan<ulong> hashes, Span<float> padded, Span<ulong> keys, int perPosition, ReadOnlySpan<int> slots,
        ref ulong[] subjects, ref long[] found)
    {
        int n = hashes.Length, count = n + 2 * _around;
        if (subjects.Length < count) subjects = new ulong[Math.Max(count, 2 * subjects.Length)];
        if (found.Length < count) found = new long[Math.Max(count, 2 * found.Length)];
        var words = subjects.AsSpan(0, count);
        Subjects.Words(hashes, _around, words);
        Add(words, -_around, padded, found);
        for (int i = 0; i < n; i++)
            foreach (int slot in slots) keys[i * perPosition + slot] = 0;
    }

    /// <summary>
    /// Adds the blocks of <paramref name="subjects"/>, anchored at positions <paramref name="firstAnchor"/> onwards. All
    /// blocks are found first and their rows prefetched, then added, so that the rows' cache misses overlap (analysis
    /// 2–3.5% faster than finding and adding each in turn, docs/performance.md, "Session 17").
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    private void Add(ReadOnlySpan<ulong> subjects, int firstAnchor, Span<float> padded, Span<long> found)
    {
        int L = _labels, width = _width;
        var buckets = _map.Buckets;
        foreach (ulong s in subjects) buckets.Prefetch(buckets.Of(s));
        ref var entry0 = ref MemoryMarshal.GetArrayDataReference(_entries);
        for (int a = 0; a < subjects.Length; a++) _map.PrefetchRow(found[a] = FeatureMap.Find(buckets, subjects[a]), ref entry0, width);
        // Every label is below the block's width, as built above.
        for (int a = 0; a < subjects.Length; a++)
            _map.AddRow(found[a], padded.Slice((firstAnchor + a + _nearest + Padding) * L, width), ref entry0);
    }
}
