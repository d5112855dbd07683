using CsCheck;
using HanLex.Features;
using HanLex.Perceptron;
using HanLex.Tagging;

namespace HanLex.Tests.Analysis;

public class PosTaggerTests
{
    [Fact]
    public void Word_blocks_score_as_looking_up_every_key_does()
    {
        var tagger = TinyModel.Models.Tagger!;
        int L = tagger.TagSet.Count;
        // Words the model knows, and a few it does not (their keys are found in no block and no row).
        var words = TinyModel.Sentences.SelectMany(s => s.Words).Select(w => w.Text).Distinct().Concat(["量子", "研", "究院"]).ToArray();
        Gen.Int[0, words.Length - 1].Array[1, 14].Sample(picked =>
        {
            var text = string.Concat(picked.Select(i => words[i])).ToCharArray();
            var starts = new int[picked.Length + 1];
            for (int k = 0; k < picked.Length; k++) starts[k + 1] = starts[k] + words[picked[k]].Length;
            var hashes = Enumerable.Range(0, picked.Length).Select(k => FeatureKey.OfText(text.AsSpan(starts[k], starts[k + 1] - starts[k]))).ToArray();

            var scores = tagger.Score(text, starts, hashes, new Workspace()).ToArray();

            var keys = new ulong[picked.Length * WordFeatures.Count];
            WordFeatures.Extract(text, starts, hashes, keys);
            var expected = new float[picked.Length * L];
            tagger.Model.AddScores(keys, WordFeatures.Count, expected, new long[keys.Length], new int[keys.Length]);
            // The same weights added in another order: equal up to rounding.
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], scores[i], 1e-4f * (1 + Math.Abs(expected[i])));
        }, iter: 2000);
    }

    [Fact]
    public void A_model_with_keys_out_of_order_is_scored_key_by_key_with_the_same_result()
    {
        var sorted = TinyModel.Models.Tagger!;
        var m = sorted.Model;
        // The same rows, last key first: no word blocks can be merged from such keys.
        var order = Enumerable.Range(0, m.Keys.Length).Reverse().ToArray();
        var rowStart = new List<int> { 0 };
        var labels = new List<ushort>();
        var weights = new List<float>();
        foreach (int r in order)
        {
            foreach (var e in m.Entries[m.RowStart[r]..m.RowStart[r + 1]])
            {
                labels.Add((ushort)e.Label);
                weights.Add(e.Weight);
            }
            rowStart.Add(weights.Count);
        }
        var reversed = new PosTagger(new LinearModel(m.Labels, order.Select(r => m.Keys[r]).ToArray(), rowStart.ToArray(),
            labels.ToArray(), weights.ToArray(), m.Transitions));

        var words = new[] { "北京", "大学", "的", "学生", "参观", "了", "博物馆", "。" };
        var text = string.Concat(words).ToCharArray();
        var starts = new int[words.Length + 1];
        for (int k = 0; k < words.Length; k++) starts[k + 1] = starts[k] + words[k].Length;
        var hashes = words.Select(w => FeatureKey.OfText(w)).ToArray();
        var expected = sorted.Score(text, starts, hashes, new Workspace()).ToArray();
        var scores = reversed.Score(text, starts, hashes, new Workspace()).ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], scores[i], 1e-4f * (1 + Math.Abs(expected[i])));
    }
}
