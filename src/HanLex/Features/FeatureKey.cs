using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.IO.Hashing;

namespace HanLex.Features;

/// <summary>
/// Packs a feature template id and its values into one 64-bit key: the template in the top byte, then up to three
/// UTF-16 characters (exact, no collisions) or a 56-bit hash of a word. No strings are built.
/// </summary>
public static class FeatureKey
{
    private const ulong Low56 = (1UL << 56) - 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Chars(int template, char a, char b = '\0', char c = '\0') =>
        ((ulong)template << 56) | ((ulong)a << 32) | ((ulong)b << 16) | c;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Hash(int template, ulong hash) => ((ulong)template << 56) | (hash & Low56) | 1UL << 55;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Value(int template, ulong value) => ((ulong)template << 56) | (value & Low56);

    /// <summary>A 64-bit hash of a (normalized) word.</summary>
    public static ulong OfText(ReadOnlySpan<char> text) => XxHash3.HashToUInt64(MemoryMarshal.AsBytes(text));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong Combine(ulong a, ulong b) => (a ^ (b + 0x9E3779B97F4A7C15UL + (a << 6) + (a >> 2))) * 0xBF58476D1CE4E5B9UL;
}
