using HanLex.Corpus;
using HanLex.Features;
using HanLex.Models;
using HanLex.Perceptron;
using HanLex.Tagging;

namespace HanLex.Training;

/// <summary>
/// Online learning from one annotated sentence: perceptron steps, laid over the frozen weights as an overlay, until
/// each model reproduces the sentence. Returns a new bundle; the old one is untouched, so readers never see a
/// half-updated model.
/// </summary>
public static class OnlineLearner
{
    private const int MaxSteps = 50;

    public static ModelBundle Learn(ModelBundle models, Sentence taught)
    {
        var ws = new Workspace();
        var chars = SentenceEncoding.NormalizedChars(taught.Text);
        var result = models with { Segmenter = TeachSegmenter(models.Segmenter, taught, chars, ws) };
        if (models.Tagger is null) return result;

        var starts = SentenceEncoding.Starts(taught);
        var hashes = SentenceEncoding.Hashes(chars, starts);
        var tagSet = models.Tagger.TagSet;
        // A tag the model has never seen cannot be learned online; the sentence's known tags still are.
        var goldTags = taught.Words.Select(w => tagSet.TryGetId(w.Tag ?? "", out int t) ? t : -1).ToArray();
        var posKeys = new ulong[hashes.Length * WordFeatures.Count];
        WordFeatures.Extract(chars, starts, hashes, posKeys);
        var pos = Teach(models.Tagger.Model, posKeys, WordFeatures.Count, goldTags, m =>
        {
            var y = new int[hashes.Length];
            new PosTagger(m).Tag(chars, starts, hashes, default, y, ws);
            return y;
        });
        result = result with { Tagger = new PosTagger(pos) };
        if (models.Recognizer is null) return result;

        var tags = goldTags.Select(t => t < 0 ? tagSet.Count : t).ToArray();
        var nerKeys = new ulong[hashes.Length * EntityFeatures.Count];
        EntityFeatures.Extract(chars, starts, hashes, tags, nerKeys);
        var goldEntities = EntityRecognizer.GoldLabels(taught, models.Recognizer.Model.Labels);
        var ner = Teach(models.Recognizer.Model, nerKeys, EntityFeatures.Count, goldEntities, m =>
        {
            var y = new int[hashes.Length];
            new EntityRecognizer(m, tagSet.Count).Label(chars, starts, hashes, tags, y, ws);
            return y;
        });
        return result with { Recognizer = new EntityRecognizer(ner, tagSet.Count) };
    }

    /// <summary>A segmenter taught <paramref name="taught"/>; a cascade's screen is taught too, so that it does not hold
    /// the sentence where it was sure once the models are saved and compiled again.</summary>
    private static Segmenter TeachSegmenter(Segmenter segmenter, Sentence taught, char[] chars, Workspace ws)
    {
        var cwsKeys = new ulong[chars.Length * CharFeatures.Count];
        LexiconMatch[] matches = [];
        if (segmenter.Lexicon is not null)
        {
            matches = new LexiconMatch[chars.Length];
            segmenter.Lexicon.Match(chars, matches);
        }
        CharFeatures.Extract(chars, matches, cwsKeys, segmenter.Lexicon?.HasClasses == true);
        int[] Decode(LinearModel m)
        {
            var y = new int[chars.Length];
            (m == segmenter.Model ? segmenter : new Segmenter(m, segmenter.Lexicon)).Decode(chars, default, y, ws);
            return y;
        }
        var gold = segmenter.WordClasses is { } classes ? JointLabels(taught, classes, Decode(segmenter.Model)) : SentenceEncoding.SegmentationLabels(taught);
        var cws = Teach(segmenter.Model, cwsKeys, CharFeatures.Count, gold, Decode);
        var screen = segmenter.Screen is null ? null : TeachSegmenter(segmenter.Screen, taught, chars, ws);
        return new Segmenter(cws, segmenter.Lexicon, screen: screen);
    }

    /// <summary>
    /// A joint model's labels for the taught words: each word's class from its tag; a word without a tag, or with one
    /// outside the model's classes, keeps the class the model now gives its first character.
    /// </summary>
    private static int[] JointLabels(Sentence taught, string[] classes, int[] predicted)
    {
        var labels = new int[taught.Text.Length];
        foreach (var w in taught.Words)
        {
            int c = w.Tag is null ? -1 : Array.IndexOf(classes, WordClasses.Of(w.Tag));
            if (c < 0) c = predicted[w.Offset] / WordLabels.Positions;
            for (int i = 0; i < w.Text.Length; i++) labels[w.Offset + i] = c * WordLabels.Positions + WordLabels.Of(i, w.Text.Length);
        }
        return labels;
    }

    /// <summary>Perceptron steps on one sequence until it decodes to <paramref name="gold"/> (-1 = anything goes).</summary>
    private static LinearModel Teach(LinearModel model, ulong[] keys, int F, int[] gold, Func<LinearModel, int[]> decode)
    {
        int L = model.Labels.Count;
        for (int step = 0; step < MaxSteps; step++)
        {
            var pred = decode(model);
            bool right = true;
            for (int i = 0; i < gold.Length; i++) right &= gold[i] < 0 || gold[i] == pred[i];
            if (right) break;
            var overlay = model.Overlay is null ? new Dictionary<ulong, float[]>() : new Dictionary<ulong, float[]>(model.Overlay);
            var transitions = (float[])model.Transitions.Clone();
            for (int i = 0; i < gold.Length; i++)
            {
                int g = gold[i] < 0 ? pred[i] : gold[i], p = pred[i];
                int gPrev = i == 0 ? L : gold[i - 1] < 0 ? pred[i - 1] : gold[i - 1], pPrev = i == 0 ? L : pred[i - 1];
                if (g != p)
                {
                    foreach (ulong key in keys.AsSpan(i * F, F))
                    {
                        if (key == 0) continue;
                        var delta = overlay.TryGetValue(key, out var d) ? (float[])d.Clone() : new float[L];
                        delta[g] += 1;
                        delta[p] -= 1;
                        overlay[key] = delta;
                    }
                }
                if (g != p || gPrev != pPrev)
                {
                    transitions[gPrev * L + g] += 1;
                    transitions[pPrev * L + p] -= 1;
                }
            }
            model = model.WithOverlay(transitions, overlay);
        }
        return model;
    }
}
