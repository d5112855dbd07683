using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HanLex.Perceptron;

/// <summary>
/// The storage of a hash table kept in buckets of one 64-byte cache line: a pinned array, where its first bucket
/// starts (on a line boundary), and the shift that turns a key's 64-bit multiplicative hash into its bucket.
/// <see cref="FeatureMap"/> and the segmentation kernels' tables lay their keys and values out inside the buckets.
/// </summary>
internal readonly struct CacheLineBuckets<T> where T : unmanaged
{
    internal const ulong Multiplier = 0x9E3779B97F4A7C15UL; // 2^64 / golden ratio: consecutive keys spread evenly
    private readonly T[] _table;
    private readonly int _first, _shift;

    /// <summary><paramref name="count"/> empty buckets (a power of two, at least 2).</summary>
    public CacheLineBuckets(int count)
    {
        _table = Tables.ZeroedAligned<T>(count * Length, out _first);
        Mask = count - 1;
        _shift = 64 - BitOperations.Log2((uint)count);
    }

    /// <summary>Elements of <typeparamref name="T"/> a bucket holds.</summary>
    public static int Length => 64 / Unsafe.SizeOf<T>();

    /// <summary>The number of buckets less one: the next bucket after <c>b</c> is <c>(b + 1) &amp; Mask</c>.</summary>
    public int Mask { get; }

    public int Count => Mask + 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Of(ulong key) => (int)((key * Multiplier) >> _shift);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ref T Bucket(int bucket) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_table), _first + bucket * Length);

    /// <summary>The elements of every bucket, in order.</summary>
    public ReadOnlySpan<T> All => _table.AsSpan(_first, Count * Length);

    /// <summary>Asks the CPU to start loading bucket <paramref name="bucket"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public unsafe void Prefetch(int bucket)
    {
        // Pinned: the address stays.
        if (System.Runtime.Intrinsics.X86.Sse.IsSupported) System.Runtime.Intrinsics.X86.Sse.Prefetch0(Unsafe.AsPointer(ref Bucket(bucket)));
    }
}
