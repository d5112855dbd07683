using System.CommandLine;
using HanLex.Corpus;

namespace HanLex.Cli.Commands;

internal static class ConvertCommand
{
    public static Command Create(CliConsole console)
    {
        var input = new Argument<string>("in") { Description = "Input corpus (- for stdin)" };
        var output = new Argument<string>("out") { Description = "Output file (- for stdout)" };
        var to = new Option<string>("--to", "-t") { Description = "Output format: " + string.Join('|', CorpusFormats.Names), Required = true };
        var labels = LabelsOption.Create();
        var corpus = new CorpusOptions();
        var command = new Command("convert", "Convert a corpus between formats") { input, output, to, labels };
        corpus.AddTo(command);
        command.SetAction(parse =>
        {
            var printer = new DiagnosticPrinter(console.Error);
            var options = corpus.Resolve(parse, printer);
            var target = LabelsOption.ParseFormat(parse.GetValue(to)!);
            using var reader = CorpusOptions.Open(parse.GetValue(input)!, options, console);
            using var sink = new OutputTarget(parse.GetValue(output)!, console);
            var writer = new CorpusWriter(sink.Writer, target, LabelsOption.Resolve(parse, labels, reader.Format));
            foreach (var sentence in reader) writer.Write(sentence);
            sink.Commit();
            printer.Summarize(reader.Skipped);
            return 0;
        });
        return command;
    }
}
