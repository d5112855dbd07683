using CsCheck;
using HanLex.Features;
using HanLex.Tagging;

namespace HanLex.Tests.Analysis;

public class EntityRecognizerTests
{
    [Fact]
    public void Tag_tables_score_as_looking_up_every_key_does()
    {
        var recognizer = TinyModel.Models.Recognizer!;
        int tagCount = TinyModel.Models.Tagger!.TagSet.Count;
        var words = TinyModel.Sentences.SelectMany(s => s.Words).Select(w => w.Text).Distinct().ToArray();
        // Tags in the tables, the id for a tag outside the tag set, and ids beyond the tables (looked up by key).
        var tag = Gen.Frequency((8, Gen.Int[0, tagCount]), (1, Gen.Int[tagCount + 1, tagCount + 40]));
        Gen.Select(Gen.Int[0, words.Length - 1].Array[1, 12], tag.Array[12]).Sample((picked, tagPool) =>
        {
            var text = string.Concat(picked.Select(i => words[i])).ToCharArray();
            var starts = new int[picked.Length + 1];
            for (int k = 0; k < picked.Length; k++) starts[k + 1] = starts[k] + words[picked[k]].Length;
            var hashes = Enumerable.Range(0, picked.Length).Select(k => FeatureKey.OfText(text.AsSpan(starts[k], starts[k + 1] - starts[k]))).ToArray();
            var tags = tagPool[..picked.Length];

            var scores = recognizer.Score(text, starts, hashes, tags, new Workspace()).ToArray();

            var keys = new ulong[picked.Length * EntityFeatures.Count];
            EntityFeatures.Extract(text, starts, hashes, tags, keys);
            var expected = new float[picked.Length * recognizer.Model.Labels.Count];
            recognizer.Model.AddScores(keys, EntityFeatures.Count, expected, new long[keys.Length]);
            // The same weights added in another order: equal up to rounding.
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], scores[i], 1e-4f * (1 + Math.Abs(expected[i])));
        }, iter: 2000);
    }
}
