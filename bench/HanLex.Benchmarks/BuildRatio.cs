using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;

namespace HanLex.Benchmarks;

/// <summary>
/// Two builds of the library on the same text in one process, round by round in turn, the order swapped every round:
/// the figure a change to the code is judged by (a change that keeps the output, measured against the commit before
/// it). Each build is a directory from <c>dotnet build src/HanLex -c Release -o DIR</c>, loaded into an assembly load
/// context of its own and called through reflection, so any two commits with today's analyzer API compare. Prints each
/// build's median time a character and the median of the per-round ratios with their range; rounds shorter than a
/// million characters follow this machine's swings more closely, and two or three dozen of them settle a few percent.
/// </summary>
public static class BuildRatio
{
    private delegate int SegmentRanges(ReadOnlySpan<char> text, Span<Range> words);

    public static int Run(string buildA, string buildB, string modelDir, string rawText, string mode, int rounds, long roundChars)
    {
        if (mode is not ("ranges" or "fast" or "analyze"))
        {
            Console.Error.WriteLine("mode: ranges (accurate word ranges), fast (the screen alone) or analyze (batches of 256 lines)");
            return 2;
        }
        var all = File.ReadAllLines(rawText).Where(l => l.Length > 0).ToArray();
        var lines = new List<string>();
        long chars = 0;
        while (chars < roundChars) foreach (var l in all) { lines.Add(l); chars += l.Length; }
        var text = lines.ToArray();
        var runs = new[] { buildA, buildB }.Select(dir => Runner(Path.GetFullPath(dir), modelDir, mode)).ToArray();
        var times = new[] { new List<double>(), new List<double>() };
        for (int round = 0; round <= rounds; round++)
            for (int k = 0; k < 2; k++)
            {
                int build = round % 2 == 0 ? k : 1 - k;
                var clock = Stopwatch.StartNew();
                runs[build](text);
                if (round > 0) times[build].Add(clock.Elapsed.TotalSeconds * 1e9 / chars); // round 0 warms up
            }
        var ratios = times[0].Zip(times[1], (a, b) => a / b).ToList();
        Console.WriteLine($"{Path.GetFileName(rawText)}, {mode}, {rounds} rounds of {chars:N0} characters: A {Median(times[0]):F0} ns a character, " +
                          $"B {Median(times[1]):F0}; A ÷ B median {Median(ratios):F3} ({ratios.Min():F3}–{ratios.Max():F3})");
        return 0;
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    /// <summary>The build in <paramref name="dir"/>, its model loaded, as one call over all the lines.</summary>
    private static Action<string[]> Runner(string dir, string modelDir, string mode)
    {
        var library = new BuildContext(dir).LoadFromAssemblyPath(Path.Combine(dir, "HanLex.Core.dll"));
        Type Named(string name) => library.GetType(name, throwOnError: true)!;
        var task = Named("HanLex.Models.ModelTask");
        var only = mode == "analyze" ? null : Array.CreateInstance(task, 1);
        only?.SetValue(Enum.Parse(task, "Segmentation"), 0);
        var segmentation = Enum.Parse(Named("HanLex.Models.SegmentationMode"), mode == "fast" ? "Fast" : "Accurate");
        var load = Named("HanLex.Models.ModelBundle").GetMethod("Load", [typeof(string), typeof(IReadOnlyCollection<>).MakeGenericType(task), segmentation.GetType()])!;
        var bundle = load.Invoke(null, [modelDir, only, segmentation])!;
        var analyzerType = Named("HanLex.Analysis.LexicalAnalyzer");
        var analyzer = analyzerType.GetConstructors().Single(c => c.GetParameters().Length == 2).Invoke([bundle, null]);
        if (mode == "analyze")
        {
            var analyze = analyzerType.GetMethod("Analyze", [typeof(IReadOnlyList<string>)])!.CreateDelegate<Func<IReadOnlyList<string>, object>>(analyzer);
            return lines => { foreach (var batch in lines.Chunk(256)) analyze(batch); };
        }
        var segment = analyzerType.GetMethod("Segment", [typeof(ReadOnlySpan<char>), typeof(Span<Range>)])!.CreateDelegate<SegmentRanges>(analyzer);
        var words = new Range[1 << 16];
        return lines => { foreach (var line in lines) segment(line, words); };
    }

    /// <summary>Resolves the build's own assemblies from its directory, the framework's from the default context.</summary>
    private sealed class BuildContext(string dir) : AssemblyLoadContext(isCollectible: false)
    {
        protected override Assembly? Load(AssemblyName name)
        {
            var path = Path.Combine(dir, name.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }
    }
}
