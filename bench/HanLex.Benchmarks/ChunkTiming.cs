using System.Diagnostics;
using HanLex.Analysis;
using HanLex.Models;

namespace HanLex.Benchmarks;

/// <summary>
/// What the code does on a core nobody else slows down. This machine's single-thread speed halves for seconds at a
/// time (a loop of dependent adds takes 0.7 s in one minute and 1.4 s in the next), so a pass over 10 MB mixes both
/// speeds. Here the text is cut into chunks of about 10,000 characters (a few milliseconds each; for analysis, the
/// CLI's batches of 64K), every chunk is timed many times, round robin, over a minute or more, and the whole text's
/// throughput is computed from each chunk's best time, from its 10th-percentile time and from its median time.
/// </summary>
public static class ChunkTiming
{
    /// <summary>A segmentation chunk: a few milliseconds. Analysis takes the CLI's batch (<see cref="Batches.CliChars"/>).</summary>
    private const int ChunkChars = 10_000;

    /// <param name="mode">ranges (accurate word ranges), fast (the screen alone) or analyze (each chunk one call).</param>
    /// <param name="modelDir">A model directory, or null for the default model.</param>
    public static int Run(string rawText, int repeats, string mode, string? modelDir)
    {
        if (mode is not ("ranges" or "fast" or "analyze"))
        {
            Console.Error.WriteLine("mode: ranges (accurate word ranges), fast (the screen alone) or analyze (each chunk one call)");
            return 2;
        }
        IReadOnlyCollection<ModelTask>? only = mode == "analyze" ? null : [ModelTask.Segmentation];
        var segmentation = mode == "fast" ? SegmentationMode.Fast : SegmentationMode.Accurate;
        var analyzer = modelDir is null
            ? DefaultModel.LoadAnalyzer(only: only, mode: segmentation)
            : new LexicalAnalyzer(ModelBundle.Load(modelDir, only, segmentation));
        var lines = File.ReadAllLines(rawText).Where(l => l.Length > 0).ToArray();
        var chunks = Batches.OfChars(lines, mode == "analyze" ? Batches.CliChars : ChunkChars);
        var ranges = new Range[lines.Max(l => l.Length)];
        long words = 0;
        void Process(string[] chunk)
        {
            if (mode == "analyze") words += analyzer.Analyze(chunk).Sum(s => s.Words.Count);
            else foreach (var line in chunk) words += analyzer.Segment(line, ranges);
        }

        var times = chunks.Select(_ => new List<double>(repeats)).ToArray();
        var wall = Stopwatch.StartNew();
        var clock = new Stopwatch();
        foreach (var chunk in chunks) Process(chunk); // warm-up
        for (int r = 0; r < repeats; r++)
            for (int c = 0; c < chunks.Length; c++)
            {
                clock.Restart();
                Process(chunks[c]);
                times[c].Add(clock.Elapsed.TotalSeconds);
            }
        if (words == 0) throw new InvalidOperationException("no words");
        foreach (var t in times) t.Sort();
        long total = lines.Sum(l => (long)l.Length);
        double Throughput(double quantile) => total / times.Sum(t => t[(int)(quantile * (t.Count - 1))]) / 1e6;
        Console.WriteLine($"{Path.GetFileName(rawText)}, {mode}: {total:N0} characters in {chunks.Length} chunks, each timed {repeats} times " +
                          $"over {wall.Elapsed.TotalSeconds:F0} s");
        Console.WriteLine($"M chars/s from each chunk's best time {Throughput(0):F2}, 10th-percentile time {Throughput(0.1):F2}, median time {Throughput(0.5):F2}");
        return 0;
    }
}
