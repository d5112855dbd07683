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
        var directory = Path.GetDirectoryName(_path)!;
        RemoveStale(directory, Path.GetFileName(_path));
        _temp = Path.Combine(directory, $".{Path.GetFileName(_path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        Stream = new FileStream(_temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16);
    }

    public FileStream Stream { get; }

    /// <summary>Deletes temporary files that a killed process left for the same target.</summary>
    private static void RemoveStale(string directory, string name) => RemoveStaleMatching(directory, $".{name}.*.tmp");

    /// <summary>
    /// Deletes the temporary files that killed processes left in <paramref name="directory"/>, for any target: a
    /// directory of files saved together (a model's) is cleared by its next save, whichever file a kill interrupted.
    /// </summary>
    public static void RemoveStaleIn(string directory) => RemoveStaleMatching(directory, ".*.tmp");

    private static void RemoveStaleMatching(string directory, string pattern)
    {
        if (!Directory.Exists(directory)) return;
        foreach (var temp in Directory.EnumerateFiles(directory, pattern))
        {
            // .{name}.{process id}.{32 hex digits}.tmp: only this class's own, and only a process that is gone.
            var parts = Path.GetFileName(temp).Split('.');
            if (parts.Length < 5 || parts[^2].Length != 32 || !int.TryParse(parts[^3], out int pid) || IsRunning(pid)) continue;
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

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
