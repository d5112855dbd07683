using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HanLex.Perceptron;

/// <summary>Vector arithmetic shared by training and decoding.</summary>
internal static class Vectors
{
    /// <summary>
    /// <paramref name="target"/> += <paramref name="source"/>. Rows are as long as the label set, often 6 to 50 floats,
    /// so 256-bit, then 128-bit registers, then single floats.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddInto(Span<float> target, ReadOnlySpan<float> source)
    {
        int n = target.Length;
        if (source.Length < n) throw new ArgumentException("source shorter than target", nameof(source));
        ref float t = ref MemoryMarshal.GetReference(target);
        ref float s = ref MemoryMarshal.GetReference(source);
        int j = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; j + 8 <= n; j += 8)
                (Vector256.LoadUnsafe(ref t, (nuint)j) + Vector256.LoadUnsafe(ref s, (nuint)j)).StoreUnsafe(ref t, (nuint)j);
        if (Vector128.IsHardwareAccelerated)
            for (; j + 4 <= n; j += 4)
                (Vector128.LoadUnsafe(ref t, (nuint)j) + Vector128.LoadUnsafe(ref s, (nuint)j)).StoreUnsafe(ref t, (nuint)j);
        for (; j < n; j++) Unsafe.Add(ref t, j) += Unsafe.Add(ref s, j);
    }

    /// <summary><paramref name="values"/> ×= <paramref name="factor"/>.</summary>
    public static void Scale(Span<float> values, float factor)
    {
        ref float v = ref MemoryMarshal.GetReference(values);
        int n = values.Length, j = 0;
        if (Vector256.IsHardwareAccelerated)
            for (; j + 8 <= n; j += 8) (Vector256.LoadUnsafe(ref v, (nuint)j) * factor).StoreUnsafe(ref v, (nuint)j);
        for (; j < n; j++) Unsafe.Add(ref v, j) *= factor;
    }
}
