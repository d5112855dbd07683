using System.CommandLine;
using HanLex.Analysis;
using HanLex.Corpus;
using HanLex.Models;

namespace HanLex.Cli.Commands;

internal static class LearnCommand
{
    public static Command Create(CliConsole console)
    {
        var modelDir = new Option<string>("--model", "-m") { Description = "Model directory to update", Required = true };
        var text = new Option<string?>("--text") { Description = "One annotated sentence, People's Daily 2014 format" };
        var file = new Option<string?>("--file") { Description = "Annotated sentences, one a line, any tagged format" };
        var command = new Command("learn", "Update a model from annotated sentences so they are then analyzed as taught") { modelDir, text, file };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(modelDir)!;
            var sentences = new List<Sentence>();
            if (parse.GetValue(text) is { } t) sentences.Add(new PeopleDailyParser(PeopleDailyDialect.Pd2014).Parse(t, "--text", 1, null));
            if (parse.GetValue(file) is { } f) using (var reader = CorpusReader.Open(f)) sentences.AddRange(reader.Where(s => !s.IsEmpty));
            if (sentences.Count == 0) throw new UsageException("give --text or --file");
            var analyzer = LexicalAnalyzer.Load(dir);
            analyzer.Learn(sentences);
            analyzer.Models.Save(dir, analyzer.Models.Info.Description + $"; learned {sentences.Count} sentences online");
            foreach (var s in sentences) console.Out.WriteLine(PeopleDailyWriter.Format(analyzer.Analyze(s.Text)));
            return 0;
        });
        return command;
    }
}
