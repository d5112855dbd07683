using HanLex.Corpus;
using HanLex.Features;
using HanLex.Models;
using HanLex.Perceptron;
using HanLex.Tagging;

namespace HanLex.Training;

/// <summary>
/// Online learning from one annotated sentence: perceptron steps, laid over the frozen weights as an overlay, until
/// each model reproduces the sentence; the overlay is then folded into the weights, so that the new models compile and
/// decode as fast as loaded ones. Returns a new bundle; the old one is untouched, so readers never see a half-updated
/// model.
/// </summary>
public static class OnlineLearner
{
    private const int MaxSteps = 50;

    public static ModelBundle Learn(ModelBundle models, Sentence taught) => Learn(models, taught, fold: true);

    /// <summary>
    /// Learns the sentences in turn, as <see cref="Learn(ModelBundle, Sentence)"/> on each, but folds and compiles the
    /// models once, at the end: a sentence the folding undid is then taught again.
    /// </summary>
    public static ModelBundle Learn(ModelBundle models, IReadOnlyList<Sentence> taught)
    {
        foreach (var s in taught) models = Learn(models, s, fold: false);
        models = Folded(models);
        foreach (var s in taught) models = Learn(models, s, fold: true);
        return models;
    }

    /// <summary>The bundle with every overlay folded into its model's weights, compiled.</summary>
    private static ModelBundle Folded(ModelBundle models)
    {
        var segmenter = models.Segmenter;
        var screen = segmenter.Screen is { Model.Overlay: not null } s ? new Segmenter(s.Model.Merged(), s.Lexicon) : segmenter.Screen;
        if (segmenter.Model.Overlay is not null || screen != segmenter.Screen)
            segmenter = new Segmenter(segmenter.Model.Merged(), segmenter.Lexicon, screen: screen);
        var tagger = models.Tagger is { Model.Overlay: not null } t ? new PosTagger(t.Model.Merged(), t.Settled) : models.Tagger;
        var recognizer = models.Recognizer is { Model.Overlay: not null } r ? new EntityRecognizer(r.Model.Merged(), tagger!.TagSet.Count, r.Settled) : models.Recognizer;
        return models with { Segmenter = segmenter, Tagger = tagger, Recognizer = recognizer };
    }

    /// <param name="fold">Whether to fold what is learned into the weights (see <see cref="Teach"/>); without, the models
    /// keep overlays and decode uncompiled until <see cref="Folded"/>.</param>
    private static ModelBundle Learn(ModelBundle models, Sentence taught, bool fold)
    {
        var ws = new Workspace();
        var chars = SentenceEncoding.NormalizedChars(taught.Text);
        var result = models with { Segmenter = TeachSegmenter(models.Segmenter, taught, chars, ws, fold) };
        if (models.Tagger is null) return result;

        var starts = SentenceEncoding.Starts(taught);
        var hashes = SentenceEncoding.Hashes(chars, starts);
        var tagSet = models.Tagger.TagSet;
        // A tag the model has never seen cannot be learned online; the sentence's known tags still are.
        var goldTags = taught.Words.Select(w => tagSet.TryGetId(w.Tag ?? "", out int t) ? t : -1).ToArray();
        // A word taught another tag than its dictionary one is no longer settled, nor is one of an unknown tag.
        var posSettled = models.Tagger.Settled.Without(hashes.Where((h, i) =>
            models.Tagger.Settled.LabelOf(h) is >= 0 and var settled && settled != goldTags[i]));
        var posKeys = new ulong[hashes.Length * WordFeatures.Count];
        WordFeatures.Extract(chars, starts, hashes, posKeys);
        var pos = Teach(models.Tagger.Model, posKeys, WordFeatures.Count, goldTags, fold, m =>
        {
            var y = new int[hashes.Length];
            new PosTagger(m, posSettled).Tag(chars, starts, hashes, default, y, ws);
            return y;
        });
        if (pos != models.Tagger.Model || posSettled != models.Tagger.Settled) result = result with { Tagger = new PosTagger(pos, posSettled) };
        if (models.Recognizer is null) return result;

        var tags = goldTags.Select(t => t < 0 ? tagSet.Count : t).ToArray();
        var nerKeys = new ulong[hashes.Length * EntityFeatures.Count];
        EntityFeatures.Extract(chars, starts, hashes, tags, nerKeys);
        var goldEntities = EntityRecognizer.GoldLabels(taught, models.Recognizer.Model.Labels);
        // A word taught inside an entity is no longer settled outside one.
        var nerSettled = models.Recognizer.Settled.Without(hashes.Where((_, i) => goldEntities[i] != 0));
        var ner = Teach(models.Recognizer.Model, nerKeys, EntityFeatures.Count, goldEntities, fold, m =>
        {
            var y = new int[hashes.Length];
            new EntityRecognizer(m, tagSet.Count, nerSettled).Label(chars, starts, hashes, tags, y, ws);
            return y;
        });
        return ner == models.Recognizer.Model && nerSettled == models.Recognizer.Settled
            ? result
            : result with { Recognizer = new EntityRecognizer(ner, tagSet.Count, nerSettled) };
    }

    /// <summary>A segmenter taught <paramref name="taught"/>; a cascade's screen is taught too, so that it does not hold
    /// the sentence where it was sure once the models are saved and compiled again.</summary>
    private static Segmenter TeachSegmenter(Segmenter segmenter, Sentence taught, char[] chars, Workspace ws, bool fold)
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
            // Uncompiled: the labels are the same, and most models decoded here are not kept.
            (m == segmenter.Model ? segmenter : new Segmenter(m, segmenter.Lexicon, compile: false)).Decode(chars, default, y, ws);
            return y;
        }
        var gold = segmenter.WordClasses is { } classes ? JointLabels(taught, classes, Decode(segmenter.Model)) : SentenceEncoding.SegmentationLabels(taught);
        var cws = Teach(segmenter.Model, cwsKeys, CharFeatures.Count, gold, fold, Decode);
        var screen = segmenter.Screen is null ? null : TeachSegmenter(segmenter.Screen, taught, chars, ws, fold);
        return cws == segmenter.Model && screen == segmenter.Screen ? segmenter : new Segmenter(cws, segmenter.Lexicon, screen: screen);
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

    /// <summary>
    /// Perceptron steps on one sequence until it decodes to <paramref name="gold"/> (-1 = anything goes), folded into
    /// the weights (<see cref="LinearModel.Merged"/>): a model with an overlay decodes uncompiled, 4 to 12 times slower.
    /// Folding rounds the weights to half precision, which can undo a narrow win; then the merged model is taught
    /// again, and after a few rounds the overlay is kept (exact, slower). The model itself when it decodes right already;
    /// with an overlay, unfolded, when <paramref name="fold"/> is false.
    /// </summary>
    private static LinearModel Teach(LinearModel model, ulong[] keys, int F, int[] gold, bool fold, Func<LinearModel, int[]> decode)
    {
        const int Rounds = 3;
        for (int round = 0; ; round++)
        {
            var taught = Steps(model, keys, F, gold, decode);
            if (!fold || taught == model || taught.Overlay is null) return taught;
            var merged = taught.Merged();
            if (Decodes(decode(merged), gold)) return merged;
            if (round == Rounds - 1) return taught;
            model = merged;
        }
    }

    private static bool Decodes(int[] predicted, int[] gold)
    {
        for (int i = 0; i < gold.Length; i++) if (gold[i] >= 0 && gold[i] != predicted[i]) return false;
        return true;
    }

    /// <summary>Perceptron steps laid over <paramref name="model"/> as an overlay, until it decodes to <paramref name="gold"/>.</summary>
    private static LinearModel Steps(LinearModel model, ulong[] keys, int F, int[] gold, Func<LinearModel, int[]> decode)
    {
        int L = model.Labels.Count;
        for (int step = 0; step < MaxSteps; step++)
        {
            var pred = decode(model);
            if (Decodes(pred, gold)) break;
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
