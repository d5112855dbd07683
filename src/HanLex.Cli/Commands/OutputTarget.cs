using System.Text;
using HanLex.IO;

namespace HanLex.Cli.Commands;

/// <summary>An output file written atomically, or standard output for <c>-</c>.</summary>
internal sealed class OutputTarget : IDisposable
{
    private readonly AtomicFile? _file;
    private bool _committed;

    public OutputTarget(string path, CliConsole console)
    {
        if (path == "-")
        {
            Writer = console.Out;
            return;
        }
        _file = new AtomicFile(path);
        Writer = new StreamWriter(_file.Stream, new UTF8Encoding(false), 1 << 16, leaveOpen: true) { NewLine = "\n" };
    }

    public TextWriter Writer { get; }

    public void Commit()
    {
        Writer.Flush();
        _file?.Commit();
        _committed = true;
    }

    public void Dispose()
    {
        if (_file is null || _committed) return;
        Writer.Dispose();
        _file.Dispose();
    }
}
