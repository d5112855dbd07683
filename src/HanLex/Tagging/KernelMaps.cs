using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using HanLex.Perceptron;

namespace HanLex.Tagging;

/// <summary>Open-addressing tables the compiled segmentation kernels look characters, pairs and lexicon prefixes up in.</summary>
internal static class KernelMaps
{
    /// <summary>Table size for <paramref name="count"/> entries: at most half full keeps probes short.</summary>
    internal static int CapacityFor(int count)
    {
        int capacity = 16;
        while (capacity < 2 * count) capacity <<= 1;
        return capacity;
    }

    /// <summary>
    /// Numbers (from 1) the distinct pairs (<see cref="SegmentationKernel.PairOf"/>) of the keys of templates
    /// <paramref name="first"/> to <paramref name="last"/>, writing each of their rows' number to <paramref name="rowIds"/>.
    /// Model keys are sorted, so each template's keys are one run with its pairs ascending: merging the runs numbers the
    /// pairs in order, with no hash lookup. Returns the pairs by number (index 0 unused).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per load, over every pair: no slow first tier
    internal static uint[] NumberPairs(ulong[] keys, int first, int last, int[] rowIds)
    {
        int runs = last - first + 1;
        Span<int> at = stackalloc int[runs], end = stackalloc int[runs];
        int total = 0;
        for (int t = 0; t < runs; t++)
        {
            (at[t], end[t]) = LinearModel.TemplateRows(keys, first + t);
            total += end[t] - at[t];
        }
        var pairs = new uint[total + 1];
        int count = 0;
        while (true)
        {
            uint min = 0;
            bool any = false;
            for (int t = 0; t < runs; t++)
                if (at[t] < end[t] && (!any || SegmentationKernel.PairOf(keys[at[t]]) < min))
                {
                    min = SegmentationKernel.PairOf(keys[at[t]]);
                    any = true;
                }
            if (!any) break;
            pairs[++count] = min;
            for (int t = 0; t < runs; t++)
                for (; at[t] < end[t] && SegmentationKernel.PairOf(keys[at[t]]) == min; at[t]++) rowIds[at[t]] = count;
        }
        return pairs.AsSpan(0, count + 1).ToArray();
    }

    /// <summary>The number of <paramref name="key"/> in <paramref name="numbers"/>, numbering it next (from 1, in
    /// <paramref name="byNumber"/>, whose entry 0 is unused) when it is new.</summary>
    internal static int Number(PairMap numbers, List<uint> byNumber, uint key)
    {
        int number = numbers.GetOrAdd(key, byNumber.Count);
        if (number == byNumber.Count) byNumber.Add(key);
        return number;
    }

    /// <summary>The map from each key (by number, from 1) to <paramref name="value"/> of its number.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per load: no slow first tier
    internal static PairMap Build(ReadOnlySpan<uint> keysByNumber, Func<int, int> value)
    {
        const int Ahead = 8; // slots are scattered: start loading them a few keys early
        var map = new PairMap(CapacityFor(keysByNumber.Length - 1));
        for (int id = 1; id < keysByNumber.Length; id++)
        {
            if (id + Ahead < keysByNumber.Length) map.Prefetch(keysByNumber[id + Ahead]);
            map.GetOrAdd(keysByNumber[id], value(id));
        }
        return map;
    }
}

/// <summary>
/// A hash table from a pair of characters to a nonzero value, 0 when absent, in buckets of one cache line: eight keys,
/// then their eight values (0 in an empty slot). A lookup reads one line and compares all eight keys at once, so what it
/// returns depends on no branch: found or absent at the first slot, or a few slots on, all cost the same. (With one key
/// a slot and linear probing, those four cases each came up 10–55% of the time in text, and their branches were
/// mispredicted.) A key goes to the first bucket from its own that has room, so a lookup moves on only from a full
/// bucket, rare in a table at most half full. Grows while being built; <see cref="Compacted"/> sizes it for reading.
/// </summary>
internal sealed class PairMap
{
    private const int Ways = 8; // a bucket's eight keys, then their values
    private CacheLineBuckets<uint> _buckets;
    private int _count;

    /// <param name="capacity">Slots, eight a bucket.</param>
    public PairMap(int capacity) => _buckets = new(Math.Max(2, capacity / Ways));

    public int Count => _count;

    /// <summary>The value of <paramref name="key"/>, adding it with <paramref name="value"/> (not 0) when absent.</summary>
    public int GetOrAdd(uint key, int value)
    {
        ref uint v = ref Slot(key, out bool found);
        if (found) return (int)v;
        v = (uint)value;
        return value;
    }

    /// <summary>ORs <paramref name="bits"/> (not 0) into the value of <paramref name="key"/>, adding it when absent.</summary>
    public void Or(uint key, int bits) => Slot(key, out _) |= (uint)bits;

    /// <summary>The value slot of <paramref name="key"/>, claimed for it (its value still 0) when absent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // load time: no slow first tier
    private ref uint Slot(uint key, out bool found)
    {
        if (2 * (_count + 1) > _buckets.Count * Ways) Rehash(2 * _buckets.Count * Ways);
        for (int b = _buckets.Of(key); ; b = (b + 1) & _buckets.Mask)
        {
            ref uint bucket = ref _buckets.Bucket(b);
            var (match, empty) = Match(ref bucket, key);
            found = match != 0;
            if (found) return ref Unsafe.Add(ref bucket, Ways + BitOperations.TrailingZeroCount(match));
            if (empty == 0) continue;
            // Slots fill in order and are never emptied, so the first empty one ends the bucket's keys.
            int w = BitOperations.TrailingZeroCount(empty);
            Unsafe.Add(ref bucket, w) = key;
            _count++;
            return ref Unsafe.Add(ref bucket, Ways + w);
        }
    }

    /// <summary>Bit w set where slot w of <paramref name="bucket"/> holds <paramref name="key"/>, and where it is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (uint Match, uint Empty) Match(ref uint bucket, uint key)
    {
        var empty = Vector256.Equals(Vector256.LoadUnsafe(ref bucket, Ways), Vector256<uint>.Zero);
        var match = Vector256.AndNot(Vector256.Equals(Vector256.LoadUnsafe(ref bucket), Vector256.Create(key)), empty);
        return (match.ExtractMostSignificantBits(), empty.ExtractMostSignificantBits());
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // load time: no slow first tier
    private void Rehash(int capacity)
    {
        var old = _buckets.All;
        _buckets = new(Math.Max(2, capacity / Ways));
        _count = 0;
        for (int at = 0; at < old.Length; at += 2 * Ways)
            for (int w = 0; w < Ways && old[at + Ways + w] != 0; w++)
                Slot(old[at + w], out _) = old[at + Ways + w];
    }

    /// <summary>The same entries in the smallest table of buckets at least twice their number of slots.</summary>
    public PairMap Compacted()
    {
        int capacity = Math.Max(2 * Ways, KernelMaps.CapacityFor(_count));
        if (capacity != _buckets.Count * Ways) Rehash(capacity);
        return this;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(uint key) => _buckets.Prefetch(_buckets.Of(key));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(uint key)
    {
        for (int b = _buckets.Of(key); ; b = (b + 1) & _buckets.Mask)
        {
            ref uint bucket = ref _buckets.Bucket(b);
            var (match, empty) = Match(ref bucket, key);
            // Read whichever slot matched (or slot 0), then keep it only if one did: a conditional move, not a branch.
            int value = (int)Unsafe.Add(ref bucket, Ways + (BitOperations.TrailingZeroCount(match) & (Ways - 1)));
            if ((match | empty) != 0) return match != 0 ? value : 0;
        }
    }
}

/// <summary>
/// A hash table from rolling hashes (and word hashes) to an eight-bit value (lexicon flags and a word class, or a
/// label), in buckets of one cache line as <see cref="PairMap"/>: eight slots, each the hash with the value in its eight
/// low bits, 0 when empty. A lookup compares the eight at once, with no branch on where or whether the key was found.
/// </summary>
internal sealed class KeyMap
{
    private const int Ways = 8;
    private const ulong Flags = 0xFF;
    private CacheLineBuckets<ulong> _buckets;
    private int _count;

    /// <param name="capacity">Slots, eight a bucket.</param>
    public KeyMap(int capacity) => _buckets = new(Math.Max(2, capacity / Ways));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int BucketOf(ulong key) => _buckets.Of(key & ~Flags);

    /// <summary>Bit w set where slot w of <paramref name="bucket"/> holds <paramref name="key"/> (its flags cleared), and where it is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (uint Match, uint Empty) Match(ref ulong bucket, ulong key)
    {
        var low = Vector256.LoadUnsafe(ref bucket);
        var high = Vector256.LoadUnsafe(ref bucket, 4);
        var wanted = Vector256.Create(key);
        var hashes = Vector256.Create(~Flags);
        uint match = Vector256.Equals(low & hashes, wanted).ExtractMostSignificantBits() | Vector256.Equals(high & hashes, wanted).ExtractMostSignificantBits() << 4;
        uint empty = Vector256.Equals(low, Vector256<ulong>.Zero).ExtractMostSignificantBits() | Vector256.Equals(high, Vector256<ulong>.Zero).ExtractMostSignificantBits() << 4;
        return (match, empty);
    }

    /// <summary>ORs <paramref name="bits"/> into the flags of <paramref name="key"/>, adding it when absent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Or(ulong key, int bits)
    {
        key &= ~Flags;
        if (key == 0) return; // a hash of 0 in its high bits: that prefix is simply not found
        if (2 * (_count + 1) > _buckets.Count * Ways) Rehash(2 * _buckets.Count * Ways);
        Slot(key) |= key | (uint)bits;
    }

    /// <summary>The slot of <paramref name="key"/> (flags cleared, not 0), or the empty one it goes to.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // load time: no slow first tier
    private ref ulong Slot(ulong key)
    {
        for (int b = BucketOf(key); ; b = (b + 1) & _buckets.Mask)
        {
            ref ulong bucket = ref _buckets.Bucket(b);
            var (match, empty) = Match(ref bucket, key);
            if (match != 0) return ref Unsafe.Add(ref bucket, BitOperations.TrailingZeroCount(match));
            if (empty == 0) continue;
            _count++; // slots fill in order and are never emptied: the first empty one ends the bucket's keys
            return ref Unsafe.Add(ref bucket, BitOperations.TrailingZeroCount(empty));
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // load time: no slow first tier
    private void Rehash(int capacity)
    {
        var old = _buckets.All;
        _buckets = new(Math.Max(2, capacity / Ways));
        _count = 0;
        foreach (ulong stored in old)
            if (stored != 0) Slot(stored & ~Flags) = stored;
    }

    /// <summary>The same entries in the smallest table of buckets at least twice their number of slots.</summary>
    public KeyMap Compacted()
    {
        int capacity = Math.Max(2 * Ways, KernelMaps.CapacityFor(_count));
        if (capacity != _buckets.Count * Ways) Rehash(capacity);
        return this;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(ulong key) => _buckets.Prefetch(BucketOf(key));

    /// <summary>The eight-bit value of <paramref name="key"/> (its own low eight bits ignored), 0 when absent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(ulong key)
    {
        key &= ~Flags;
        for (int b = BucketOf(key); ; b = (b + 1) & _buckets.Mask)
        {
            ref ulong bucket = ref _buckets.Bucket(b);
            var (match, empty) = Match(ref bucket, key);
            // An empty slot matches only key 0, and gives flags 0; whichever slot matched is read, and kept with a mask:
            // a tag dictionary holds about half the words of text, so a branch on found or absent is a coin toss.
            int value = (int)(Unsafe.Add(ref bucket, BitOperations.TrailingZeroCount(match) & (Ways - 1)) & Flags);
            if ((match | empty) != 0) return value & -Unsafe.BitCast<bool, byte>(match != 0);
        }
    }
}
