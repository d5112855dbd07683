using HanLex.Features;
using HanLex.Perceptron;

namespace HanLex.Tagging;

/// <summary>
/// Scratch buffers for one analysis call, grown as needed and reused: analyzers rent one per call, so the hot path
/// allocates only its output.
/// </summary>
public sealed class Workspace
{
    public char[] Chars = new char[256];
    public ulong[] Keys = new ulong[256 * 16];
    public float[] Emissions = new float[256 * 8];
    public int[] Labels = new int[256];
    public ulong[] Allowed = new ulong[256];
    public int[] Forced = new int[256];
    public LexiconMatch[] Lexicon = new LexiconMatch[256];
    public int[] Starts = new int[257];
    public ulong[] Hashes = new ulong[256];
    public int[] Tags = new int[256];
    public int[] EntityLabels = new int[256];
    public long[] Found = new long[256 * 16];
    public char[] Padded = new char[260];
    public int[] Pairs = new int[259];
    public int[] Skips = new int[256];
    public int[] LexiconChars = new int[512];
    public int[] Back = new int[256 * 8];

    /// <summary>Room for <paramref name="count"/> feature keys.</summary>
    public Span<ulong> KeysFor(int count)
    {
        Ensure(ref Keys, count);
        return Keys.AsSpan(0, count);
    }

    /// <summary><paramref name="count"/> emission scores, zeroed.</summary>
    public Span<float> EmissionsFor(int count)
    {
        Ensure(ref Emissions, count);
        var span = Emissions.AsSpan(0, count);
        span.Clear();
        return span;
    }

    /// <summary>
    /// Scores <paramref name="keys"/> (<paramref name="perPosition"/> a position) into <paramref name="emissions"/>
    /// and decodes the best label sequence into <paramref name="output"/>.
    /// </summary>
    public void ScoreAndDecode(LinearModel model, ReadOnlySpan<ulong> keys, int perPosition, Span<float> emissions, Span<int> output,
        ReadOnlySpan<ulong> allowed = default, ReadOnlySpan<int> forced = default)
    {
        Ensure(ref Found, keys.Length);
        model.AddScores(keys, perPosition, emissions, Found);
        ViterbiDecoder.Decode(model, emissions, output.Length, output, allowed, forced);
    }

    public static void Ensure<T>(ref T[] array, int size)
    {
        if (array.Length < size) array = new T[Math.Max(size, array.Length * 2)];
    }
}
