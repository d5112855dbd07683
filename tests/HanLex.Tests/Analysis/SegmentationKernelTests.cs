using CsCheck;
using HanLex.Models;
using HanLex.Tagging;
using HanLex.Tests.Properties;
using HanLex.Text;

namespace HanLex.Tests.Analysis;

/// <summary>
/// The compiled segmenter must find the best labels of the model scored template by template (the way training scores
/// it), with and without boundary constraints, on the shipped model and on one without a lexicon. It sums the same
/// weights in another order, so when two labelings tie to the last bit, rounding may pick the other: labels must be
/// equal, or score the same.
/// </summary>
public sealed class SegmentationKernelTests
{
    private static readonly Lazy<Segmenter> Shipped = new(() => DefaultModel.Load().Segmenter);

    private static void AssertSameLabels(Segmenter compiled, string text, ulong[] allowed)
    {
        var generic = new Segmenter(compiled.Model, compiled.Lexicon, compile: false);
        var chars = text.Select(CharClassifier.Normalize).ToArray();
        var expected = new int[chars.Length];
        var actual = new int[chars.Length];
        // The model's own labels: a joint model's carry the word class, which must agree too.
        generic.Decode(chars, allowed, expected, new Workspace());
        compiled.Decode(chars, allowed, actual, new Workspace());
        if (expected.SequenceEqual(actual)) return;
        float best = Score(generic, chars, allowed, expected), found = Score(generic, chars, allowed, actual);
        Assert.True(MathF.Abs(best - found) <= 1e-4f * (1 + MathF.Abs(best)) || best == found,
            $"labels {string.Join(",", actual)} score {found}, best {string.Join(",", expected)} score {best}");
    }

    /// <summary>The model's score of one labeling, with −∞ where the grammar or the constraints forbid it.</summary>
    private static float Score(Segmenter segmenter, char[] chars, ulong[] allowed, int[] labels)
    {
        var model = segmenter.Model;
        int n = chars.Length, L = model.Labels.Count;
        var matches = new HanLex.Features.LexiconMatch[n];
        segmenter.Lexicon?.Match(chars, matches);
        var keys = new ulong[n * HanLex.Features.CharFeatures.Count];
        HanLex.Features.CharFeatures.Extract(chars, segmenter.Lexicon is null ? default : matches, keys, segmenter.Lexicon?.HasClasses == true);
        var emissions = new float[n * L];
        model.AddScores(keys, HanLex.Features.CharFeatures.Count, emissions, new long[keys.Length], new int[keys.Length]);
        return PathScore(segmenter, emissions, allowed, labels);
    }

    /// <summary>A labeling's score under given emissions, with −∞ where the grammar or the constraints forbid it.</summary>
    private static float PathScore(Segmenter segmenter, float[] emissions, ulong[] allowed, int[] labels)
    {
        var model = segmenter.Model;
        int L = model.Labels.Count;
        var trans = model.EffectiveTransitions;
        float score = trans[L * L + labels[0]];
        for (int i = 0; i < labels.Length; i++)
        {
            if (i > 0) score += trans[labels[i - 1] * L + labels[i]];
            if (allowed.Length > 0 && allowed[i] != 0 && (allowed[i] & 1UL << (labels[i] % WordLabels.Positions)) == 0) return float.NegativeInfinity;
            score += emissions[i * L + labels[i]];
        }
        return model.Labels.AllowedLast[labels[^1]] ? score : float.NegativeInfinity;
    }

    private static Gen<string> TextWithWords(Segmenter segmenter)
    {
        var words = segmenter.Lexicon?.Words.Take(5000).ToArray() ?? ["北京"];
        return Gen.Frequency((3, Gen.OneOf(words)), (2, Gens.Piece)).Array[1, 80].Select(string.Concat);
    }

    [Fact]
    public void Compiled_labels_equal_template_by_template_labels()
    {
        var segmenter = Shipped.Value;
        TextWithWords(segmenter).Sample(text => AssertSameLabels(segmenter, text, []), iter: 1000);
    }

    [Fact]
    public void Compiled_labels_equal_template_by_template_labels_under_constraints()
    {
        var segmenter = Shipped.Value;
        // Random label masks per position, sometimes none: what dictionary words and surrogate pairs impose.
        Gen.Select(TextWithWords(segmenter), Gen.ULong[0, 63].Array[640]).Sample((text, masks) =>
            AssertSameLabels(segmenter, text, masks[..text.Length]), iter: 1000);
    }

    [Fact]
    public void Compiled_labels_equal_template_by_template_labels_without_a_lexicon()
    {
        var shipped = Shipped.Value;
        var segmenter = new Segmenter(shipped.Model, lexicon: null);
        TextWithWords(shipped).Sample(text => AssertSameLabels(segmenter, text, []), iter: 300);
    }

    [Fact]
    public void Margins_are_the_gap_between_the_best_labelings_ending_a_word_and_not()
    {
        var shipped = Shipped.Value;
        var six = shipped.Screen ?? shipped;
        var kernel = new SegmentationKernel(six.Model, six.Lexicon);
        var generic = new Segmenter(six.Model, six.Lexicon, compile: false);
        const ulong ends = 1UL << WordLabels.E | 1UL << WordLabels.S, inside = (1UL << WordLabels.Positions) - 1 & ~ends;
        TextWithWords(six).Sample(text =>
        {
            var ws = new Workspace(); // samples run in parallel
            var chars = text.Select(CharClassifier.Normalize).ToArray();
            int n = chars.Length;
            var margins = new float[n];
            kernel.Label(chars, default, new int[n], ws, margins);
            for (int i = 0; i < n; i++)
            {
                // The best labeling with position i held on one side of the word boundary, found by the generic decoder.
                float Best(ulong mask)
                {
                    var allowed = new ulong[n];
                    allowed[i] = mask;
                    var labels = new int[n];
                    generic.Decode(chars, allowed, labels, ws);
                    return Score(generic, chars, allowed, labels);
                }
                float a = Best(ends), b = Best(inside);
                if (float.IsInfinity(a) || float.IsInfinity(b)) Assert.True(float.IsPositiveInfinity(margins[i]), $"position {i} of {n}: {margins[i]}");
                else Assert.True(MathF.Abs(MathF.Abs(a - b) - margins[i]) <= 1e-3f * (1 + MathF.Abs(a)), $"position {i} of {n}: {margins[i]}, expected |{a} − {b}|");
            }
        }, iter: 100);
    }

    [Fact]
    public void Compiled_labels_equal_on_the_tiny_model()
    {
        var segmenter = TinyModel.Models.Segmenter;
        foreach (var line in TinyModel.Sentences.Select(s => s.Text))
            AssertSameLabels(segmenter, line, []);
        Gens.Text.Where(t => t.Length > 0).Sample(text => AssertSameLabels(segmenter, text, []), iter: 300);
    }

    /// <summary>A joint model (word position × tag class) of the tiny corpus, kept whole (no pruning) so that it has weights in every table.</summary>
    private static readonly Lazy<Segmenter> Joint = new(() =>
        new HanLex.Training.Trainer(new HanLex.Training.TrainingOptions { Epochs = 8, LexiconFolds = 2, PruneThreshold = 0, WordClasses = true })
            .TrainSegmenter(TinyModel.Sentences));

    private static readonly Gen<string> TinyText =
        Gen.Frequency((4, Gen.OneOf(TinyModel.Sentences.SelectMany(s => s.Words).Select(w => w.Text).ToArray())), (1, Gens.Piece))
            .Array[1, 40].Select(string.Concat);

    [Fact]
    public void Compiled_joint_labels_equal_template_by_template_labels()
    {
        var segmenter = Joint.Value;
        Assert.NotNull(segmenter.WordClasses);
        foreach (var line in TinyModel.Sentences.Select(s => s.Text))
            AssertSameLabels(segmenter, line, []);
        TinyText.Sample(text => AssertSameLabels(segmenter, text, []), iter: 500);
        Gen.Select(TinyText, Gen.ULong[0, 63].Array[640]).Sample((text, masks) => AssertSameLabels(segmenter, text, masks[..text.Length]), iter: 500);
        var withoutLexicon = new Segmenter(segmenter.Model, lexicon: null);
        TinyText.Sample(text => AssertSameLabels(withoutLexicon, text, []), iter: 200);
    }

    [Fact]
    public void Compiled_joint_labels_of_a_span_read_the_sentence_around_it()
    {
        var segmenter = Joint.Value;
        var kernel = new JointKernel(segmenter.Model, segmenter.Lexicon, segmenter.WordClasses!);
        Gen.Select(TinyText, Gen.Int[0, 1000], Gen.Int[0, 1000], Gen.ULong[0, 63].Array[640]).Sample((text, x, y, masks) =>
        {
            var chars = text.Select(CharClassifier.Normalize).ToArray();
            int from = x % chars.Length, to = from + 1 + y % (chars.Length - from);
            var allowed = masks[..(to - from)];
            var (expected, emissions) = SpanByTemplates(segmenter, chars, from, to, allowed);
            var actual = new int[to - from];
            kernel.Label(chars, from, to, allowed, actual, new Workspace());
            if (expected.SequenceEqual(actual)) return;
            float best = PathScore(segmenter, emissions, allowed, expected), found = PathScore(segmenter, emissions, allowed, actual);
            Assert.True(MathF.Abs(best - found) <= 1e-4f * (1 + MathF.Abs(best)) || best == found,
                $"span {from}..{to} of {text}: labels {string.Join(",", actual)} score {found}, best {string.Join(",", expected)} score {best}");
        }, iter: 500);
    }

    /// <summary>The best joint labels of characters from..to scored template by template: the character templates over
    /// the whole sentence, the lexicon's over the words inside the span; and the span's emissions.</summary>
    private static (int[] Labels, float[] Emissions) SpanByTemplates(Segmenter segmenter, char[] chars, int from, int to, ulong[] allowed)
    {
        var model = segmenter.Model;
        int n = chars.Length, m = to - from, L = model.Labels.Count, count = HanLex.Features.CharFeatures.Count;
        var matches = new HanLex.Features.LexiconMatch[n];
        segmenter.Lexicon?.Match(chars.AsSpan(from, m), matches.AsSpan(from, m));
        var keys = new ulong[n * count];
        HanLex.Features.CharFeatures.Extract(chars, segmenter.Lexicon is null ? default : matches, keys, segmenter.Lexicon?.HasClasses == true);
        var emissions = new float[m * L];
        model.AddScores(keys.AsSpan(from * count, m * count), count, emissions, new long[m * count], new int[m * count]);
        var labels = new int[m];
        new JointDecoder(segmenter.WordClasses!.Length, model.EffectiveTransitions)
            .Decode(model.EffectiveTransitions, emissions.ToArray(), m, labels, allowed);
        return (labels, emissions);
    }

    [Fact]
    public void A_cascade_at_margin_zero_is_its_screen_and_at_infinity_its_joint_model()
    {
        var cascade = Joint.Value;
        var screen = cascade.Screen!;
        var joint = new Segmenter(cascade.Model, cascade.Lexicon);
        TinyText.Sample(text =>
        {
            var ws = new Workspace(); // samples run on several threads
            var chars = text.Select(CharClassifier.Normalize).ToArray();
            int[] Labels(Segmenter s) { var l = new int[chars.Length]; s.Label(chars, default, l, ws); return l; }
            var labels = new int[chars.Length];
            foreach (int window in new[] { 0, 1, 3 })
            {
                Assert.Equal(0, new Segmenter(cascade, 0, window).LabelCounting(chars, labels, ws));
                Assert.Equal(Labels(screen), labels);
            }
            // The last character always ends a word, so its margin is infinite: a window of one or more takes it in.
            foreach (int window in new[] { 1, 3 })
            {
                int decided = new Segmenter(cascade, float.PositiveInfinity, window).LabelCounting(chars, labels, ws);
                Assert.Equal(chars.Length > 1 ? chars.Length : 0, decided);
                Assert.Equal(Labels(joint), labels);
            }
            Assert.InRange(new Segmenter(cascade, Segmenter.ScreenMargin, Segmenter.ScreenWindow).LabelCounting(chars, labels, ws), 0, chars.Length);
            Assert.Equal(Labels(cascade), labels);
        }, iter: 200);
    }

    [Fact]
    public void A_cascade_labels_whole_words_and_keeps_every_constraint()
    {
        var segmenter = Joint.Value;
        Assert.NotNull(segmenter.Screen);
        var labels = WordLabels.Labels;
        Gen.Select(TinyText, Gen.ULong[0, 63].Array[640]).Sample((text, masks) =>
        {
            var chars = text.Select(CharClassifier.Normalize).ToArray();
            // Constraints as the analyzer makes them: whole dictionary words, so some labelling satisfies them all.
            var allowed = new ulong[chars.Length];
            for (int i = 0; i + 1 < chars.Length; i += 5)
                if ((masks[i] & 1) != 0) { allowed[i] = 1UL << WordLabels.B; allowed[i + 1] = 1UL << WordLabels.E; }
            var output = new int[chars.Length];
            segmenter.Label(chars, allowed, output, new Workspace());
            Assert.True(labels.AllowedFirst[output[0]] && labels.AllowedLast[output[^1]], string.Join(",", output));
            for (int i = 1; i < output.Length; i++) Assert.True(labels.Allowed[output[i - 1], output[i]], string.Join(",", output));
            for (int i = 0; i < output.Length; i++) Assert.True(allowed[i] == 0 || (allowed[i] & 1UL << output[i]) != 0, $"position {i}: {output[i]}");
        }, iter: 500);
    }
}
