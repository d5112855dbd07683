namespace HanLex.Cli.Commands;

/// <summary>
/// One status line for the models training side by side (<c>cws 3/10 [#####-----] 52%  pos …</c>), redrawn in place
/// on a terminal; when stderr is redirected only the per-epoch lines are written.
/// </summary>
internal sealed class TrainingProgress(TextWriter error, bool interactive, int epochs)
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, (int Epoch, double Done)> _tasks = new(StringComparer.Ordinal);
    private int _width;

    public void Report(string task, int epoch, double done)
    {
        if (!interactive) return;
        lock (_lock)
        {
            if (_tasks.TryGetValue(task, out var last) && last.Epoch == epoch && (int)(last.Done * 100) == (int)(done * 100)) return;
            _tasks[task] = (epoch, done);
            var line = string.Join("  ", _tasks.Select(kv =>
            {
                int filled = (int)(kv.Value.Done * 10);
                return $"{kv.Key} {kv.Value.Epoch}/{epochs} [{new string('#', filled)}{new string('-', 10 - filled)}] {kv.Value.Done:P0}";
            }));
            _width = Math.Max(_width, line.Length);
            error.Write("\r" + line.PadRight(_width));
            error.Flush();
        }
    }

    public void Log(string message)
    {
        lock (_lock)
        {
            if (interactive && _width > 0) error.Write("\r" + new string(' ', _width) + "\r");
            error.WriteLine(message);
        }
    }
}
