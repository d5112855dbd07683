using System.Collections;
using System.Text;

namespace HanLex.Corpus;

/// <summary>
/// Streams the sentences of a corpus file in any supported format, holding one sentence at a time.
/// Malformed input throws <see cref="CorpusException"/>, or in lenient mode is skipped, reported and counted.
/// </summary>
public sealed class CorpusReader : IEnumerable<Sentence>, IDisposable
{
    private readonly LineReader _lines;
    private readonly CorpusReaderOptions _options;
    private bool _started;

    private CorpusReader(Stream stream, string name, CorpusFormat format, CorpusReaderOptions options)
    {
        _lines = new LineReader(stream, name, options.Encoding);
        _options = options;
        Format = format;
        File = name;
    }

    public CorpusFormat Format { get; }

    public string File { get; }

    /// <summary>Sentences skipped in lenient mode.</summary>
    public int Skipped { get; private set; }

    /// <summary>Warnings reported so far.</summary>
    public int Warnings { get; private set; }

    /// <summary>Bytes consumed so far.</summary>
    public long BytesRead => _lines.BytesRead;

    /// <summary>Opens a file, or standard input when <paramref name="path"/> is <c>-</c>.</summary>
    public static CorpusReader Open(string path, CorpusReaderOptions? options = null)
    {
        options ??= new CorpusReaderOptions();
        Stream stream = path == "-"
            ? Console.OpenStandardInput()
            : new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return FromStream(stream, path == "-" ? "<stdin>" : path, options);
    }

    public static CorpusReader FromStream(Stream stream, string name, CorpusReaderOptions? options = null)
    {
        options ??= new CorpusReaderOptions();
        var format = options.Format;
        if (format is null)
        {
            var head = new byte[1 << 16];
            int n = 0, read;
            while (n < head.Length && (read = stream.Read(head, n, head.Length - n)) > 0) n += read;
            format = CorpusFormatDetector.Detect(head.AsSpan(0, n), options.Encoding, name);
            stream = new PrefixedStream(head, n, stream);
        }
        return new CorpusReader(stream, name, format.Value, options);
    }

    /// <summary>Reads a whole string (tests, small inputs).</summary>
    public static List<Sentence> ReadAll(string text, CorpusReaderOptions? options = null, string name = "<text>")
    {
        using var reader = FromStream(new MemoryStream(Encoding.UTF8.GetBytes(text)), name, options);
        return reader.ToList();
    }

    public IEnumerator<Sentence> GetEnumerator()
    {
        if (_started) throw new InvalidOperationException("a CorpusReader can be enumerated once");
        _started = true;
        return Format is CorpusFormat.Conllu or CorpusFormat.Bio ? ReadBlocks() : ReadLines();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IEnumerator<Sentence> ReadLines()
    {
        var pd = Format switch
        {
            CorpusFormat.Pd2014 => new PeopleDailyParser(PeopleDailyDialect.Pd2014),
            CorpusFormat.Pd1998 => new PeopleDailyParser(PeopleDailyDialect.Pd1998),
            _ => null,
        };
        Action<CorpusDiagnostic> warn = Warn;
        while (true)
        {
            Sentence? sentence = null;
            try
            {
                if (!_lines.TryReadLine(out var line)) yield break;
                int n = _lines.LineNumber;
                sentence = pd is not null ? pd.Parse(line, File, n, warn)
                    : Format == CorpusFormat.Seg ? SegmentedText.Parse(line, n)
                    : line.IsEmpty ? new Sentence([], [], null, n)
                    : new Sentence([new Word(line.ToString(), null, 0)], [], null, n);
            }
            catch (CorpusException e) when (_options.Lenient)
            {
                Skip(e.Diagnostic);
            }
            if (sentence is not null) yield return sentence;
        }
    }

    private IEnumerator<Sentence> ReadBlocks()
    {
        var rows = new List<(int Line, string Text)>();
        bool more = true;
        while (more)
        {
            Sentence? sentence = null;
            bool bad = false;
            try
            {
                rows.Clear();
                while (true)
                {
                    if (!_lines.TryReadLine(out var line)) { more = false; break; }
                    if (line.IsWhiteSpace())
                    {
                        if (rows.Count > 0) break;
                        continue;
                    }
                    rows.Add((_lines.LineNumber, line.ToString()));
                }
                if (rows.Count > 0)
                    sentence = Format == CorpusFormat.Conllu ? Conllu.Parse(rows, File) : CharacterLabels.Parse(rows, File);
            }
            catch (CorpusException e) when (_options.Lenient)
            {
                Skip(e.Diagnostic);
                bad = true;
            }
            if (bad) SkipToBlankLine(ref more);
            if (sentence is not null) yield return sentence;
        }
    }

    private void SkipToBlankLine(ref bool more)
    {
        // The rest of a block whose row failed to decode belongs to the skipped sentence.
        while (true)
        {
            try
            {
                if (!_lines.TryReadLine(out var line)) { more = false; return; }
                if (line.IsWhiteSpace()) return;
            }
            catch (CorpusException) { }
        }
    }

    private void Warn(CorpusDiagnostic d)
    {
        Warnings++;
        _options.OnDiagnostic?.Invoke(d);
    }

    private void Skip(CorpusDiagnostic d)
    {
        Skipped++;
        _options.OnDiagnostic?.Invoke(d with { Message = d.Message + " (sentence skipped)" });
    }

    public void Dispose() => _lines.Dispose();
}
