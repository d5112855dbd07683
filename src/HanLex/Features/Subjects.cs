using System.Runtime.CompilerServices;

namespace HanLex.Features;

/// <summary>
/// What the keys of several templates are about, such as one word: a key is its template in the top byte over its
/// subject, so the rows of one subject under several templates can be found together (<see cref="Tagging.KeyBlocks"/>).
/// </summary>
public static class Subjects
{
    /// <summary>The word hashes standing before the first word and after the last.</summary>
    public const ulong Bos = 0x1234_5678_9ABC_DEF1, Eos = 0x0FED_CBA9_8765_4321;

    public static ulong Word(ulong hash) => FeatureKey.Hash(0, hash);

    public static ulong Key(int template, ulong subject) => (ulong)template << 56 | subject;

    public static ulong Of(ulong key) => key & ((1UL << 56) - 1);

    /// <summary>The words of a sentence with <paramref name="around"/> edge markers each side: anchors −around .. n − 1 + around.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot: no slow first tiers (docs/performance.md)
    public static void Words(ReadOnlySpan<ulong> hashes, int around, Span<ulong> subjects)
    {
        int n = hashes.Length;
        for (int j = -around; j < n + around; j++) subjects[j + around] = Word(j < 0 ? Bos : j >= n ? Eos : hashes[j]);
    }
}
