using System.CommandLine;
using HanLex.Analysis;
using HanLex.Lexicon;
using HanLex.Models;

namespace HanLex.Cli.Commands;

/// <summary>The <c>--model</c> and <c>--dict</c> options, and where the default model lives.</summary>
internal sealed class ModelOptions
{
    public Option<string?> Model { get; } = new("--model", "-m")
    {
        Description = "Model directory (default: the shipped People's Daily 1998 model)",
    };

    public Option<string[]> Dictionaries { get; } = new("--dict")
    {
        Description = "User dictionary: one word a line, optional tag and frequency, # comments (repeatable)",
        AllowMultipleArgumentsPerToken = false,
    };

    public void AddTo(Command command, bool dictionaries = true)
    {
        command.Options.Add(Model);
        if (dictionaries) command.Options.Add(Dictionaries);
    }

    /// <param name="only">The models the command needs (null: all).</param>
    public LexicalAnalyzer Load(ParseResult parse, IReadOnlyCollection<ModelTask>? only = null)
    {
        var dictionaries = (parse.GetValue(Dictionaries) ?? []).Select(UserDictionary.Load).ToList();
        return parse.GetValue(Model) is { } dir
            ? LexicalAnalyzer.Load(dir, dictionaries, only)
            : DefaultModel.LoadAnalyzer(dictionaries, only);
    }
}
