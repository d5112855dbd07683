using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using HanLex.Features;
using HanLex.Perceptron;

namespace HanLex.Tagging;

/// <summary>
/// The part-of-speech weights keyed by one word alone (<see cref="WordFeatures.WordSlotReach"/>: the word as itself and
/// as a neighbour one or two away), regrouped by word at construction: per word one block of 5 × L weights, the rows
/// for the positions two before it to two after it side by side. A word costs one lookup instead of five, and its rows
/// are read together. The same weights as the model's rows, added in another order.
/// </summary>
internal sealed class WordBlocks
{
    /// <summary>Positions a block spans: from two before its word to two after.</summary>
    private const int Reach = 5;

    /// <summary>Rows of padding before and after a sentence: the edge markers' blocks reach that far.</summary>
    public const int Padding = 4;

    private readonly FeatureMap _map;
    private readonly LinearModel.Entry[] _entries;
    private readonly int _labels;

    private WordBlocks(FeatureMap map, LinearModel.Entry[] entries, int labels)
    {
        _map = map;
        _entries = entries;
        _labels = labels;
    }

    /// <summary>The blocks of <paramref name="model"/>'s word rows; null for a model with learned overlays, whose
    /// weights lie outside its rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per load, over every word row: no slow first tier
    public static WordBlocks? Build(LinearModel model)
    {
        if (model.Overlay is not null) return null;
        int L = model.Labels.Count, width = Reach * L;
        var keys = model.Keys;
        var rowStart = model.RowStart;
        var modelEntries = model.Entries;
        // Model files and trainers keep keys sorted, so each slot's rows are one run sorted by word: the blocks are a
        // merge of the five runs, with no hashing or sorting at load. Keys in another order get no blocks.
        for (int r = 1; r < keys.Length; r++) if (keys[r] <= keys[r - 1]) return null;
        Span<int> next = stackalloc int[Reach], end = stackalloc int[Reach];
        for (int s = 0; s < Reach; s++)
        {
            next[s] = LowerBound(keys, WordFeatures.WordKey(s + 1, 0));
            end[s] = LowerBound(keys, WordFeatures.WordKey(s + 1, ulong.MaxValue) + 1);
        }
        int rows = 0, entryCount = 0;
        for (int s = 0; s < Reach; s++)
        {
            rows += end[s] - next[s];
            entryCount += rowStart[end[s]] - rowStart[next[s]];
        }
        var blockWords = new ulong[rows]; // at most one block a row
        var blockStart = new int[rows + 1];
        var entries = new LinearModel.Entry[entryCount];
        int blocks = 0;
        for (int e = 0; NextWord(keys, next, end, out ulong word); blocks++)
        {
            blockWords[blocks] = word;
            for (int s = 0; s < Reach; s++)
            {
                if (next[s] >= end[s] || WordFeatures.WordOf(keys[next[s]]) != word) continue;
                int r = next[s]++, offset = (WordFeatures.WordSlotReach[s] + 2) * L;
                foreach (var x in modelEntries[rowStart[r]..rowStart[r + 1]]) entries[e++] = new LinearModel.Entry(offset + x.Label, x.Weight);
            }
            blockStart[blocks + 1] = e;
        }

        // As the model keeps its frequent rows: a block with weights for a quarter of its labels is also kept dense.
        var denseStart = new int[blocks];
        int denseBlocks = 0;
        for (int b = 0; b < blocks; b++) denseStart[b] = 4 * (blockStart[b + 1] - blockStart[b]) >= width ? denseBlocks++ * width : -1;
        var dense = new float[denseBlocks * width];
        for (int b = 0; b < blocks; b++)
            if (denseStart[b] >= 0)
                foreach (var x in entries.AsSpan(blockStart[b], blockStart[b + 1] - blockStart[b])) dense[denseStart[b] + x.Label] = x.Weight;
        return new WordBlocks(new FeatureMap(blockWords.AsSpan(0, blocks), blockStart.AsSpan(0, blocks + 1), denseStart, dense), entries, L);
    }

    /// <summary>The smallest word at the cursors of the five runs; false when all are done.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // called once a block during the load: no slow first tier
    private static bool NextWord(ulong[] keys, ReadOnlySpan<int> next, ReadOnlySpan<int> end, out ulong word)
    {
        word = ulong.MaxValue;
        for (int s = 0; s < next.Length; s++)
            if (next[s] < end[s]) word = Math.Min(word, WordFeatures.WordOf(keys[next[s]]));
        return word != ulong.MaxValue;
    }

    /// <summary>The first index whose key is at least <paramref name="key"/>.</summary>
    private static int LowerBound(ulong[] keys, ulong key)
    {
        int i = Array.BinarySearch(keys, key);
        return i >= 0 ? i : ~i;
    }

    /// <summary>
    /// Adds the blocks of a sentence's words, and of the edge markers around them, into <paramref name="padded"/>:
    /// <c>(n + 2 × Padding) × L</c> scores, the sentence's own from row <see cref="Padding"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    public unsafe void Add(ReadOnlySpan<ulong> hashes, Span<float> padded)
    {
        int n = hashes.Length, L = _labels;
        // Two markers before the sentence and two after it, as the neighbours of its first and last words.
        ulong bos = WordFeatures.WordId(WordFeatures.Bos), eos = WordFeatures.WordId(WordFeatures.Eos);
        for (int j = 0; j < n; j++) _map.Prefetch(WordFeatures.WordId(hashes[j]));
        ref var entry0 = ref MemoryMarshal.GetArrayDataReference(_entries);
        for (int j = -2; j < n + 2; j++)
        {
            ulong word = j < 0 ? bos : j >= n ? eos : WordFeatures.WordId(hashes[j]);
            if (!_map.TryFind(word, out int start, out int count)) continue;
            // The block of the word at j covers positions j - 2 .. j + 2, padded rows j + 2 .. j + 6.
            var scores = padded.Slice((j + Padding - 2) * L, Reach * L);
            if (count == FeatureMap.Dense)
            {
                Vectors.AddInto(scores, _map.DenseWeights.AsSpan(start, Reach * L));
                continue;
            }
            ref float score0 = ref MemoryMarshal.GetReference(scores);
            ref var row = ref Unsafe.Add(ref entry0, start);
            for (int k = 0; k < count; k++)
            {
                // Unchecked: every label is below Reach × L, as built above.
                ref readonly var e = ref Unsafe.Add(ref row, k);
                Unsafe.Add(ref score0, e.Label) += e.Weight;
            }
        }
    }
}
