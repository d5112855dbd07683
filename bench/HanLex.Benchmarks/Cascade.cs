using System.Diagnostics;
using HanLex.Corpus;
using HanLex.Evaluation;
using HanLex.Features;
using HanLex.Lexicon;
using HanLex.Models;
using HanLex.Tagging;
using HanLex.Text;

namespace HanLex.Benchmarks;

/// <summary>
/// What a cascade of a six-label and a joint segmentation model would score, measured offline: the six-label model's
/// max-marginals give, at each character, how far its best path is from the best one that decides the word boundary
/// there the other way; characters within a window of one whose margin is under a threshold go to the joint model,
/// which decodes the sentence with the six-label labels fixed everywhere else. Prints F1, OOV recall and the share of
/// characters the joint model decides, per threshold; and the F1 when the joint model scores only the characters it
/// decides (the fixed ones weigh 0 for every class), which is what a cascade that saves the joint model's work would
/// do. Then the cascade as the product runs it, timed (<see cref="Timed"/>).
/// </summary>
public static class Cascade
{
    public static int Run(string sixDir, string jointDir, string trainPath, string testPath)
    {
        var six = Load(sixDir);
        var joint = Load(jointDir);
        var train = CorpusReader.ReadAll(File.ReadAllText(trainPath)).Where(s => !s.IsEmpty);
        var vocabulary = train.SelectMany(s => s.Words).Select(w => w.Text).ToHashSet(StringComparer.Ordinal);
        var test = CorpusReader.ReadAll(File.ReadAllText(testPath)).Where(s => !s.IsEmpty).ToList();
        var ws = new Workspace();
        var sentences = test.Select(s =>
        {
            var chars = s.Text.Select(CharClassifier.Normalize).ToArray();
            var labels = new int[chars.Length];
            six.Label(chars, default, labels, ws);
            return (Gold: s, Chars: chars, Six: labels, Margins: Margins(six, chars));
        }).ToList();
        long total = sentences.Sum(s => (long)s.Chars.Length);
        Console.WriteLine($"{Path.GetFileName(Path.TrimEndingDirectorySeparator(sixDir))} + {Path.GetFileName(Path.TrimEndingDirectorySeparator(jointDir))} on {test.Count:N0} sentences");
        foreach (int window in new[] { 0, 3 })
            foreach (float threshold in new[] { 0f, 10f, 20f, 30f, 40f, 60f, float.PositiveInfinity })
            {
                var scorer = new SegmentationScorer(vocabulary);
                var windowsOnly = new SegmentationScorer(vocabulary);
                long decided = 0;
                foreach (var (gold, chars, sixLabels, margins) in sentences)
                {
                    int n = chars.Length;
                    var allowed = new ulong[n];
                    for (int i = 0; i < n; i++) allowed[i] = 1UL << sixLabels[i];
                    for (int i = 0; i < n; i++)
                        if (margins[i] < threshold)
                            for (int j = Math.Max(0, i - window); j <= Math.Min(n - 1, i + window); j++) allowed[j] = 0;
                    int free = allowed.Count(a => a == 0);
                    decided += free;
                    int[] labels = sixLabels, scoredInWindows = sixLabels;
                    if (free > 0)
                    {
                        labels = new int[n];
                        joint.Label(chars, allowed, labels, ws);
                        scoredInWindows = WindowsOnly(joint, chars, allowed);
                    }
                    scorer.Add(gold, Sentence.FromWords(HanLex.Training.Score.Words(gold.Text, labels).Select(w => (w, (string?)null))));
                    windowsOnly.Add(gold, Sentence.FromWords(HanLex.Training.Score.Words(gold.Text, scoredInWindows).Select(w => (w, (string?)null))));
                }
                Console.WriteLine($"margin under {threshold,4}, window {window}: F1 {scorer.Result.F1:F2}, OOV recall {scorer.OovRecall:F2}; " +
                                  $"joint model decides {100.0 * decided / total:F1}% of characters; scoring only those: F1 {windowsOnly.Result.F1:F2}, OOV recall {windowsOnly.OovRecall:F2}");
            }
        Timed(six, joint, sentences.Select(x => (x.Gold, x.Chars)).ToList(), vocabulary);
        return 0;
    }

    /// <summary>
    /// The cascade as <see cref="Segmenter"/> runs it (the joint model with the six-label one as its screen, margins
    /// included), timed against the six-label kernel and the joint model alone: best of five rounds, one thread.
    /// </summary>
    private static void Timed(Segmenter six, Segmenter joint, List<(Sentence Gold, char[] Chars)> sentences, HashSet<string> vocabulary)
    {
        var cascade = new Segmenter(joint.Model, joint.Lexicon, screen: six);
        var ws = new Workspace();
        long total = sentences.Sum(s => (long)s.Chars.Length);
        var labels = sentences.Select(s => new int[s.Chars.Length]).ToArray();
        var times = new[] { double.MaxValue, double.MaxValue, double.MaxValue };
        var segmenters = new[] { six, cascade, joint };
        for (int round = 0; round < 5; round++)
            for (int m = 0; m < segmenters.Length; m++)
            {
                var clock = Stopwatch.StartNew();
                for (int k = 0; k < sentences.Count; k++) segmenters[m].Label(sentences[k].Chars, default, labels[k], ws);
                times[m] = Math.Min(times[m], clock.Elapsed.TotalSeconds);
            }
        // The last round's labels are the joint model's: label once more with the cascade to score it.
        for (int k = 0; k < sentences.Count; k++) cascade.Label(sentences[k].Chars, default, labels[k], ws);
        var scorer = new SegmentationScorer(vocabulary);
        for (int k = 0; k < sentences.Count; k++)
            scorer.Add(sentences[k].Gold, Sentence.FromWords(HanLex.Training.Score.Words(sentences[k].Gold.Text, labels[k]).Select(w => (w, (string?)null))));
        double ns(double seconds) => seconds / total * 1e9;
        Console.WriteLine($"Segmenter with a screen (margin under {Segmenter.ScreenMargin}): F1 {scorer.Result.F1:F2}, OOV recall {scorer.OovRecall:F2}; " +
                          $"{ns(times[1]):F0} ns a character ({total / times[1] / 1e6:F2} M chars/s) against six labels {ns(times[0]):F0} and the joint model alone {ns(times[2]):F0}");
    }

    /// <summary>The joint model's positions with the fixed characters unscored: 0 for every label they allow.</summary>
    private static int[] WindowsOnly(Segmenter joint, char[] chars, ulong[] allowed)
    {
        int n = chars.Length, L = joint.Model.Labels.Count;
        var matches = new LexiconMatch[n];
        joint.Lexicon?.Match(chars, matches);
        var keys = new ulong[n * CharFeatures.Count];
        CharFeatures.Extract(chars, joint.Lexicon is null ? default : matches, keys, joint.Lexicon?.HasClasses == true);
        var emissions = new float[n * L];
        joint.Model.AddScores(keys, CharFeatures.Count, emissions, new long[keys.Length]);
        for (int i = 0; i < n; i++) if (allowed[i] != 0) emissions.AsSpan(i * L, L).Clear();
        var labels = new int[n];
        new JointDecoder(joint.WordClasses!.Length, joint.Model.EffectiveTransitions).Decode(joint.Model.EffectiveTransitions, emissions, n, labels, allowed);
        for (int i = 0; i < n; i++) labels[i] %= WordLabels.Positions;
        return labels;
    }

    private static Segmenter Load(string dir)
    {
        var content = ModelFile.Load(Path.Combine(dir, ModelTask.Segmentation.FileName()), ModelTask.Segmentation);
        return new Segmenter(content.Model, content.Lexicon);
    }

    /// <summary>Per character, |best path that ends a word there − best path that does not|, by forward and backward Viterbi.</summary>
    private static float[] Margins(Segmenter six, char[] chars)
    {
        int n = chars.Length, L = six.Model.Labels.Count;
        var matches = new LexiconMatch[n];
        six.Lexicon?.Match(chars, matches);
        var keys = new ulong[n * CharFeatures.Count];
        CharFeatures.Extract(chars, six.Lexicon is null ? default : matches, keys);
        var emissions = new float[n * L];
        six.Model.AddScores(keys, CharFeatures.Count, emissions, new long[keys.Length]);
        var t = six.Model.EffectiveTransitions;
        var forward = new float[n * L];
        var backward = new float[n * L];
        for (int y = 0; y < L; y++) forward[y] = t[L * L + y] + emissions[y];
        for (int i = 1; i < n; i++)
            for (int y = 0; y < L; y++)
            {
                float best = float.NegativeInfinity;
                for (int p = 0; p < L; p++) best = MathF.Max(best, forward[(i - 1) * L + p] + t[p * L + y]);
                forward[i * L + y] = best + emissions[i * L + y];
            }
        for (int y = 0; y < L; y++) backward[(n - 1) * L + y] = six.Model.Labels.AllowedLast[y] ? 0 : float.NegativeInfinity;
        for (int i = n - 2; i >= 0; i--)
            for (int y = 0; y < L; y++)
            {
                float best = float.NegativeInfinity;
                for (int q = 0; q < L; q++) best = MathF.Max(best, t[y * L + q] + emissions[(i + 1) * L + q] + backward[(i + 1) * L + q]);
                backward[i * L + y] = best;
            }
        var margins = new float[n];
        for (int i = 0; i < n; i++)
        {
            float ends = float.NegativeInfinity, inside = float.NegativeInfinity;
            for (int y = 0; y < L; y++)
            {
                float score = forward[i * L + y] + backward[i * L + y];
                if (WordLabels.EndsWord(y)) ends = MathF.Max(ends, score);
                else inside = MathF.Max(inside, score);
            }
            margins[i] = MathF.Abs(ends - inside);
        }
        return margins;
    }
}
