using CsCheck;
using HanLex.Tagging;

namespace HanLex.Tests.Analysis;

/// <summary>
/// The kernels' pair table keeps every key it was given, whatever the order, and finds nothing else: checked against a
/// dictionary, with keys drawn from a few values of the high bits, so that many share a bucket and full buckets hand
/// keys on to the next (a path text seldom takes).
/// </summary>
public sealed class PairMapTests
{
    private static readonly Gen<uint> CrowdedKey = Gen.Select(Gen.UInt[0, 3], Gen.UInt[0, 40], (high, low) => high << 30 | low);

    [Fact]
    public void Finds_what_it_was_given_and_nothing_else()
    {
        Gen.Select(CrowdedKey.Array[0, 300], Gen.Int[1, int.MaxValue].Array[300]).Sample((keys, values) =>
        {
            var map = new PairMap(16);
            var expected = new Dictionary<uint, int>();
            for (int i = 0; i < keys.Length; i++)
            {
                Assert.Equal(expected.TryGetValue(keys[i], out int had) ? had : values[i], map.GetOrAdd(keys[i], values[i]));
                expected.TryAdd(keys[i], values[i]);
            }
            Assert.Equal(expected.Count, map.Count);
            foreach (var compacted in new[] { map, map.Compacted() })
                for (uint high = 0; high < 4; high++)
                    for (uint low = 0; low <= 41; low++)
                    {
                        uint key = high << 30 | low;
                        Assert.Equal(expected.TryGetValue(key, out int v) ? v : 0, compacted.Find(key));
                    }
        });
    }

    [Fact]
    public void Or_adds_bits_to_a_key_and_adds_an_absent_one()
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
}
