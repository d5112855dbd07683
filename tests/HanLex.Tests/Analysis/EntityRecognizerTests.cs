using CsCheck;
using HanLex.Features;
using HanLex.Perceptron;
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
            recognizer.Model.AddScores(keys, EntityFeatures.Count, expected, new long[keys.Length], new int[keys.Length]);
            // The same weights added in another order: equal up to rounding.
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], scores[i], 1e-4f * (1 + Math.Abs(expected[i])));
        }, iter: 2000);
    }

    [Fact]
    public void Words_left_alone_between_settled_ones_are_not_scored_and_keep_the_labels_of_the_full_search()
    {
        // The corpus's words with their tags, some settled on O by a dictionary: sentences of them, labelled as the
        // recognizer does, and by scoring every unsettled word and decoding with the dictionary's words forced.
        var model = TinyModel.Models.Recognizer!.Model;
        int tagCount = TinyModel.Models.Tagger!.TagSet.Count;
        var tagged = TinyModel.Sentences.SelectMany(s => s.Words).DistinctBy(w => w.Text)
            .Select(w => (w.Text, Tag: TinyModel.Models.Tagger.TagSet.TryGetId(w.Tag!, out int id) ? id : tagCount)).ToArray();
        Gen.Select(Gen.Int[0, tagged.Length - 1].Array[1, 10], Gen.Bool.Array[tagged.Length]).Sample((picked, settles) =>
        {
            var dictionary = TagDictionary.Of(tagged.Where((_, k) => settles[k]).Select(w => (FeatureKey.OfText(w.Text), 0)).DistinctBy(e => e.Item1));
            var recognizer = new EntityRecognizer(model, tagCount, dictionary);
            var words = picked.Select(k => tagged[k]).ToArray();
            var text = string.Concat(words.Select(w => w.Text)).ToCharArray();
            var starts = new int[words.Length + 1];
            for (int k = 0; k < words.Length; k++) starts[k + 1] = starts[k] + words[k].Text.Length;
            var hashes = words.Select(w => FeatureKey.OfText(w.Text)).ToArray();
            var tags = words.Select(w => w.Tag).ToArray();

            var labels = new int[words.Length];
            recognizer.Label(text, starts, hashes, tags, labels, new Workspace());

            var forced = hashes.Select(h => dictionary.LabelOf(h)).ToArray();
            var expected = new int[words.Length];
            var scores = recognizer.Score(text, starts, hashes, tags, new Workspace(), forced).ToArray();
            ViterbiDecoder.Decode(model, scores, words.Length, expected, forced: forced);
            Assert.Equal(expected, labels);
        }, iter: 3000);
    }
}
