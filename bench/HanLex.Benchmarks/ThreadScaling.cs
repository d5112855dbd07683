using System.Diagnostics;
using HanLex.Analysis;
using HanLex.Models;

namespace HanLex.Benchmarks;

/// <summary>
/// How one analyzer scales from one thread to two inside one process, with no reading or writing around it: the
/// text's two halves (different text) one after the other on one thread, against each on a thread of its own,
/// alternating round by round so that the machine's swings fall on both alike. Separates the library's scaling from
/// the CLI pipeline's (reader, writer, batches) that `hanlex analyze --threads` adds.
/// </summary>
public static class ThreadScaling
{
    /// <param name="modelDir">A model directory, or null for the default model.</param>
    public static int Run(string rawText, int rounds, string? modelDir = null)
    {
        var lines = File.ReadAllLines(rawText).Where(l => l.Length > 0).ToArray();
        var halves = new[] { lines[..(lines.Length / 2)], lines[(lines.Length / 2)..] };
        long chars = lines.Sum(l => (long)l.Length);
        var analyzer = modelDir is null ? DefaultModel.LoadAnalyzer() : new LexicalAnalyzer(ModelBundle.Load(modelDir));
        var workloads = new (string Name, Action<string[]> Work)[]
        {
            ("segment, word ranges", half =>
            {
                var ranges = new Range[half.Max(l => l.Length)];
                foreach (var l in half) analyzer.Segment(l, ranges);
            }),
            ("segment, Segment(text)", half => { foreach (var l in half) analyzer.Segment(l); }),
            ("analyze, batches of 256", half => { foreach (var batch in half.Chunk(256)) analyzer.Analyze(batch); }),
        };
        foreach (var (name, work) in workloads)
        {
            // Each timing covers the text often enough to last about two seconds on one thread: timings of 40 ms (three
            // passes on a fast processor) gave two threads 1.67x where two seconds give 1.9-2.0x.
            var warmUp = Stopwatch.StartNew();
            foreach (var half in halves) { work(half); work(half); work(half); } // the JIT's final tiers
            int repeats = Math.Max(3, (int)Math.Ceiling(2.0 / (warmUp.Elapsed.TotalSeconds / 3)));
            void Repeat(Action<string[]> work, string[] half) { for (int r = 0; r < repeats; r++) work(half); }
            var ratios = new List<double>();
            double one = 0, two = 0;
            for (int round = 0; round < rounds; round++)
            {
                var clock = Stopwatch.StartNew();
                foreach (var half in halves) Repeat(work, half);
                double single = clock.Elapsed.TotalSeconds;
                clock.Restart();
                var threads = halves.Select(half => new Thread(() => Repeat(work, half))).ToArray();
                foreach (var t in threads) t.Start();
                foreach (var t in threads) t.Join();
                double both = clock.Elapsed.TotalSeconds;
                ratios.Add(single / both);
                one += single;
                two += both;
            }
            ratios.Sort();
            Console.WriteLine($"{name}, text {repeats}× a timing: 1 thread {repeats * chars * rounds / one / 1e6:F2} M chars/s, 2 threads {repeats * chars * rounds / two / 1e6:F2} M chars/s; " +
                              $"2 threads ÷ 1, median of {rounds} rounds {ratios[rounds / 2]:F2}× (range {ratios[0]:F2}–{ratios[^1]:F2})");
        }
        return 0;
    }
}
