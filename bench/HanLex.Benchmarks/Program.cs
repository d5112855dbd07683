using System.Diagnostics;
using HanLex.Analysis;
using HanLex.Corpus;

// Whole-program throughput: `read` times the corpus reader, `analyze` times segmentation and full analysis.
// usage: dotnet run -c Release --project bench/HanLex.Benchmarks -- read [CORPUS]
//        dotnet run -c Release --project bench/HanLex.Benchmarks -- analyze MODEL_DIR RAW_TEXT [MIN_MB]
//        dotnet run -c Release --project bench/HanLex.Benchmarks -- serve-load RAW_TEXT [REQUESTS] [CLIENTS] [HANLEX]   (HANLEX: a native hanlex instead of hanlex.dll)
//        dotnet run -c Release --project bench/HanLex.Benchmarks -- compare [MIN_MB] [PASSES] [ROUNDS]   (HanLex, jieba.NET, SmartCn side by side)
//        dotnet run -c Release --project bench/HanLex.Benchmarks -- micro [--filter PATTERN]   (BenchmarkDotNet, hot paths)
//        dotnet run -c Release --project bench/HanLex.Benchmarks -- memory   (random-read cost by table size, one core and both)
//        dotnet run -c Release --project bench/HanLex.Benchmarks -- threads RAW_TEXT [ROUNDS]   (one analyzer, one thread against two, in one process)
//        dotnet run -c Release --project bench/HanLex.Benchmarks -- segmenters MODEL_A MODEL_B RAW_TEXT [ROUNDS]   (two segmentation models in turn, and their ratio)
//        dotnet run -c Release --project bench/HanLex.Benchmarks -- cascade MODEL_DIR GOLD TRAIN [ROUNDS]   (the cascade's accuracy and speed over screen margins and windows)
//        dotnet run -c Release --project bench/HanLex.Benchmarks -- chunks RAW_TEXT [REPEATS] [ranges|fast|analyze] [MODEL_DIR]   (throughput on an uncontended core: chunks timed many times)
//        dotnet run -c Release --project bench/HanLex.Benchmarks -- builds BUILD_A BUILD_B MODEL_DIR RAW_TEXT ranges|fast|analyze [ROUNDS] [ROUND_CHARS]   (two builds of the library in one process, in turn)
var here = AppContext.BaseDirectory;
string Shared(string p) => Path.GetFullPath(Path.Combine(here, "../../../../../../shared", p));
switch (args.FirstOrDefault())
{
    case "read":
    {
        var path = args.Length > 1 ? args[1] : Shared("corpora/pku1998/199801.utf8");
        long bytes = new FileInfo(path).Length;
        var times = new List<double>();
        long words = 0;
        int gcBefore = GC.CollectionCount(0);
        for (int pass = 0; pass < 12; pass++)
        {
            var clock = Stopwatch.StartNew();
            words = 0;
            using var reader = CorpusReader.Open(path);
            foreach (var s in reader) words += s.Words.Count;
            if (pass > 0) times.Add(clock.Elapsed.TotalSeconds); // the first pass warms up the JIT and the page cache
        }
        times.Sort();
        double median = times[times.Count / 2];
        Console.WriteLine($"read {Path.GetFileName(path)}: {bytes / 1e6:F1} MB, {words:N0} words, median {median * 1000:F0} ms, " +
                          $"{bytes / 1e6 / median:F0} MB/s ({(GC.CollectionCount(0) - gcBefore) / 12.0:F0} gen0 collections a pass)");
        break;
    }
    case "analyze":
    {
        var clock = Stopwatch.StartNew();
        var analyzer = LexicalAnalyzer.Load(args[1]);
        double load = clock.Elapsed.TotalMilliseconds;
        var lines = File.ReadAllLines(args[2]).Where(l => l.Length > 0).ToArray();
        double minMb = args.Length > 3 ? double.Parse(args[3]) : 10;
        var text = new List<string>();
        long chars = 0;
        while (chars * 3 < minMb * 1e6) foreach (var l in lines) { text.Add(l); chars += l.Length; }
        foreach (var l in lines) analyzer.Analyze(l); // warm-up
        foreach (var mode in new[] { "segment", "analyze" })
        {
            var times = new List<double>();
            for (int pass = 0; pass < 3; pass++)
            {
                clock.Restart();
                if (mode == "segment") foreach (var l in text) analyzer.Segment(l);
                else foreach (var batch in text.Chunk(256)) analyzer.Analyze(batch); // in batches, as the CLI does
                times.Add(clock.Elapsed.TotalSeconds);
            }
            times.Sort();
            Console.WriteLine($"{mode}: {chars / times[1] / 1e6:F2} M chars/s (median of 3 passes over {chars:N0} chars)");
        }
        Console.WriteLine($"model load {load:F0} ms, peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB");
        break;
    }
    case "micro":
        BenchmarkDotNet.Running.BenchmarkSwitcher.FromTypes([typeof(HanLex.Benchmarks.Micro)]).Run(args[1..]);
        return 0;
    case "memory":
        HanLex.Benchmarks.MemoryProbe.Run();
        break;
    case "compare":
        return HanLex.Benchmarks.Compare.Run(Path.Combine(here, "HanLex.Benchmarks.dll"), Shared(""),
            args.Length > 1 ? double.Parse(args[1]) : 10, args.Length > 2 ? int.Parse(args[2]) : 3, args.Length > 3 ? int.Parse(args[3]) : 1);
    case "compare-one":
        return HanLex.Benchmarks.Compare.RunOne(args[1], args[2], args[3], int.Parse(args[4]));
    case "threads":
        return HanLex.Benchmarks.ThreadScaling.Run(args[1], args.Length > 2 ? int.Parse(args[2]) : 9, args.Length > 3 ? args[3] : null);
    case "segmenters":
        return HanLex.Benchmarks.SegmenterRatio.Run(args[1], args[2], args[3], args.Length > 4 ? int.Parse(args[4]) : 10);
    case "cascade":
        return HanLex.Benchmarks.Cascade.Run(args[1], args[2], args[3], args.Length > 4 ? int.Parse(args[4]) : 3);
    case "builds":
        return HanLex.Benchmarks.BuildRatio.Run(args[1], args[2], args[3], args[4], args[5],
            args.Length > 6 ? int.Parse(args[6]) : 30, args.Length > 7 ? long.Parse(args[7]) : 250_000);
    case "chunks":
        return HanLex.Benchmarks.ChunkTiming.Run(args[1], args.Length > 2 ? int.Parse(args[2]) : 1000, args.Length > 3 ? args[3] : "ranges",
            args.Length > 4 ? args[4] : null);
    case "serve-load":
        return HanLex.Benchmarks.ServiceLoad.Run(args.Length > 4 ? args[4] : Path.Combine(here, "hanlex.dll"), args[1],
            args.Length > 2 ? int.Parse(args[2]) : 20_000, args.Length > 3 ? int.Parse(args[3]) : 32);
    default:
        Console.Error.WriteLine("usage: HanLex.Benchmarks read [CORPUS] | analyze MODEL_DIR RAW_TEXT [MIN_MB] | serve-load RAW_TEXT [REQUESTS] [CLIENTS] [HANLEX] | compare [MIN_MB] [PASSES] [ROUNDS] | micro [BenchmarkDotNet options] | memory | threads RAW_TEXT [ROUNDS] | segmenters MODEL_A MODEL_B RAW_TEXT [ROUNDS] | cascade MODEL_DIR GOLD TRAIN [ROUNDS] | builds BUILD_A BUILD_B MODEL_DIR RAW_TEXT ranges|fast|analyze [ROUNDS] [ROUND_CHARS] | chunks RAW_TEXT [REPEATS] [ranges|fast|analyze] [MODEL_DIR]");
        return 2;
}
return 0;
