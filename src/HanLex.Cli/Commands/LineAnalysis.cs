using System.Collections.Concurrent;
using System.Text;
using HanLex.Analysis;
using HanLex.Corpus;

namespace HanLex.Cli.Commands;

/// <summary>
/// Analyzes lines and writes one output line for each, in input order. Lines go in batches, analyzed together (faster:
/// see <see cref="LexicalAnalyzer.Analyze(IReadOnlyList{string})"/>). With more than one thread, batches go through a
/// bounded pipeline: the reader queues them, one waiting for each analyzing thread, the analyzing threads take them in
/// turn, and a writer takes their results in order. A giant line is written piece by piece, so that its words are
/// never all in memory.
/// </summary>
internal sealed class LineAnalysis : IDisposable
{
    private const int BatchChars = 64 * 1024;
    private const int MaxPooledChars = 1 << 20;
    private readonly LexicalAnalyzer _analyzer;
    private readonly string _format;
    private readonly bool _segment;
    private readonly TextWriter _output;
    private readonly int _threads;
    private readonly StringBuilder _sb = new();
    private readonly BlockingCollection<Action> _ordered;
    private readonly BlockingCollection<(List<string> Lines, TaskCompletionSource<StringBuilder> Result)> _queued;
    private readonly ConcurrentBag<StringBuilder> _builders = [];
    private readonly Task? _writer;
    private readonly Task[] _workers = [];
    private readonly CancellationTokenSource _writeFailed = new();
    private List<string> _batch = [];
    private int _batchChars;

    public LineAnalysis(LexicalAnalyzer analyzer, string format, bool segment, TextWriter output, int threads)
    {
        _analyzer = analyzer;
        _format = format;
        _segment = segment;
        _output = output;
        _threads = threads;
        _ordered = new BlockingCollection<Action>(boundedCapacity: 4 * threads);
        // A batch waits ready for each analyzing thread: when one finishes, it goes on at once. When the reader handed a
        // thread its next batch only after it finished, two threads segmented 10-15% slower.
        _queued = new(boundedCapacity: threads);
        if (threads == 1) return;
        _writer = Task.Factory.StartNew(WriteInOrder, TaskCreationOptions.LongRunning);
        _workers = Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(AnalyzeQueued, TaskCreationOptions.LongRunning)).ToArray();
    }

    public void Add(string line)
    {
        if (IsGiant(line))
        {
            Flush();
            if (_threads == 1) WriteGiant(line);
            else Hand(() => WriteGiant(line));
            return;
        }
        _batch.Add(line);
        _batchChars += line.Length + 1;
        if (_batchChars >= BatchChars) Flush();
    }

    /// <summary>Writes everything still in flight; call before committing the output.</summary>
    public void Complete()
    {
        Flush();
        if (_writer is null) return;
        _queued.CompleteAdding();
        _ordered.CompleteAdding();
        _writer.GetAwaiter().GetResult();
        Task.WaitAll(_workers);
    }

    private void Flush()
    {
        if (_batch.Count == 0) return;
        var lines = _batch;
        _batch = [];
        _batchChars = 0;
        if (_threads == 1)
        {
            _sb.Clear();
            Append(_sb, lines);
            _output.Write(_sb);
            return;
        }
        var result = new TaskCompletionSource<StringBuilder>();
        Hand(() =>
        {
            var sb = result.Task.GetAwaiter().GetResult();
            _output.Write(sb);
            if (sb.Length > MaxPooledChars) return; // a batch of long JSON lines: not kept for ever
            sb.Clear();
            _builders.Add(sb);
        }, (lines, result));
    }

    /// <summary>
    /// Gives the writer its next write, in input order, and the analyzing threads the batch it waits for. Once the
    /// writer has failed (a full disk), throws its error: nothing takes from the queues any more, and the reader would
    /// wait for ever.
    /// </summary>
    private void Hand(Action write, (List<string>, TaskCompletionSource<StringBuilder>)? batch = null)
    {
        try
        {
            _ordered.Add(write, _writeFailed.Token);
            if (batch is { } queued) _queued.Add(queued, _writeFailed.Token);
        }
        catch (OperationCanceledException)
        {
            _writer!.GetAwaiter().GetResult();
            throw;
        }
    }

    private void AnalyzeQueued()
    {
        foreach (var (lines, result) in _queued.GetConsumingEnumerable(_writeFailed.Token))
        {
            try
            {
                // Each batch's text goes into a builder the writer hands back once written: a builder's memory, one
                // array after its first batch, serves batch after batch. A new builder a batch made the collector
                // copy the batches in flight out of its youngest generation, in pauses that stop both threads.
                if (!_builders.TryTake(out var sb)) sb = new StringBuilder();
                Append(sb, lines);
                result.SetResult(sb);
            }
            catch (Exception e)
            {
                result.SetException(e);
            }
        }
    }

    private void WriteInOrder()
    {
        try
        {
            foreach (var write in _ordered.GetConsumingEnumerable()) write();
        }
        catch
        {
            _writeFailed.Cancel();
            throw;
        }
    }

    private bool IsGiant(string line) => line.Length > LexicalAnalyzer.MaxPieceLength && _format is "seg" or "pd2014" or "pd1998";

    /// <summary>A batch of lines, analyzed together: each model runs over the whole batch in turn and stays in cache.</summary>
    private void Append(StringBuilder sb, List<string> lines)
    {
        if (_segment && _format == "seg") AppendSegmented(sb, lines);
        else if (_segment) foreach (var line in lines) Write(sb, _analyzer.Segment(line), _format);
        else foreach (var s in _analyzer.Analyze(lines)) Write(sb, s, _format);
    }

    /// <summary>Segmented text straight from the words' ranges: no string per word.</summary>
    private void AppendSegmented(StringBuilder sb, List<string> lines)
    {
        var words = new Range[lines.Max(l => l.Length)];
        foreach (var line in lines)
        {
            SegmentedText.Append(sb, line, words.AsSpan(0, _analyzer.Segment(line, words)));
            sb.Append('\n');
        }
    }

    /// <summary>A giant line, piece by piece: the same words as analyzing it whole, never all in memory.</summary>
    private void WriteGiant(string line)
    {
        var sb = new StringBuilder();
        bool first = true;
        foreach (var piece in _analyzer.AnalyzePieces(line, _segment))
        {
            if (piece.IsEmpty) continue;
            sb.Clear();
            if (!first && _format != "pd1998") sb.Append(' '); // 1998 lines end each word with two spaces already
            Write(sb, piece, _format);
            sb.Length--; // the piece's line end
            _output.Write(sb);
            first = false;
        }
        _output.Write('\n');
    }

    public static void Write(StringBuilder sb, Sentence s, string format)
    {
        switch (format)
        {
            case "pd2014": PeopleDailyWriter.Append(sb, s, PeopleDailyDialect.Pd2014); sb.Append('\n'); break;
            case "pd1998": if (!s.IsEmpty) PeopleDailyWriter.Append(sb, s, PeopleDailyDialect.Pd1998); sb.Append('\n'); break;
            case "seg": SegmentedText.Append(sb, s); sb.Append('\n'); break;
            case "conllu": if (!s.IsEmpty) Conllu.Append(sb, s); sb.Append('\n'); break;
            default: sb.Append(SentenceJson.From(s).ToJson()).Append('\n'); break;
        }
    }

    public void Dispose()
    {
        if (_writer is not null)
        {
            // Done, or failed half way (bad input, the writer's error): no thread is left running.
            _queued.CompleteAdding();
            _ordered.CompleteAdding();
            try { Task.WaitAll([.. _workers, _writer]); } catch (AggregateException) { }
        }
        _ordered.Dispose();
        _queued.Dispose();
        _writeFailed.Dispose();
    }
}
