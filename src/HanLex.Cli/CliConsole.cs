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
        new StreamWriter(OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false },
        new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true },
        Console.OpenStandardInput,
        Terminal: !Console.IsErrorRedirected);

    /// <summary>
    /// Standard output. A pipe on Linux is written as a plain file, so that a reader that stops (<c>hanlex analyze BIG |
    /// head</c>) stops the command: .NET's console stream ignores a broken pipe, and the command analyzed all its input
    /// for nobody. Terminals and other systems keep the console stream, which also waits out a non-blocking descriptor,
    /// as a terminal shared with another program can be.
    /// </summary>
    private static Stream OpenStandardOutput() =>
        OperatingSystem.IsLinux() && new FileInfo("/proc/self/fd/1").LinkTarget?.StartsWith("pipe:", StringComparison.Ordinal) == true
            ? new FileStream(new Microsoft.Win32.SafeHandles.SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0)
            : Console.OpenStandardOutput();
}
