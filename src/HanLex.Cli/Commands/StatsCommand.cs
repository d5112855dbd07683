using System.CommandLine;
using HanLex.Corpus;

namespace HanLex.Cli.Commands;

internal static class StatsCommand
{
    public static Command Create(CliConsole console)
    {
        var files = new Argument<string[]>("files") { Description = "Corpus files (- for stdin)", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var vocabOf = new Option<string?>("--vocab-of") { Description = "Also report the OOV rate against this corpus's vocabulary" };
        var corpus = new CorpusOptions();
        var command = new Command("stats", "Count sentences, words, characters, compounds, tags and vocabulary of corpora") { files, json, vocabOf };
        corpus.AddTo(command);
        command.SetAction(parse =>
        {
            var printer = new DiagnosticPrinter(console.Error);
            var options = corpus.Resolve(parse, printer);
            var stats = new CorpusStatistics();
            var formats = new List<string>();
            int skipped = 0;
            foreach (var path in parse.GetValue(files)!)
            {
                using var reader = CorpusOptions.Open(path, options, console);
                formats.Add(reader.Format.Name());
                foreach (var s in reader) stats.Add(s);
                skipped += reader.Skipped;
            }
            (double Tokens, double Types)? oov = null;
            if (parse.GetValue(vocabOf) is { } other)
            {
                var otherStats = new CorpusStatistics();
                using var reader = CorpusOptions.Open(other, options with { Format = null }, console);
                foreach (var s in reader) otherStats.Add(s);
                oov = stats.OovRate(otherStats.Vocabulary.ToHashSet(StringComparer.Ordinal));
            }
            printer.Summarize(skipped);
            if (parse.GetValue(json)) WriteJson(console.Out, stats, formats, oov, skipped);
            else WriteTable(console.Out, stats, formats, oov, skipped);
            return 0;
        });
        return command;
    }

    private static void WriteJson(TextWriter output, CorpusStatistics s, List<string> formats, (double Tokens, double Types)? oov, int skipped)
    {
        var obj = new Dictionary<string, object>
        {
            ["formats"] = formats,
            ["sentences"] = s.Sentences,
            ["words"] = s.Words,
            ["characters"] = s.Characters,
            ["compounds"] = s.Compounds,
            ["compounds_by_label"] = Sorted(s.CompoundsByLabel),
            ["tags"] = Sorted(s.Tags),
            ["untagged_words"] = s.UntaggedWords,
            ["vocabulary"] = s.Vocabulary.Count,
            ["skipped"] = skipped,
        };
        if (oov is { } o)
        {
            obj["oov_token_rate"] = Math.Round(o.Tokens, 4);
            obj["oov_type_rate"] = Math.Round(o.Types, 4);
        }
        output.WriteLine(Json.Serialize(obj));
    }

    private static void WriteTable(TextWriter output, CorpusStatistics s, List<string> formats, (double Tokens, double Types)? oov, int skipped)
    {
        output.WriteLine($"format        {string.Join(", ", formats.Distinct())}");
        output.WriteLine($"sentences     {s.Sentences,12:N0}");
        output.WriteLine($"words         {s.Words,12:N0}   (compounds flattened)");
        output.WriteLine($"characters    {s.Characters,12:N0}");
        output.WriteLine($"vocabulary    {s.Vocabulary.Count,12:N0}");
        output.WriteLine($"compounds     {s.Compounds,12:N0}   {string.Join("  ", Sorted(s.CompoundsByLabel).Select(kv => $"{kv.Key} {kv.Value:N0}"))}");
        if (skipped > 0) output.WriteLine($"skipped       {skipped,12:N0}");
        if (oov is { } o) output.WriteLine($"OOV rate      {o.Tokens,11:F2}%   of tokens ({o.Types:F2}% of types)");
        if (s.Tags.Count > 0)
        {
            output.WriteLine($"tags          {s.Tags.Count,12:N0}");
            foreach (var (tag, count) in Sorted(s.Tags)) output.WriteLine($"  {tag,-10} {count,12:N0}  {100.0 * count / s.Words,6:F2}%");
        }
    }

    /// <summary>Most frequent first, then by name, so output is stable.</summary>
    private static Dictionary<string, long> Sorted(IReadOnlyDictionary<string, long> d) =>
        d.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value);
}
