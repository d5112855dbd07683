using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
        nuint j = 0, count = (nuint)n;
        if (Vector256.IsHardwareAccelerated)
        {
            // Four registers a turn: the loop's own instructions had been as many as its additions.
            for (; j + 32 <= count; j += 32)
            {
                (Vector256.LoadUnsafe(ref t, j) + Vector256.LoadUnsafe(ref s, j)).StoreUnsafe(ref t, j);
                (Vector256.LoadUnsafe(ref t, j + 8) + Vector256.LoadUnsafe(ref s, j + 8)).StoreUnsafe(ref t, j + 8);
                (Vector256.LoadUnsafe(ref t, j + 16) + Vector256.LoadUnsafe(ref s, j + 16)).StoreUnsafe(ref t, j + 16);
                (Vector256.LoadUnsafe(ref t, j + 24) + Vector256.LoadUnsafe(ref s, j + 24)).StoreUnsafe(ref t, j + 24);
            }
            for (; j + 8 <= count; j += 8)
                (Vector256.LoadUnsafe(ref t, j) + Vector256.LoadUnsafe(ref s, j)).StoreUnsafe(ref t, j);
        }
        if (Vector128.IsHardwareAccelerated)
            for (; j + 4 <= count; j += 4)
                (Vector128.LoadUnsafe(ref t, j) + Vector128.LoadUnsafe(ref s, j)).StoreUnsafe(ref t, j);
        for (; j < count; j++) Unsafe.Add(ref t, j) += Unsafe.Add(ref s, j);
    }

    /// <summary>Bit k set where <c>Unsafe.Add(ref keys, k)</c> is not 0, for k below 16; reads all sixteen.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint NonZero16(ref ulong keys)
    {
        uint zero = Vector256.Equals(Vector256.LoadUnsafe(ref keys), Vector256<ulong>.Zero).ExtractMostSignificantBits()
            | Vector256.Equals(Vector256.LoadUnsafe(ref keys, 4), Vector256<ulong>.Zero).ExtractMostSignificantBits() << 4
            | Vector256.Equals(Vector256.LoadUnsafe(ref keys, 8), Vector256<ulong>.Zero).ExtractMostSignificantBits() << 8
            | Vector256.Equals(Vector256.LoadUnsafe(ref keys, 12), Vector256<ulong>.Zero).ExtractMostSignificantBits() << 12;
        return ~zero & 0xFFFF;
    }

    /// <summary>Lane by lane the larger of two scores, neither of them NaN: one instruction, where
    /// <see cref="Vector256.Max{T}"/> also orders −0 below +0 and passes NaN on, which took ten. Equal lanes give the
    /// same value either way (of zeros, perhaps the other sign, which no comparison tells apart).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.MaxNative(a, b);

    /// <inheritdoc cref="Max(Vector256{float}, Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.MaxNative(a, b);

    /// <summary>The largest of eight scores, none of them NaN: three maxima over halves, where a scalar
    /// <see cref="Math.Max(float, float)"/> takes ten instructions for each pair.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MaxAcross(Vector256<float> v)
    {
        var half = Max(v.GetLower(), v.GetUpper());
        half = Max(half, Vector128.Shuffle(half, Vector128.Create(2, 3, 0, 1)));
        return Max(half, Vector128.Shuffle(half, Vector128.Create(1, 0, 3, 2))).ToScalar();
    }

    /// <summary>Lane by lane <paramref name="ifTrue"/> where <paramref name="mask"/> is set and <paramref name="ifFalse"/>
    /// where not, for a mask whose lanes have all bits set or none (a comparison's): one blend instruction, where
    /// <see cref="Vector256.ConditionalSelect{T}"/>, which selects bit by bit, takes three.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Select(Vector256<float> mask, Vector256<float> ifTrue, Vector256<float> ifFalse) =>
        Avx.IsSupported ? Avx.BlendVariable(ifFalse, ifTrue, mask) : Vector256.ConditionalSelect(mask, ifTrue, ifFalse);

    /// <inheritdoc cref="Select(Vector256{float}, Vector256{float}, Vector256{float})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Select(Vector256<float> mask, Vector256<int> ifTrue, Vector256<int> ifFalse) =>
        Select(mask, ifTrue.AsSingle(), ifFalse.AsSingle()).AsInt32();

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
