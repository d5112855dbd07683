using System.Numerics;

namespace HanLex.Perceptron;

/// <summary>Vector arithmetic shared by training and decoding.</summary>
internal static class Vectors
{
    /// <summary><paramref name="target"/> += <paramref name="source"/>, a SIMD register at a time.</summary>
    public static void AddInto(Span<float> target, ReadOnlySpan<float> source)
    {
        int j = 0;
        if (Vector.IsHardwareAccelerated && target.Length >= Vector<float>.Count)
        {
            for (; j <= target.Length - Vector<float>.Count; j += Vector<float>.Count)
                (new Vector<float>(target[j..]) + new Vector<float>(source[j..])).CopyTo(target[j..]);
        }
        for (; j < target.Length; j++) target[j] += source[j];
    }
}
