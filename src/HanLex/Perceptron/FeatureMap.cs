using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace HanLex.Perceptron;

/// <summary>
/// A frozen open-addressing hash map from 64-bit feature keys to weight rows. Each slot holds the key and where its
/// row's entries lie, so a lookup touches one cache line of the table. Keys are never 0 (template ids start at 1),
/// so 0 marks an empty slot. Reads are lock-free and allocation-free.
/// </summary>
public sealed class FeatureMap
{
    private struct Slot
    {
        public ulong Key;
        public int Start;
        public int Count;
    }

    /// <summary>The count <see cref="TryFind"/> gives a row kept dense: its start is then into the dense weights.</summary>
    public const int Dense = -1;

    /// <summary>The dense copies of rows found with count <see cref="Dense"/>.</summary>
    public float[] DenseWeights { get; }

    private readonly Slot[] _slots;
    private readonly int _shift;
    private readonly int _mask;

    /// <param name="keys">Distinct keys; row <c>i</c> has entries <c>rowStart[i] .. rowStart[i + 1]</c>.</param>
    /// <param name="denseStart">Per row, where its dense copy in <paramref name="denseWeights"/> starts, or -1 for none;
    /// such a row is found with count <see cref="Dense"/> and start at its dense copy. Empty: no dense rows.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // runs once per load, over every weight: no slow first tier
    public FeatureMap(ReadOnlySpan<ulong> keys, ReadOnlySpan<int> rowStart, ReadOnlySpan<int> denseStart = default, float[]? denseWeights = null)
    {
        DenseWeights = denseWeights ?? [];
        int capacity = 16;
        while (capacity < keys.Length * 2) capacity <<= 1;
        _slots = Tables.Zeroed<Slot>(capacity);
        _mask = capacity - 1;
        _shift = 64 - System.Numerics.BitOperations.Log2((uint)capacity);
        const int Ahead = 16; // slots are scattered over a large table: start loading them a few keys early
        for (int i = 0; i < keys.Length; i++)
        {
            if (i + Ahead < keys.Length) Prefetch(keys[i + Ahead]);
            ulong key = keys[i];
            if (key == 0) throw new ArgumentException("feature key 0 is reserved");
            int slot = SlotOf(key);
            while (_slots[slot].Key != 0)
            {
                if (_slots[slot].Key == key) throw new ArgumentException($"duplicate feature key {key:X}");
                slot = (slot + 1) & _mask;
            }
            _slots[slot] = !denseStart.IsEmpty && denseStart[i] >= 0
                ? new Slot { Key = key, Start = denseStart[i], Count = Dense }
                : new Slot { Key = key, Start = rowStart[i], Count = rowStart[i + 1] - rowStart[i] };
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int SlotOf(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);

    /// <summary>Asks the CPU to start loading the slot of <paramref name="key"/>, so a later lookup finds it in cache.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(ulong key)
    {
        if (!Sse.IsSupported) return;
        // A prefetch never faults, so an address made stale by the GC moving the array does no harm.
        Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), SlotOf(key))));
    }

    /// <summary>Where the entries of <paramref name="key"/> lie; false when the key has none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryFind(ulong key, out int start, out int count)
    {
        var slots = _slots;
        int slot = SlotOf(key);
        while (true)
        {
            ref readonly var s = ref slots[slot];
            if (s.Key == key)
            {
                start = s.Start;
                count = s.Count;
                return true;
            }
            if (s.Key == 0)
            {
                start = count = 0;
                return false;
            }
            slot = (slot + 1) & _mask;
        }
    }
}
