using System.CommandLine;
using System.Text;
using HanLex.Analysis;
using HanLex.Corpus;
using HanLex.Models;

namespace HanLex.Cli.Commands;

internal static class AnalyzeCommand
{
    private static readonly string[] Formats = ["pd2014", "pd1998", "seg", "conllu", "json"];

    public static Command Create(CliConsole console, bool segmentOnly)
    {
        var files = new Argument<string[]>("files") { Description = "Raw text files, one sentence a line (stdin when none)", Arity = ArgumentArity.ZeroOrMore };
        // Without this, a mistyped option would be taken for a file name.
        files.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
                if (token.Value.Length > 1 && token.Value[0] == '-')
                    result.AddError($"unknown option '{token.Value}'");
        });
        var text = new Option<string?>("--text") { Description = "Analyze this text instead of files" };
        var format = new Option<string>("--format", "-f")
        {
            Description = "Output: " + string.Join('|', Formats),
            DefaultValueFactory = _ => segmentOnly ? "seg" : "pd2014",
        };
        format.AcceptOnlyFromAmong(Formats);
        var encoding = new Option<string>("--encoding") { Description = "Input encoding: utf-8 or gb18030", DefaultValueFactory = _ => "utf-8" };
        var threads = new Option<int>("--threads", "-t")
        {
            Description = "Analyzing threads; output keeps input order (default: all cores)",
            DefaultValueFactory = _ => Environment.ProcessorCount,
        };
        var outputPath = new Option<string>("--output", "-o")
        {
            Description = "Write here instead of stdout, through a temporary file renamed when complete",
            DefaultValueFactory = _ => "-",
        };
        var model = new ModelOptions();
        var command = segmentOnly
            ? new Command("segment", "Segment raw text into words (analyze --format seg)")
            : new Command("analyze", "Segment, tag and find named entities in raw text; one output line per input line");
        command.Arguments.Add(files);
        command.Options.Add(text);
        command.Options.Add(format);
        command.Options.Add(encoding);
        command.Options.Add(outputPath);
        command.Options.Add(threads);
        model.AddTo(command);
        command.SetAction(parse =>
        {
            var enc = CorpusReaderOptions.ParseEncoding(parse.GetValue(encoding)!)
                ?? throw new UsageException($"unknown encoding '{parse.GetValue(encoding)}'");
            var outputFormat = parse.GetValue(format)!;
            bool segment = segmentOnly || outputFormat == "seg";
            // Segmenting needs neither tagging model: loading none starts sooner and takes a third of the memory.
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var analyzer = model.Load(parse, segment ? [ModelTask.Segmentation] : null);
            var loaded = clock.Elapsed;
            using var target = new OutputTarget(parse.GetValue(outputPath)!, console);
            var output = target.Writer;
            int threadCount = parse.GetValue(threads);
            if (threadCount < 1) throw new UsageException("--threads must be at least 1");
            using var analysis = new LineAnalysis(analyzer, outputFormat, segment, output, threadCount);
            if (parse.GetValue(text) is { } inline)
            {
                foreach (var line in inline.Split('\n')) analysis.Add(line.TrimEnd('\r'));
                analysis.Complete();
                target.Commit();
                return 0;
            }
            var paths = parse.GetValue(files) is { Length: > 0 } given ? given : ["-"];
            // A bar over the bytes of the named files; stdin has no known size.
            long total = paths.Contains("-") ? 0 : paths.Sum(p => new FileInfo(p).Exists ? new FileInfo(p).Length : 0);
            return CliProgress.Run(total > 0 ? console : console with { Terminal = false }, progress =>
            {
                var bar = progress.Add(segment ? "segmenting" : "analyzing", total, "bytes");
                long before = 0, lineCount = 0, chars = 0;
                clock.Restart();
                foreach (var path in paths)
                {
                    var stream = path == "-" ? console.OpenStdin() : File.OpenRead(path);
                    using var lines = new LineReader(stream, path == "-" ? "<stdin>" : path, enc);
                    int n = 0;
                    while (lines.TryReadLine(out var line))
                    {
                        analysis.Add(line.ToString());
                        chars += line.Length;
                        lineCount++;
                        if ((++n & 255) == 0) bar.Set(before + lines.BytesRead);
                    }
                    before += lines.BytesRead;
                    bar.Set(before);
                }
                analysis.Complete();
                target.Commit();
                // Throughput without the model load, which a long input or a server pays once.
                double seconds = clock.Elapsed.TotalSeconds;
                console.Info($"hanlex: {(segment ? "segmented" : "analyzed")} {lineCount:N0} lines, {chars:N0} characters in {seconds:F2}s " +
                    $"({chars / Math.Max(seconds, 1e-9) / 1e6:F2} M chars/s, {threadCount} thread{(threadCount == 1 ? "" : "s")}) after loading the model in {loaded.TotalMilliseconds:F0} ms");
                return 0;
            });
        });
        return command;
    }
}
