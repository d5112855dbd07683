using System.CommandLine;
using HanLex.Corpus;

namespace HanLex.Cli.Commands;

internal static class SplitCommand
{
    public static Command Create(CliConsole console)
    {
        var input = new Argument<string>("in") { Description = "Input corpus" };
        var train = new Argument<string>("train") { Description = "Where the first part goes" };
        var test = new Argument<string>("test") { Description = "Where the rest goes" };
        var ratio = new Option<double>("--ratio") { Description = "Share of sentences for the first part", DefaultValueFactory = _ => 0.9 };
        var to = new Option<string?>("--to", "-t") { Description = "Output format (default: the input's)" };
        var corpus = new CorpusOptions();
        var command = new Command("split", "Split a corpus: the first RATIO of its non-empty sentences to TRAIN, the rest to TEST") { input, train, test, ratio, to };
        corpus.AddTo(command);
        command.SetAction(parse =>
        {
            double r = parse.GetValue(ratio);
            if (r is <= 0 or >= 1) throw new UsageException($"--ratio must be between 0 and 1, got {r}");
            var printer = new DiagnosticPrinter(console.Error);
            var options = corpus.Resolve(parse, printer);
            // Counting needs one pass and writing another; a file is read twice to keep memory bounded, stdin is held.
            var path = parse.GetValue(input)!;
            List<Sentence>? held = null;
            int total = 0, skipped = 0;
            CorpusFormat format;
            using (var reader = CorpusOptions.Open(path, options, console))
            {
                format = reader.Format;
                if (path == "-") held = reader.Where(s => !s.IsEmpty).ToList();
                else foreach (var s in reader) if (!s.IsEmpty) total++;
                if (held is not null) total = held.Count;
                skipped = reader.Skipped;
            }
            var target = parse.GetValue(to) is { } name ? LabelsOption.ParseFormat(name) : format;
            int cut = (int)Math.Floor(total * r);
            using var second = held is null ? CorpusOptions.Open(path, options with { Format = format, OnDiagnostic = null }, console) : null;
            using var first = new OutputTarget(parse.GetValue(train)!, console);
            using var rest = new OutputTarget(parse.GetValue(test)!, console);
            var a = new CorpusWriter(first.Writer, target);
            var b = new CorpusWriter(rest.Writer, target);
            int n = 0;
            foreach (var s in (IEnumerable<Sentence>?)held ?? second!)
            {
                if (s.IsEmpty) continue;
                (n++ < cut ? a : b).Write(s);
            }
            first.Commit();
            rest.Commit();
            printer.Summarize(skipped);
            console.Info($"hanlex: {cut} sentences to {parse.GetValue(train)}, {total - cut} to {parse.GetValue(test)}");
            return 0;
        });
        return command;
    }
}
