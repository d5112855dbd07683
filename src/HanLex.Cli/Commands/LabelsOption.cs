using System.CommandLine;
using HanLex.Corpus;

namespace HanLex.Cli.Commands;

/// <summary>The <c>--labels</c> option: which compound labels and word tags are named entities.</summary>
internal static class LabelsOption
{
    public static Option<string?> Create() => new("--labels")
    {
        Description = "Entity labels, comma-separated (default: nr,ns,nt; for character NER files, every entity type)",
    };

    public static EntityLabels Resolve(ParseResult parse, Option<string?> option, params CorpusFormat[] formats)
    {
        if (parse.GetValue(option) is { } list)
            return EntityLabels.Of(list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return formats.Contains(CorpusFormat.Bio) ? EntityLabels.AnyCompound : EntityLabels.Default;
    }

    public static CorpusFormat ParseFormat(string name) =>
        CorpusFormats.TryParse(name, out var f) ? f
            : throw new UsageException($"unknown format '{name}'; expected one of {string.Join(", ", CorpusFormats.Names)}");
}
