using CsCheck;
using HanLex.Perceptron;

namespace HanLex.Tests.Perceptron;

/// <summary>
/// The feature map finds every key's row and nothing else: checked against a dictionary, with keys drawn so that many
/// share a bucket and full buckets hand keys on to the next (a path text seldom takes).
/// </summary>
public sealed class FeatureMapTests
{
    // Keys differing in their top bits only: 64-bit multiplicative hashing scatters them, and a small table crowds them.
    private static readonly Gen<ulong> CrowdedKey = Gen.Select(Gen.ULong[1, 50], Gen.ULong[0, 3], (low, high) => high << 62 | low);

    [Fact]
    public void Finds_every_row_and_nothing_else()
    {
        CrowdedKey.Array[0, 200].Select(k => k.Distinct().ToArray()).Sample(keys =>
        {
            // Row i has i + 1 entries; the rows of even keys are dense, at 100 × i.
            var rowStart = Enumerable.Range(0, keys.Length + 1).Select(i => i * (i + 1) / 2).ToArray();
            var denseStart = keys.Select((k, i) => k % 2 == 0 ? 100 * i : -1).ToArray();
            var map = new FeatureMap(keys, rowStart, denseStart, new float[1]);
            for (int i = 0; i < keys.Length; i++)
            {
                Assert.True(map.TryFind(keys[i], out int start, out int count));
                Assert.Equal(keys[i] % 2 == 0 ? (100 * i, FeatureMap.Dense) : (rowStart[i], i + 1), (start, count));
            }
            var present = keys.ToHashSet();
            for (ulong high = 0; high < 4; high++)
                for (ulong low = 1; low <= 51; low++)
                    if (!present.Contains(high << 62 | low)) Assert.False(map.TryFind(high << 62 | low, out _, out _));
        });
    }

    [Fact]
    public void Rejects_key_0_and_duplicates()
    {
        Assert.Throws<ArgumentException>(() => new FeatureMap([5UL, 0UL], [0, 1, 2]));
        Assert.Throws<ArgumentException>(() => new FeatureMap([5UL, 9UL, 5UL], [0, 1, 2, 3]));
    }
}
