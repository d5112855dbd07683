namespace HanLex.IO;

/// <summary>
/// Writes a file through a temporary file beside it and renames it into place on commit, so a failed or killed run
/// never leaves a half-written file where a good one was.
/// </summary>
public sealed class AtomicFile : IDisposable
{
    private readonly string _path;
    private readonly string _temp;
    private bool _committed;

    public AtomicFile(string path)
    {
        _path = Path.GetFullPath(path);
        _temp = Path.Combine(Path.GetDirectoryName(_path)!, $".{Path.GetFileName(_path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        Stream = new FileStream(_temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
    }

    public FileStream Stream { get; }

    /// <summary>Flushes to disk and moves the file into place.</summary>
    public void Commit()
    {
        Stream.Flush(flushToDisk: true);
        Stream.Dispose();
        File.Move(_temp, _path, overwrite: true);
        _committed = true;
    }

    public void Dispose()
    {
        if (_committed) return;
        Stream.Dispose();
        try { File.Delete(_temp); } catch (IOException) { }
    }
}
