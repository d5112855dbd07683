using System.Collections.Concurrent;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace HanLex.Cli;

/// <summary>
/// Progress bars with rate and time left on stderr while a long job runs, when stderr is a terminal (Spectre.Console);
/// otherwise, and with <c>--quiet</c>, the job runs without them and only its log lines are written.
/// </summary>
internal sealed class CliProgress
{
    private readonly CliConsole _console;
    private readonly ProgressContext? _context;
    private readonly IAnsiConsole? _ansi;
    private readonly Lock _lock = new();
    private readonly ConcurrentDictionary<int, string> _units;

    private CliProgress(CliConsole console, ProgressContext? context, IAnsiConsole? ansi, ConcurrentDictionary<int, string> units)
    {
        _console = console;
        _context = context;
        _ansi = ansi;
        _units = units;
    }

    /// <summary>Runs <paramref name="work"/>, drawing the bars it adds until it returns.</summary>
    public static T Run<T>(CliConsole console, Func<CliProgress, T> work)
    {
        var units = new ConcurrentDictionary<int, string>();
        if (!console.ShowProgress) return work(new CliProgress(console, null, null, units));
        var ansi = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        return ansi.Progress()
            .AutoClear(true)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RateColumn(units),
                new RemainingTimeColumn(), new ElapsedTimeColumn())
            .Start(context => work(new CliProgress(console, context, ansi, units)));
    }

    /// <summary>A bar for <paramref name="total"/> units (sentences, characters, bytes) named <paramref name="unit"/>.</summary>
    public Bar Add(string name, double total, string unit)
    {
        lock (_lock)
        {
            var task = _context?.AddTask(name, maxValue: Math.Max(1, total));
            if (task is not null) _units[task.Id] = unit;
            return new Bar(task);
        }
    }

    /// <summary>A line above the bars (or on stderr when there are none).</summary>
    public void Log(string message)
    {
        lock (_lock)
        {
            if (_ansi is not null) _ansi.WriteLine(message);
            else _console.Info(message);
        }
    }

    public sealed class Bar(ProgressTask? task)
    {
        public void Set(double value)
        {
            if (task is not null) task.Value = value;
        }

        public void Description(string text)
        {
            if (task is not null) task.Description = Markup.Escape(text);
        }
    }

    /// <summary>Units per second of a bar, with its unit's name.</summary>
    private sealed class RateColumn(ConcurrentDictionary<int, string> units) : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            var unit = units.GetValueOrDefault(task.Id, "");
            double speed = task.Speed ?? 0;
            string text = unit == "bytes"
                ? $"{speed / 1048576:F1} MB/s"
                : speed >= 1e6 ? $"{speed / 1e6:F2} M {unit}/s" : $"{speed:N0} {unit}/s";
            return new Spectre.Console.Text(text, Style.Plain);
        }
    }
}
