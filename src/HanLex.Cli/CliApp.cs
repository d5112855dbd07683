using System.CommandLine;
using HanLex.Cli.Commands;
using HanLex.Corpus;
using HanLex.Evaluation;

namespace HanLex.Cli;

/// <summary>Wires the commands; each command's work lives in the library.</summary>
public static class CliApp
{
    public static RootCommand Build(CliConsole console) => Build(console, out _);

    private static RootCommand Build(CliConsole console, out Option<bool> quiet)
    {
        var root = new RootCommand("HanLex: Chinese word segmentation, part-of-speech tagging and named-entity recognition.");
        // Every command takes --quiet: no progress bars and no informational lines on stderr.
        quiet = new Option<bool>("--quiet", "-q")
        {
            Description = "No progress bars or informational messages (warnings and errors still show)",
            Recursive = true,
        };
        root.Options.Add(quiet);
        root.Subcommands.Add(AnalyzeCommand.Create(console, segmentOnly: false));
        root.Subcommands.Add(AnalyzeCommand.Create(console, segmentOnly: true));
        root.Subcommands.Add(TrainCommand.Create(console));
        root.Subcommands.Add(LearnCommand.Create(console));
        root.Subcommands.Add(StatsCommand.Create(console));
        root.Subcommands.Add(ConvertCommand.Create(console));
        root.Subcommands.Add(SplitCommand.Create(console));
        root.Subcommands.Add(EvalCommand.Create(console));
        root.Subcommands.Add(ServeCommand.Create(console));
        return root;
    }

    public static int Run(string[] args, CliConsole console)
    {
        try
        {
            var parse = Build(console, out var quiet).Parse(args);
            if (parse.Errors.Count > 0)
            {
                foreach (var error in parse.Errors) console.Error.WriteLine($"hanlex: error: {error.Message}");
                console.Error.WriteLine($"Run '{CommandPath(parse)} --help' for usage.");
                return (int)ExitCode.Usage;
            }
            console.Quiet = parse.GetValue(quiet);
            int code = parse.Invoke(new InvocationConfiguration
            {
                Output = console.Out,
                Error = console.Error,
                EnableDefaultExceptionHandler = false,
            });
            console.Out.Flush(); // the output's last bytes: a full disk is this command's error too
            return code;
        }
        catch (IOException e) when (e.HResult == BrokenPipe)
        {
            return (int)ExitCode.OutputClosed;
        }
        catch (Exception e) when (Describe(e) is { } message)
        {
            console.Error.WriteLine(message);
            return (int)ExitCode.BadInput;
        }
        catch (UsageException e)
        {
            console.Error.WriteLine($"hanlex: error: {e.Message}");
            return (int)ExitCode.Usage;
        }
        finally
        {
            // After an error, what output there is goes out; if it cannot, the error already reported stands.
            try
            {
                console.Out.Flush();
                console.Error.Flush();
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>EPIPE: what writing to a pipe whose reader has gone gives (Linux and macOS).</summary>
    private const int BrokenPipe = 32;

    private static string CommandPath(ParseResult parse)
    {
        var names = new List<string>();
        for (var r = parse.CommandResult; r is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
            names.Insert(0, r.Command is RootCommand ? "hanlex" : r.Command.Name);
        return string.Join(' ', names);
    }

    /// <summary>The message for an error caused by input, or null for a bug (which keeps its stack trace).</summary>
    private static string? Describe(Exception e) => e switch
    {
        CorpusException c => c.Diagnostic.ToString(),
        EvaluationException v => $"hanlex: error: {v.Message}",
        HanLex.Models.ModelFormatException m => $"hanlex: error: {m.Message}",
        FileNotFoundException f => $"hanlex: error: no such file: {f.FileName}",
        DirectoryNotFoundException d => $"hanlex: error: {d.Message}",
        UnauthorizedAccessException u => $"hanlex: error: {u.Message}",
        IOException io => $"hanlex: error: {io.Message}",
        InvalidDataException d => $"hanlex: error: {d.Message}",
        _ => null,
    };
}

/// <summary>A command line that parses but makes no sense (an unknown format name, a ratio out of range).</summary>
public sealed class UsageException(string message) : Exception(message);
