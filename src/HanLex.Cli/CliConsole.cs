using System.Text;

namespace HanLex.Cli;

/// <summary>Where a command reads and writes, so tests can run commands in memory.</summary>
public sealed record CliConsole(TextWriter Out, TextWriter Error, Func<Stream> OpenStdin)
{
    public static CliConsole System { get; } = new(
        new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false },
        new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true },
        Console.OpenStandardInput);
}
