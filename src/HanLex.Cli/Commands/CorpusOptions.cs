using System.CommandLine;
using System.Text;
using HanLex.Corpus;

namespace HanLex.Cli.Commands;

/// <summary>The options every command that reads a corpus shares: format, encoding, strictness, warnings.</summary>
internal sealed class CorpusOptions
{
    public Option<string?> Format { get; } = new("--format", "-f")
    {
        Description = "Input format: " + string.Join('|', CorpusFormats.Names) + " (default: detected)",
    };

    public Option<string> Encoding { get; } = new("--encoding")
    {
        Description = "Input encoding: utf-8 or gb18030 (GBK)",
        DefaultValueFactory = _ => "utf-8",
    };

    public Option<bool> Lenient { get; } = new("--lenient")
    {
        Description = "Skip malformed sentences (each is reported and counted) instead of stopping at the first",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Format);
        command.Options.Add(Encoding);
        command.Options.Add(Lenient);
    }

    public CorpusReaderOptions Resolve(ParseResult parse, DiagnosticPrinter printer, Option<string?>? formatOption = null)
    {
        var name = parse.GetValue(formatOption ?? Format);
        CorpusFormat? format = null;
        if (name is not null)
            format = CorpusFormats.TryParse(name, out var f) ? f
                : throw new UsageException($"unknown format '{name}'; expected one of {string.Join(", ", CorpusFormats.Names)}");
        var encodingName = parse.GetValue(Encoding)!;
        Encoding encoding = CorpusReaderOptions.ParseEncoding(encodingName)
            ?? throw new UsageException($"unknown encoding '{encodingName}'; expected utf-8 or gb18030");
        return new CorpusReaderOptions
        {
            Format = format,
            Encoding = encoding,
            Lenient = parse.GetValue(Lenient),
            OnDiagnostic = printer.Report,
        };
    }

    public static CorpusReader Open(string path, CorpusReaderOptions options, CliConsole console) =>
        path == "-" ? CorpusReader.FromStream(console.OpenStdin(), "<stdin>", options) : CorpusReader.Open(path, options);
}
