using HanLex.Features;

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

    public static void Ensure<T>(ref T[] array, int size)
    {
        if (array.Length < size) array = new T[Math.Max(size, array.Length * 2)];
    }
}
