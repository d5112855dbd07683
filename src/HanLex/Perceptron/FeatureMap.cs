using System.Runtime.CompilerServices;

namespace HanLex.Perceptron;

/// <summary>
/// A frozen open-addressing hash map from 64-bit feature keys to row ids. Keys are never 0 (template ids start at 1),
/// so 0 marks an empty slot. Reads are lock-free and allocation-free.
/// </summary>
public sealed class FeatureMap
{
    private readonly ulong[] _keys;
    private readonly int[] _rows;
    private readonly int _shift;
    private readonly int _mask;

    public FeatureMap(ReadOnlySpan<ulong> keys)
    {
        int capacity = 16;
        while (capacity < keys.Length * 2) capacity <<= 1;
        _keys = new ulong[capacity];
        _rows = new int[capacity];
        _mask = capacity - 1;
        _shift = 64 - System.Numerics.BitOperations.Log2((uint)capacity);
        for (int i = 0; i < keys.Length; i++)
        {
            ulong key = keys[i];
            if (key == 0) throw new ArgumentException("feature key 0 is reserved");
            int slot = Slot(key);
            while (_keys[slot] != 0)
            {
                if (_keys[slot] == key) throw new ArgumentException($"duplicate feature key {key:X}");
                slot = (slot + 1) & _mask;
            }
            _keys[slot] = key;
            _rows[slot] = i;
        }
        Count = keys.Length;
    }

    public int Count { get; }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Slot(ulong key) => (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);

    /// <summary>The row of <paramref name="key"/>, or -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Find(ulong key)
    {
        int slot = Slot(key);
        while (true)
        {
            ulong k = _keys[slot];
            if (k == key) return _rows[slot];
            if (k == 0) return -1;
            slot = (slot + 1) & _mask;
        }
    }
}
