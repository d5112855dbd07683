using System.Text;

namespace HanLex.Cli;

/// <summary>
/// Where a command reads and writes, so tests can run commands in memory. <paramref name="Terminal"/>: stderr is a
/// terminal, so progress bars may be drawn there.
/// </summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error, Func<Stream> OpenStdin, bool Terminal = false)
{
    /// <summary>Set by <c>--quiet</c>: no progress, no informational lines; warnings and errors still show.</summary>
    public bool Quiet { get; set; }

    /// <summary>Draw progress bars: on a terminal, unless quiet.</summary>
    public bool ShowProgress => Terminal && !Quiet;

    /// <summary>An informational line on stderr (what was written, how long it took), dropped when quiet.</summary>
    public void Info(string message)
    {
        if (!Quiet) Error.WriteLine(message);
    }

    public static CliConsole CreateSystem() => new(
        new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false },
        new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true },
        Console.OpenStandardInput,
        Terminal: !Console.IsErrorRedirected);
}
