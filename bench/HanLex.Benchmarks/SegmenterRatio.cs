using System.Diagnostics;
using HanLex.Models;
using HanLex.Tagging;
using HanLex.Text;

namespace HanLex.Benchmarks;

/// <summary>
/// Two segmentation models on the same text in one process, round by round in turn, so that the machine's swings (this
/// 2-core machine's throughput moves by a third from one minute to the next) fall on both alike: each model's best
/// round and the ratio of the two, the figure to compare a kernel change by. Model loaded, one thread, normalized text,
/// <see cref="Segmenter.Label"/> alone (no analyzer around it).
/// </summary>
public static class SegmenterRatio
{
    public static int Run(string modelA, string modelB, string rawText, int rounds)
    {
        var text = File.ReadAllLines(rawText).Where(l => l.Length > 0).Select(l => l.Select(CharClassifier.Normalize).ToArray()).ToArray();
        // A round of at least a million characters: shorter ones swing more than the changes they should show.
        var lines = new List<char[]>();
        long chars = 0;
        while (chars < 1_000_000) foreach (var l in text) { lines.Add(l); chars += l.Length; }
        // As the analyzer loads them: a joint model with its screen, if the directory has one.
        var segmenters = new[] { modelA, modelB }.Select(dir => ModelBundle.Load(dir, [ModelTask.Segmentation]).Segmenter).ToArray();
        var ws = new Workspace();
        var labels = new int[lines.Max(l => l.Length)];
        var best = new[] { double.MaxValue, double.MaxValue };
        var ratios = new List<double>();
        for (int round = 0; round <= rounds; round++)
        {
            var times = new double[2];
            for (int m = 0; m < 2; m++)
            {
                var clock = Stopwatch.StartNew();
                foreach (var line in lines) segmenters[m].Label(line, default, labels.AsSpan(0, line.Length), ws);
                times[m] = clock.Elapsed.TotalSeconds;
            }
            if (round == 0) continue; // warm-up: the JIT's final tiers
            for (int m = 0; m < 2; m++) best[m] = Math.Min(best[m], times[m]);
            ratios.Add(times[0] / times[1]);
        }
        ratios.Sort();
        string Rate(int m) => $"{chars / best[m] / 1e6:F2} M chars/s ({best[m] / chars * 1e9:F0} ns a character)";
        Console.WriteLine($"A {Path.GetFileName(Path.TrimEndingDirectorySeparator(modelA))} ({segmenters[0].Model.Labels.Count} labels{(segmenters[0].Screen is null ? "" : ", screened")}): best {Rate(0)}");
        Console.WriteLine($"B {Path.GetFileName(Path.TrimEndingDirectorySeparator(modelB))} ({segmenters[1].Model.Labels.Count} labels{(segmenters[1].Screen is null ? "" : ", screened")}): best {Rate(1)}");
        Console.WriteLine($"time A / time B over {rounds} rounds of {chars:N0} characters: median {ratios[ratios.Count / 2]:F2} (range {ratios[0]:F2}–{ratios[^1]:F2})");
        return 0;
    }
}
