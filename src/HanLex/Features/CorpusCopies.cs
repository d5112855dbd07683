namespace HanLex.Features;

/// <summary>
/// Learning segmentation from corpora of several standards at once by feature augmentation (Daumé 2007,
/// "Frustratingly easy domain adaptation"): each feature is seen twice, once shared by all corpora and once as its
/// corpus's own copy. The shared weights learn what the standards agree on, the copies where they part. Scored in the
/// main corpus's standard a feature's two weights always meet, so <see cref="Project"/> sums them into the shared key
/// and drops the other corpora's copies: the trained model has the plain templates, size and speed.
/// </summary>
public static class CorpusCopies
{
    // A copy's corpus sits in the key's top three bits, above the template ids (all below 32).
    private const int Shift = 61;

    /// <summary>The main corpus and at most six others.</summary>
    public const int MaxCorpora = 7;

    /// <summary>Writes each position's keys, then their copies for <paramref name="corpus"/> (0 = main), into <paramref name="expanded"/>.</summary>
    public static void Expand(ReadOnlySpan<ulong> keys, int perPosition, int corpus, Span<ulong> expanded)
    {
        if ((uint)corpus >= MaxCorpora) throw new ArgumentOutOfRangeException(nameof(corpus), $"at most {MaxCorpora} corpora");
        ulong tag = (ulong)(corpus + 1) << Shift;
        for (int p = 0; p < keys.Length / perPosition; p++)
        {
            var source = keys.Slice(p * perPosition, perPosition);
            var target = expanded.Slice(p * 2 * perPosition, 2 * perPosition);
            source.CopyTo(target);
            for (int i = 0; i < perPosition; i++) target[perPosition + i] = source[i] == 0 ? 0 : source[i] | tag;
        }
    }

    /// <summary>The key a trained row is scored under: the main corpus's copies fold into the shared keys, other corpora's copies are dropped (0).</summary>
    public static ulong Project(ulong key) => (key >> Shift) switch
    {
        0 => key,
        1 => key & ~(7UL << Shift),
        _ => 0,
    };
}
