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
/// do. Then the cascade as it could run, on spans, timed (<see cref="Spans"/>).
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
        Spans(six, joint, sentences.Select(x => (x.Gold, x.Chars, x.Margins)).ToList(), vocabulary, threshold: 30, window: 3);
        Spans(six, joint, sentences.Select(x => (x.Gold, x.Chars, x.Margins)).ToList(), vocabulary, threshold: 40, window: 3);
        return 0;
    }

    /// <summary>
    /// The cascade as it could run, timed: the six-label kernel everywhere, then the joint kernel on each span of whole
    /// six-label words around the unsure characters, decoded on its own with one six-label word of fixed context each
    /// side. Best of five rounds, one thread; the margins are not timed (the six-label kernel would have to give them).
    /// </summary>
    private static void Spans(Segmenter six, Segmenter joint, List<(Sentence Gold, char[] Chars, float[] Margins)> sentences,
        HashSet<string> vocabulary, float threshold, int window)
    {
        var ws = new Workspace();
        long total = sentences.Sum(s => (long)s.Chars.Length), spanChars = 0;
        var labels = sentences.Select(s => new int[s.Chars.Length]).ToArray();
        var scratch = new int[sentences.Max(s => s.Chars.Length)];
        double sixTime = double.MaxValue, spanTime = double.MaxValue, jointTime = double.MaxValue;
        for (int round = 0; round < 5; round++)
        {
            var clock = Stopwatch.StartNew();
            for (int k = 0; k < sentences.Count; k++) six.Label(sentences[k].Chars, default, labels[k], ws);
            sixTime = Math.Min(sixTime, clock.Elapsed.TotalSeconds);
            clock.Restart();
            spanChars = 0;
            for (int k = 0; k < sentences.Count; k++) spanChars += DecodeSpans(joint, sentences[k].Chars, sentences[k].Margins, labels[k], threshold, window, ws);
            spanTime = Math.Min(spanTime, clock.Elapsed.TotalSeconds);
            clock.Restart();
            foreach (var s in sentences) joint.Label(s.Chars, default, scratch.AsSpan(0, s.Chars.Length), ws);
            jointTime = Math.Min(jointTime, clock.Elapsed.TotalSeconds);
        }
        var scorer = new SegmentationScorer(vocabulary);
        for (int k = 0; k < sentences.Count; k++)
            scorer.Add(sentences[k].Gold, Sentence.FromWords(HanLex.Training.Score.Words(sentences[k].Gold.Text, labels[k]).Select(w => (w, (string?)null))));
        double ns(double seconds) => seconds / total * 1e9;
        Console.WriteLine($"spans, margin under {threshold}, window {window}: F1 {scorer.Result.F1:F2}, OOV recall {scorer.OovRecall:F2}; spans with context " +
                          $"{100.0 * spanChars / total:F1}% of characters; six-label {ns(sixTime):F0} + spans {ns(spanTime):F0} = {ns(sixTime + spanTime):F0} ns a character " +
                          $"({total / (sixTime + spanTime) / 1e6:F2} M chars/s); the joint model alone {ns(jointTime):F0}");
    }

    /// <summary>Overwrites the six-label labels of each unsure span with the joint model's; returns the characters decoded.</summary>
    private static long DecodeSpans(Segmenter joint, char[] chars, float[] margins, int[] labels, float threshold, int window, Workspace ws)
    {
        int n = chars.Length;
        long decoded = 0;
        var free = new bool[n];
        for (int i = 0; i < n; i++)
            if (margins[i] < threshold)
                for (int j = Math.Max(0, i - window); j <= Math.Min(n - 1, i + window); j++) free[j] = true;
        for (int i = 0; i < n;)
        {
            if (!free[i]) { i++; continue; }
            int a = i, b = i;
            while (a > 0 && !WordLabels.EndsWord(labels[a - 1])) a--;        // the start of its six-label word
            while (b < n && free[b]) b++;
            while (b < n && !WordLabels.EndsWord(labels[b - 1])) b++;        // the end of a six-label word
            int from = a, to = b;                                            // and one fixed word of context each side
            if (from > 0) for (from--; from > 0 && !WordLabels.EndsWord(labels[from - 1]); from--) { }
            if (to < n) for (to++; to < n && !WordLabels.EndsWord(labels[to - 1]); to++) { }
            var allowed = new ulong[to - from];
            for (int j = from; j < to; j++) allowed[j - from] = j >= a && j < b ? 0 : 1UL << labels[j];
            var spanLabels = new int[to - from];
            joint.Label(chars.AsSpan(from, to - from), allowed, spanLabels, ws);
            for (int j = a; j < b; j++) labels[j] = spanLabels[j - from];
            decoded += to - from;
            i = b;
        }
        return decoded;
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
