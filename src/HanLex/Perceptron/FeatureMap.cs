using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HanLex.Perceptron;

/// <summary>
/// A frozen hash map from 64-bit feature keys to weight rows, in buckets of one cache line: four keys, then where each
/// one's row lies. A lookup compares the four keys at once and picks the row with a conditional move, so found, absent,
/// at the first slot or a later one all take the same path (with one key a slot and linear probing, those cases mixed
/// in text and their branches were mispredicted). A bucket hands keys on to the next only when full. Keys are never 0
/// (template ids start at 1), so 0 marks an empty slot. Reads are lock-free and allocation-free.
/// </summary>
public sealed class FeatureMap
{
    private const int Ways = 4; // a bucket's four keys, then their rows

    /// <summary>The count <see cref="TryFind"/> gives a row kept dense: its start is then into the dense weights.</summary>
    public const int Dense = -1;

    /// <summary>The dense copies of rows found with count <see cref="Dense"/>.</summary>
    public float[] DenseWeights { get; }

    private readonly CacheLineBuckets<ulong> _buckets; // keys, then start << 32 | count

    /// <param name="keys">Distinct keys; row <c>i</c> has entries <c>rowStart[i] .. rowStart[i + 1]</c>.</param>
    /// <param name="denseStart">Per row, where its dense copy in <paramref name="denseWeights"/> starts, or -1 for none;
    /// such a row is found with count <see cref="Dense"/> and start at its dense copy. Empty: no dense rows.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per load, over every weight: no slow first tier
    public FeatureMap(ReadOnlySpan<ulong> keys, ReadOnlySpan<int> rowStart, ReadOnlySpan<int> denseStart = default, float[]? denseWeights = null)
    {
        DenseWeights = denseWeights ?? [];
        int capacity = 16;
        while (capacity < keys.Length * 2) capacity <<= 1;
        _buckets = new(capacity / Ways);
        const int Ahead = 16; // buckets are scattered over a large table: start loading them a few keys early
        for (int i = 0; i < keys.Length; i++)
        {
            if (i + Ahead < keys.Length) Prefetch(keys[i + Ahead]);
            ulong key = keys[i];
            if (key == 0) throw new ArgumentException("feature key 0 is reserved");
            var (start, count) = !denseStart.IsEmpty && denseStart[i] >= 0 ? (denseStart[i], Dense) : (rowStart[i], rowStart[i + 1] - rowStart[i]);
            Insert(key, (ulong)(uint)start << 32 | (uint)count);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // load time: no slow first tier
    private void Insert(ulong key, ulong row)
    {
        for (int b = _buckets.Of(key); ; b = (b + 1) & _buckets.Mask)
        {
            ref ulong bucket = ref _buckets.Bucket(b);
            var (match, empty) = Match(ref bucket, key);
            if (match != 0) throw new ArgumentException($"duplicate feature key {key:X}");
            if (empty == 0) continue;
            // Slots fill in order and are never emptied, so the first empty one ends the bucket's keys.
            int w = System.Numerics.BitOperations.TrailingZeroCount(empty);
            Unsafe.Add(ref bucket, w) = key;
            Unsafe.Add(ref bucket, Ways + w) = row;
            return;
        }
    }

    /// <summary>
    /// With rows of many labels (part of speech, and the word blocks of both tagging models), rows with weights for at
    /// least a quarter of their width are also kept dense, added with vector instructions: those are the frequent
    /// features, where adding weight by weight cost most of the scoring time (pd98 POS scoring about 1.3 → 0.7 µs a
    /// word). With few labels (entities' own rows) it did not pay. Same sums in the same order, so the same scores.
    /// </summary>
    private const int DenseFromWidth = 16;

    /// <summary>The map of rows <c>rowStart[i] .. rowStart[i + 1]</c> of <paramref name="entries"/>, each
    /// <paramref name="width"/> weights wide, with dense copies of the frequent ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per load, over every weight: no slow first tier
    internal static FeatureMap WithDenseRows(ReadOnlySpan<ulong> keys, ReadOnlySpan<int> rowStart, ReadOnlySpan<LinearModel.Entry> entries, int width)
    {
        var denseStart = new int[keys.Length];
        int denseCount = 0;
        for (int r = 0; r < keys.Length; r++)
            denseStart[r] = 4 * (rowStart[r + 1] - rowStart[r]) >= width && width >= DenseFromWidth ? denseCount++ * width : -1;
        var dense = Tables.Zeroed<float>(denseCount * width);
        for (int r = 0; r < keys.Length; r++)
            if (denseStart[r] >= 0)
                foreach (var e in entries[rowStart[r]..rowStart[r + 1]]) dense[denseStart[r] + e.Label] = e.Weight;
        return new FeatureMap(keys, rowStart, denseStart, dense);
    }

    /// <summary>Bit w set where slot w of <paramref name="bucket"/> holds <paramref name="key"/>, and where it is empty.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (uint Match, uint Empty) Match(ref ulong bucket, ulong key)
    {
        var keys = Vector256.LoadUnsafe(ref bucket);
        return (Vector256.Equals(keys, Vector256.Create(key)).ExtractMostSignificantBits(),
            Vector256.Equals(keys, Vector256<ulong>.Zero).ExtractMostSignificantBits());
    }

    /// <summary>Asks the CPU to start loading the bucket of <paramref name="key"/>, so a later lookup finds it in cache.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(ulong key) => _buckets.Prefetch(_buckets.Of(key));

    /// <summary>
    /// Asks the CPU to start loading a row <see cref="Find(ulong)"/> gave (start &lt;&lt; 32 | count): a sparse row's first
    /// entries, or every cache line of a dense one, <paramref name="width"/> weights; 0 is allowed.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void PrefetchRow(long row, ref LinearModel.Entry entry0, int width)
    {
        int start = (int)(row >> 32), count = (int)(uint)row;
        // Row 0 (absent, a third of the keys) prefetches the entries' first line: harmless, and no branch to mispredict.
        if (count != Dense) Tables.PrefetchLines(ref Unsafe.Add(ref entry0, start), 1);
        else Tables.PrefetchLines(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(DenseWeights), start), width);
    }

    /// <summary>
    /// Adds a row <see cref="Find(ulong)"/> gave (start &lt;&lt; 32 | count; 0 adds nothing) to <paramref name="scores"/>: a dense
    /// row's first <c>scores.Length</c> weights, or a sparse row's entries from <paramref name="entry0"/> on, unchecked
    /// (the model's constructors check that every label is below the width its rows are read at).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void AddRow(long row, Span<float> scores, ref LinearModel.Entry entry0)
    {
        int start = (int)(row >> 32), count = (int)(uint)row; // 0: a sparse row of no entries
        if (count == Dense)
            Vectors.AddInto(scores, MemoryMarshal.CreateReadOnlySpan(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(DenseWeights), start), scores.Length));
        else LinearModel.Entry.AddTo(ref MemoryMarshal.GetReference(scores), ref Unsafe.Add(ref entry0, start), count);
    }

    /// <summary>Where the entries of <paramref name="key"/> lie; false when the key has none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryFind(ulong key, out int start, out int count)
    {
        long row = Find(key);
        start = (int)(row >> 32);
        count = (int)(uint)row;
        return row != 0;
    }

    /// <summary>Where the entries of <paramref name="key"/> (not 0) lie, as start &lt;&lt; 32 | count; 0 when the key has none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal long Find(ulong key) => Find(_buckets, key);

    /// <summary>The table's buckets, for a caller's loop over many keys to keep in registers (<see cref="Find(CacheLineBuckets{ulong}, ulong)"/>).</summary>
    internal CacheLineBuckets<ulong> Buckets => _buckets;

    /// <summary><see cref="Find(ulong)"/> in <paramref name="buckets"/> (<see cref="Buckets"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static long Find(CacheLineBuckets<ulong> buckets, ulong key)
    {
        for (int b = buckets.Of(key); ; b = (b + 1) & buckets.Mask)
        {
            ref ulong bucket = ref buckets.Bucket(b);
            var (match, empty) = Match(ref bucket, key);
            // Read whichever slot matched (or slot 0), then keep it only if one did: a mask, not a branch, since found
            // and absent are about as likely as each other in text.
            long row = (long)Unsafe.Add(ref bucket, Ways + (System.Numerics.BitOperations.TrailingZeroCount(match) & (Ways - 1)));
            if ((match | empty) != 0) return row & -(long)Unsafe.BitCast<bool, byte>(match != 0);
        }
    }
}
