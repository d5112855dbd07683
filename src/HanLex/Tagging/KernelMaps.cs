using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
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
/// Open addressing from a pair of characters to a nonzero value, 0 when absent. Slots pack key and value in one
/// 64-bit word, so a lookup reads one. Grows while being built; <see cref="Compacted"/> sizes it for reading.
/// </summary>
internal sealed class PairMap
{
    private ulong[] _slots; // key << 32 | value; a value is never 0, so 0 marks an empty slot
    private int _shift, _count;

    public PairMap(int capacity)
    {
        _slots = Tables.Zeroed<ulong>(capacity);
        _shift = 32 - System.Numerics.BitOperations.Log2((uint)capacity);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int SlotOf(uint key) => (int)((key * 0x9E3779B9u) >> _shift);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // load time: no slow first tier
    private ref ulong Slot(uint key, out bool found)
    {
        if (2 * (_count + 1) > _slots.Length) Rehash(2 * _slots.Length);
        int mask = _slots.Length - 1;
        for (int slot = SlotOf(key); ; slot = (slot + 1) & mask)
        {
            ref ulong s = ref _slots[slot];
            found = s != 0 && (uint)(s >> 32) == key;
            if (s == 0 || found) return ref s;
        }
    }

    public int Count => _count;

    /// <summary>The value of <paramref name="key"/>, adding it with <paramref name="value"/> when absent.</summary>
    public int GetOrAdd(uint key, int value)
    {
        ref ulong s = ref Slot(key, out bool found);
        if (found) return (int)(uint)s;
        s = (ulong)key << 32 | (uint)value;
        _count++;
        return value;
    }

    /// <summary>ORs <paramref name="bits"/> into the value of <paramref name="key"/>, adding it when absent.</summary>
    public void Or(uint key, int bits)
    {
        ref ulong s = ref Slot(key, out bool found);
        if (!found) { s = (ulong)key << 32; _count++; }
        s |= (uint)bits;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // load time: no slow first tier
    private void Rehash(int capacity)
    {
        var old = _slots;
        _slots = Tables.Zeroed<ulong>(capacity);
        _shift = 32 - System.Numerics.BitOperations.Log2((uint)capacity);
        int mask = capacity - 1;
        foreach (ulong s in old)
        {
            if (s == 0) continue;
            int slot = SlotOf((uint)(s >> 32));
            while (_slots[slot] != 0) slot = (slot + 1) & mask;
            _slots[slot] = s;
        }
    }

    /// <summary>The same entries in a table of the smallest power of two at least twice their number.</summary>
    public PairMap Compacted()
    {
        int capacity = KernelMaps.CapacityFor(_count);
        if (capacity != _slots.Length) Rehash(capacity);
        return this;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(uint key)
    {
        if (System.Runtime.Intrinsics.X86.Sse.IsSupported)
            System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), SlotOf(key))));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(uint key)
    {
        var slots = _slots;
        int mask = slots.Length - 1;
        for (int slot = SlotOf(key); ; slot = (slot + 1) & mask)
        {
            ulong s = slots[slot];
            if (s == 0) return 0;
            if ((uint)(s >> 32) == key) return (int)(uint)s;
        }
    }
}

/// <summary>
/// Open addressing from rolling hashes to lexicon flags, built like <see cref="PairMap"/>: each slot holds the hash with
/// the value in its eight low bits (two flags and a word class), so a probe reads one cache line.
/// </summary>
internal sealed class KeyMap
{
    private const ulong Flags = 0xFF;
    private ulong[] _slots;
    private int _shift, _count;

    public KeyMap(int capacity)
    {
        _slots = Tables.Zeroed<ulong>(capacity);
        _shift = 64 - System.Numerics.BitOperations.Log2((uint)capacity);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int SlotOf(ulong key) => (int)(((key & ~Flags) * 0x9E3779B97F4A7C15UL) >> _shift);

    /// <summary>ORs <paramref name="bits"/> into the flags of <paramref name="key"/>, adding it when absent.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Or(ulong key, int bits)
    {
        key &= ~Flags;
        if (key == 0) return; // a hash of 0 in its high bits: that prefix is simply not found
        if (2 * (_count + 1) > _slots.Length) Rehash(2 * _slots.Length);
        int mask = _slots.Length - 1;
        int slot = SlotOf(key);
        while (_slots[slot] != 0 && (_slots[slot] & ~Flags) != key) slot = (slot + 1) & mask;
        if (_slots[slot] == 0) _count++;
        _slots[slot] |= key | (uint)bits;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // load time: no slow first tier
    private void Rehash(int capacity)
    {
        var slots = _slots;
        _slots = Tables.Zeroed<ulong>(capacity);
        _shift = 64 - System.Numerics.BitOperations.Log2((uint)capacity);
        foreach (ulong stored in slots)
        {
            if (stored == 0) continue;
            int slot = SlotOf(stored);
            while (_slots[slot] != 0) slot = (slot + 1) & (capacity - 1);
            _slots[slot] = stored;
        }
    }

    /// <summary>The same entries in a table of the smallest power of two at least twice their number.</summary>
    public KeyMap Compacted()
    {
        int capacity = KernelMaps.CapacityFor(_count);
        if (capacity != _slots.Length) Rehash(capacity);
        return this;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(ulong key)
    {
        if (!System.Runtime.Intrinsics.X86.Sse.IsSupported) return;
        System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_slots), SlotOf(key))));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(ulong key)
    {
        key &= ~Flags;
        var slots = _slots;
        int mask = slots.Length - 1;
        for (int slot = SlotOf(key); ; slot = (slot + 1) & mask)
        {
            ulong stored = slots[slot];
            if ((stored & ~Flags) == key) return (int)(stored & Flags); // an empty slot matches only key 0: flags 0
            if (stored == 0) return 0;
        }
    }
}
