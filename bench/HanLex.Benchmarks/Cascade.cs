using System.Diagnostics;
using HanLex.Corpus;
using HanLex.Evaluation;
using HanLex.Models;
using HanLex.Tagging;
using HanLex.Text;

namespace HanLex.Benchmarks;

/// <summary>
/// The cascade's trade-off between accuracy and speed, as the product runs it: a model directory's screen and joint
/// model, with the screen margin and window swept around the shipped ones (<see cref="Segmenter.ScreenMargin"/>,
/// <see cref="Segmenter.ScreenWindow"/>). Per setting: F1, words right, OOV recall, the share of characters the joint
/// model decides, and the time a character (best of some rounds, one thread, every setting in turn each round).
/// Choose settings on a dev split, not on the test split the figures are reported on (docs/training.md).
/// </summary>
public static class Cascade
{
    private static readonly float[] Margins = [0, 10, 20, 30, 40, 50, 60, 80, float.PositiveInfinity];
    private static readonly int[] Windows = [0, 1, 2, 3];

    public static int Run(string modelDir, string goldPath, string trainPath, int rounds)
    {
        var cascade = ModelBundle.Load(modelDir, only: [ModelTask.Segmentation]).Segmenter;
        if (cascade.Screen is null) throw new ArgumentException($"{modelDir}: no screen beside the segmentation model, so no cascade to sweep");
        var vocabulary = CorpusReader.ReadAll(File.ReadAllText(trainPath)).SelectMany(s => s.Words).Select(w => w.Text).ToHashSet(StringComparer.Ordinal);
        var gold = CorpusReader.ReadAll(File.ReadAllText(goldPath)).Where(s => !s.IsEmpty).ToList();
        var chars = gold.Select(s => s.Text.Select(CharClassifier.Normalize).ToArray()).ToList();
        var labels = chars.Select(c => new int[c.Length]).ToList();
        long total = chars.Sum(c => (long)c.Length);
        var ws = new Workspace();
        Console.WriteLine($"{modelDir} on {Path.GetFileName(goldPath)}: {gold.Count:N0} sentences, {total:N0} characters; best of {rounds} rounds");
        var settings = (from window in Windows
                        from margin in Margins
                        where margin > 0 || window == 0 // nothing goes to the joint model: the screen alone, once
                        select (Margin: margin, Window: window, Segmenter: new Segmenter(cascade, margin, window))).ToList();
        // Every setting in turn each round, so that the machine's slower and faster spells fall on all of them alike.
        var best = settings.Select(_ => double.MaxValue).ToArray();
        var decided = new long[settings.Count];
        for (int round = 0; round < rounds; round++)
            for (int s = 0; s < settings.Count; s++)
            {
                decided[s] = 0;
                var clock = Stopwatch.StartNew();
                for (int k = 0; k < chars.Count; k++) decided[s] += settings[s].Segmenter.LabelCounting(chars[k], labels[k], ws);
                best[s] = Math.Min(best[s], clock.Elapsed.TotalSeconds);
            }
        Console.WriteLine("| margin under | window | F1 | words right | OOV recall | joint model decides | ns a character |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        for (int s = 0; s < settings.Count; s++)
        {
            var (margin, window, segmenter) = settings[s];
            var scorer = new SegmentationScorer(vocabulary);
            for (int k = 0; k < gold.Count; k++)
            {
                segmenter.LabelCounting(chars[k], labels[k], ws);
                scorer.Add(gold[k], Sentence.FromWords(HanLex.Training.Score.Words(gold[k].Text, labels[k]).Select(w => (w, (string?)null))));
            }
            string shipped = margin == Segmenter.ScreenMargin && window == Segmenter.ScreenWindow ? " (shipped)" : "";
            Console.WriteLine($"| {(float.IsPositiveInfinity(margin) ? "everywhere" : margin.ToString())}{shipped} | {window} | {scorer.Result.F1:F2} | " +
                              $"{scorer.Result.Correct:N0} | {scorer.OovRecall:F2} | {100.0 * decided[s] / total:F1}% | {best[s] / total * 1e9:F0} |");
        }
        return 0;
    }
}
