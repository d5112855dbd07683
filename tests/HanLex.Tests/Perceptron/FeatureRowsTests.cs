using HanLex.Perceptron;

namespace HanLex.Tests.Perceptron;

public class FeatureRowsTests
{
    [Fact]
    public void With_a_minimum_count_only_keys_counted_that_often_get_rows()
    {
        var features = new FeatureRows(minCount: 2);
        ulong[] first = [11, 22], second = [11, 33];
        features.Count(first);
        features.Count(second);

        Assert.Equal(-1, features.Rows([22], add: true)[0]);
        var rows = features.Rows([11, 33, 11], add: true);

        Assert.True(rows[0] >= 0);
        Assert.Equal(-1, rows[1]);
        Assert.Equal(rows[0], rows[2]);
        Assert.Equal([11UL], features.Keys);
    }

    [Fact]
    public void Without_a_minimum_count_every_key_gets_a_row_uncounted()
    {
        var features = new FeatureRows();

        var rows = features.Rows([5, 6, 0], add: true);

        Assert.Equal([0, 1, -1], rows);
        Assert.Equal([5UL, 6UL], features.Keys);
    }

    [Fact]
    public void Rows_keep_their_numbers_as_the_table_grows()
    {
        var features = new FeatureRows();
        var keys = Enumerable.Range(1, 200_000).Select(i => (ulong)i * 0x10001).ToArray();

        var first = features.Rows(keys, add: true);
        var again = features.Rows(keys.Reverse().ToArray(), add: false);

        Assert.Equal(Enumerable.Range(0, keys.Length), first);
        Assert.Equal(Enumerable.Range(0, keys.Length).Reverse(), again);
        Assert.Equal(-1, features.Rows([0x7777_0000_0000_0001UL], add: false)[0]);
        Assert.Equal(keys, features.Keys);
    }
}
