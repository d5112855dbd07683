using CsCheck;
using HanLex.Tagging;

namespace HanLex.Tests.Analysis;

/// <summary>
/// The kernels' hash tables keep every key they were given, whatever the order, and find nothing else: checked against
/// a dictionary, with keys chosen to share a bucket under the tables' hash, so that full buckets hand keys on to the
/// next (a path text seldom takes; each test fails when a lookup does not move on).
/// </summary>
public sealed class KernelMapsTests
{
    private const ulong Multiplier = HanLex.Perceptron.CacheLineBuckets<ulong>.Multiplier;

    /// <summary>The first 41 pairs whose hash has its top 16 bits 0: one bucket in any table of up to 65,536.</summary>
    private static readonly uint[] SharingPairs = Enumerable.Range(1, int.MaxValue).Select(k => (uint)k)
        .Where(k => (k * Multiplier) >> 48 == 0).Take(41).ToArray();

    [Fact]
    public void A_pair_map_finds_what_it_was_given_and_nothing_else()
    {
        Gen.Select(Gen.Int[0, 39].Array[0, 300], Gen.Int[1, int.MaxValue].Array[300]).Sample((picks, values) =>
        {
            var map = new PairMap(16);
            var expected = new Dictionary<uint, int>();
            for (int i = 0; i < picks.Length; i++)
            {
                uint key = SharingPairs[picks[i]];
                Assert.Equal(expected.TryGetValue(key, out int had) ? had : values[i], map.GetOrAdd(key, values[i]));
                expected.TryAdd(key, values[i]);
            }
            Assert.Equal(expected.Count, map.Count);
            foreach (var compacted in new[] { map, map.Compacted() })
                foreach (uint key in SharingPairs) // the last one never given
                    Assert.Equal(expected.TryGetValue(key, out int v) ? v : 0, compacted.Find(key));
        });
    }

    [Fact]
    public void A_pair_map_ors_bits_into_a_key_and_adds_an_absent_one()
    {
        var map = new PairMap(16);
        map.Or(0, 1); // key 0 is a key like any other: an empty slot is told by its value
        map.Or(7, 2);
        map.Or(7, 4);
        Assert.Equal(1, map.Find(0));
        Assert.Equal(6, map.Find(7));
        Assert.Equal(0, map.Find(8));
        Assert.Equal(2, map.Count);
    }

    /// <summary>Keys whose hash puts them all in the first bucket, however large the table: the multiplicative hash
    /// maps j × 2^8 × G⁻¹ (G the odd multiplier) to j × 2^8, whose high bits are 0.</summary>
    private static ulong SharingBucket(ulong j)
    {
        ulong inverse = Multiplier; // Newton's iteration: each step doubles the correct low bits
        for (int i = 0; i < 6; i++) inverse *= 2 - Multiplier * inverse;
        return j * (inverse << 8);
    }

    [Fact]
    public void A_key_map_finds_the_flags_given_to_each_hash_and_nothing_else()
    {
        Gen.Select(Gen.ULong[1, 40].Array[0, 300], Gen.Int[1, 255].Array[300]).Sample((js, bits) =>
        {
            var map = new KeyMap(16);
            var expected = new Dictionary<ulong, int>();
            for (int i = 0; i < js.Length; i++)
            {
                ulong key = SharingBucket(js[i]);
                map.Or(key | (ulong)i % 256, bits[i]); // a key's own low eight bits are not part of it
                expected[key] = (expected.TryGetValue(key, out int had) ? had : 0) | bits[i];
            }
            foreach (var compacted in new[] { map, map.Compacted() })
                for (ulong j = 1; j <= 41; j++)
                    Assert.Equal(expected.TryGetValue(SharingBucket(j), out int v) ? v : 0, compacted.Find(SharingBucket(j) | 0x5A));
        });
    }
}
