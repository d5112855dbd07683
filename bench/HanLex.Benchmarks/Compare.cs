using System.Diagnostics;
using System.Text;
using System.Text.Json;
using HanLex.Analysis;
using HanLex.Models;
using JiebaNet.Segmenter;
using Lucene.Net.Analysis.Cn.Smart;
using Lucene.Net.Analysis.TokenAttributes;

namespace HanLex.Benchmarks;

/// <summary>
/// Side-by-side throughput of HanLex and the .NET peers on the same texts. Each system runs in a process of its own,
/// so its load time and peak working set are its own: load, one warm-up pass, then timed passes (median reported).
/// </summary>
internal static class Compare
{
    public sealed record Result(string System, string Text, long Chars, long Bytes, double LoadMs, double Seconds, double PeakMb)
    {
        public double CharsPerSecond => Chars / Seconds;
        public double MbPerSecond => Bytes / 1e6 / Seconds;
    }

    private static readonly string[] Systems = ["hanlex-segment", "hanlex-ranges", "hanlex-fast", "hanlex-analyze", "jieba", "smartcn"];

    /// <summary>
    /// Writes the texts, runs every system on each in a child process, <paramref name="rounds"/> times over in turn,
    /// and prints the table. This machine's speed swings by a third from one minute to the next, so the ratios are
    /// taken within a round, where the systems ran one after the other, and their median over the rounds is reported.
    /// </summary>
    public static int Run(string self, string shared, double minMb, int passes, int rounds)
    {
        var work = Directory.CreateTempSubdirectory("hanlex-compare-").FullName;
        try
        {
            var texts = Texts(shared, work, minMb);
            var results = new List<(int Round, Result Result)>();
            for (int round = 1; round <= rounds; round++)
                foreach (var (name, path) in texts)
                    foreach (var system in Systems)
                    {
                        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
                        foreach (var a in new[] { self, "compare-one", system, name, path, passes.ToString() }) info.ArgumentList.Add(a);
                        using var p = Process.Start(info)!;
                        var json = p.StandardOutput.ReadToEnd();
                        p.WaitForExit();
                        if (p.ExitCode != 0) throw new InvalidOperationException($"{system} on {name} failed");
                        var r = JsonSerializer.Deserialize<Result>(json)!;
                        Console.Error.WriteLine($"  round {round} {system,-15} {name,-5} {r.CharsPerSecond / 1e6,6:F2} M chars/s");
                        results.Add((round, r));
                    }
            Print(results, passes, rounds);
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static List<(string Name, string Path)> Texts(string shared, string work, double minMb)
    {
        var make = Process.Start("python3", [Path.Combine(shared, "benchmarks/pd98/make.py"), Path.Combine(work, "pd98")])!;
        make.WaitForExit();
        if (make.ExitCode != 0) throw new InvalidOperationException("make.py failed");
        string[] NoSpaces(string file) => File.ReadAllLines(file).Select(l => string.Concat(l.Where(c => c != ' ' && c != '\u3000'))).ToArray();
        var sources = new (string Name, string[] Lines)[]
        {
            ("pd98", File.ReadAllLines(Path.Combine(work, "pd98", "test.raw.txt"))),
            ("ctb6", NoSpaces(Path.Combine(shared, "corpora/ctb6/ctb6.test.seg"))),
            ("sxu", NoSpaces(Path.Combine(shared, "corpora/sighan2008-sxu/sxu_test_gold.utf8"))),
        };
        var result = new List<(string, string)>();
        foreach (var (name, lines) in sources)
        {
            var nonEmpty = lines.Where(l => l.Length > 0).ToArray();
            var path = Path.Combine(work, name + ".txt");
            using (var w = new StreamWriter(path, false, new UTF8Encoding(false)) { NewLine = "\n" })
            {
                long bytes = 0;
                while (bytes < minMb * 1e6)
                    foreach (var l in nonEmpty)
                    {
                        w.WriteLine(l);
                        bytes += Encoding.UTF8.GetByteCount(l) + 1;
                    }
            }
            result.Add((name, path));
        }
        return result;
    }

    /// <summary>One system on one text, in this process; prints a JSON result.</summary>
    public static int RunOne(string system, string name, string path, int passes)
    {
        var clock = Stopwatch.StartNew();
        Func<string[], int> cut = Load(system);
        cut(["中华人民共和国成立了。"]); // the first call finishes lazy loading, which counts as load time
        double loadMs = clock.Elapsed.TotalMilliseconds;
        var lines = File.ReadAllLines(path);
        long chars = lines.Sum(l => (long)l.Length), bytes = new FileInfo(path).Length;
        // Lines go in the batches `hanlex analyze` hands over; only HanLex analyze does anything with a batch (it tags
        // the batch model by model), the others cut line by line.
        var batches = Batches.OfChars(lines, Batches.CliChars);
        long sink = 0;
        foreach (var b in batches) sink += cut(b); // warm-up
        var times = new List<double>();
        for (int pass = 0; pass < passes; pass++)
        {
            clock.Restart();
            foreach (var b in batches) sink += cut(b);
            times.Add(clock.Elapsed.TotalSeconds);
        }
        times.Sort();
        if (sink == 0) throw new InvalidOperationException("no words");
        var result = new Result(system, name, chars, bytes, loadMs, times[times.Count / 2], PeakMb());
        Console.WriteLine(JsonSerializer.Serialize(result));
        return 0;
    }

    /// <summary>A function that cuts a batch of lines and returns how many words it found.</summary>
    private static Func<string[], int> Load(string system)
    {
        static Func<string[], int> EachLine(Func<string, int> cut) => batch =>
        {
            int words = 0;
            foreach (var line in batch) words += cut(line);
            return words;
        };

        switch (system)
        {
            case "hanlex-segment":
            {
                var analyzer = DefaultModel.LoadAnalyzer(only: [ModelTask.Segmentation]);
                return EachLine(line => analyzer.Segment(line).Words.Count);
            }
            case "hanlex-ranges":
            {
                // The same words as word ranges, no string per word: what the segment command and the untagged
                // Lucene tokenizer do.
                var analyzer = DefaultModel.LoadAnalyzer(only: [ModelTask.Segmentation]);
                Range[] ranges = [];
                return EachLine(line =>
                {
                    if (ranges.Length < line.Length) ranges = new Range[2 * line.Length];
                    return analyzer.Segment(line, ranges);
                });
            }
            case "hanlex-fast":
            {
                // Word ranges from the six-label screen alone (SegmentationMode.Fast): `segment --fast`.
                var analyzer = DefaultModel.LoadAnalyzer(only: [ModelTask.Segmentation], mode: SegmentationMode.Fast);
                Range[] ranges = [];
                return EachLine(line =>
                {
                    if (ranges.Length < line.Length) ranges = new Range[2 * line.Length];
                    return analyzer.Segment(line, ranges);
                });
            }
            case "hanlex-analyze":
            {
                var analyzer = DefaultModel.LoadAnalyzer();
                return batch => analyzer.Analyze(batch).Sum(s => s.Words.Count);
            }
            case "jieba":
            {
                ConfigManager.ConfigFileBaseDir = Path.Combine(AppContext.BaseDirectory, "Resources");
                var jieba = new JiebaSegmenter();
                return EachLine(line => jieba.Cut(line, cutAll: false, hmm: true).Count());
            }
            case "smartcn":
            {
                // One tokenizer, reused for every line as Lucene reuses it between documents.
                var tokenizer = new HMMChineseTokenizer(new StringReader(""));
                var term = tokenizer.AddAttribute<ICharTermAttribute>();
                return EachLine(line =>
                {
                    tokenizer.SetReader(new StringReader(line));
                    tokenizer.Reset();
                    int n = 0;
                    while (tokenizer.IncrementToken()) n++;
                    tokenizer.End();
                    tokenizer.Dispose();
                    return n;
                });
            }
            default:
                throw new ArgumentException($"unknown system {system}");
        }
    }

    private static double PeakMb()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmHWM:")) return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        return Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0;
    }

    private static void Print(List<(int Round, Result Result)> results, int passes, int rounds)
    {
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
        }
        static string Spread(IReadOnlyCollection<double> values, string format, string unit = "") =>
            values.Count == 1 ? values.First().ToString(format) + unit
                : $"{Median(values).ToString(format)}{unit} ({values.Min().ToString(format)}–{values.Max().ToString(format)})";
        Console.WriteLine("| text | system | M chars/s | MB/s | load ms | peak working set MB | word ranges ÷ this | `Segment(text)` ÷ this | fast ÷ this |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var text in results.GroupBy(r => r.Result.Text))
        {
            // A HanLex speed over a peer's, each round's runs against each other.
            string Ratio(string hanlex, string peer) => Spread(
                text.GroupBy(r => r.Round).Select(round =>
                    round.Single(r => r.Result.System == hanlex).Result.CharsPerSecond / round.Single(r => r.Result.System == peer).Result.CharsPerSecond).ToArray(),
                "F2", "×");
            foreach (var system in text.GroupBy(r => r.Result.System))
            {
                var runs = system.Select(r => r.Result).ToArray();
                bool peer = !system.Key.StartsWith("hanlex");
                Console.WriteLine($"| {text.Key} ({runs[0].Bytes / 1e6:F1} MB) | {system.Key} | {Spread(runs.Select(r => r.CharsPerSecond / 1e6).ToArray(), "F2")} | " +
                                  $"{Median(runs.Select(r => r.MbPerSecond)):F2} | {Median(runs.Select(r => r.LoadMs)):F0} | {Median(runs.Select(r => r.PeakMb)):F0} | " +
                                  (peer ? $"{Ratio("hanlex-ranges", system.Key)} | {Ratio("hanlex-segment", system.Key)} | {Ratio("hanlex-fast", system.Key)}" : " | | ") + " |");
            }
        }
        Console.WriteLine($"\nmedian of {passes} timed passes after a warm-up pass; one process per system and text; " +
                          (rounds > 1 ? $"{rounds} rounds, each system in turn: medians over the rounds (range), ratios taken within a round; " : "") +
                          $"{Environment.ProcessorCount} cores, {Processor()}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
    }

    /// <summary>The processor's name from /proc/cpuinfo, with its family and model: the development machine's host
    /// changes between sessions, and figures from different processors do not compare.</summary>
    private static string Processor()
    {
        if (!File.Exists("/proc/cpuinfo")) return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();
        var fields = File.ReadLines("/proc/cpuinfo").TakeWhile(l => l.Length > 0).Select(l => l.Split(':', 2))
            .Where(kv => kv.Length == 2).GroupBy(kv => kv[0].Trim()).ToDictionary(g => g.Key, g => g.First()[1].Trim());
        string name = fields.GetValueOrDefault("model name", "unknown processor");
        string avx = System.Runtime.Intrinsics.X86.Avx512F.IsSupported ? "AVX-512" : System.Runtime.Intrinsics.X86.Avx2.IsSupported ? "AVX2" : "no AVX2";
        return $"{name} (family {fields.GetValueOrDefault("cpu family", "?")}, model {fields.GetValueOrDefault("model", "?")}, {avx})";
    }
}
