using HanLex.Corpus;
using HanLex.Text;

namespace HanLex.Lexicon;

/// <summary>A word a user wants kept whole, with an optional tag and frequency.</summary>
public sealed record DictionaryEntry(string Word, string? Tag = null, long? Frequency = null);

/// <summary>
/// Words the analyzer must keep whole: a dictionary word is never split nor merged with a neighbour, unless that would
/// cross another dictionary word. It belongs to the analyzers it is given to, never to the process. Changes apply to
/// the next call at once: readers see an immutable snapshot, writers swap in a new one.
/// </summary>
public sealed class UserDictionary
{
    private sealed record Snapshot(Dictionary<string, DictionaryEntry> Entries, int MaxLength)
    {
        public readonly Dictionary<string, DictionaryEntry>.AlternateLookup<ReadOnlySpan<char>> Lookup =
            Entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    private volatile Snapshot _snapshot = new(new(StringComparer.Ordinal), 0);
    private readonly Lock _writeLock = new();

    public UserDictionary(IEnumerable<DictionaryEntry>? entries = null)
    {
        if (entries is not null) AddRange(entries);
    }

    public int Count => _snapshot.Entries.Count;

    /// <summary>Whether the dictionary holds this word, given normalized (see <see cref="Text.CharClassifier.Normalize"/>).</summary>
    public bool ContainsNormalized(ReadOnlySpan<char> word) => _snapshot.Lookup.ContainsKey(word);

    public IEnumerable<DictionaryEntry> Entries => _snapshot.Entries.Values;

    public void Add(string word, string? tag = null, long? frequency = null) => AddRange([new DictionaryEntry(word, tag, frequency)]);

    public void AddRange(IEnumerable<DictionaryEntry> entries)
    {
        lock (_writeLock)
        {
            var copy = new Dictionary<string, DictionaryEntry>(_snapshot.Entries, StringComparer.Ordinal);
            foreach (var e in entries)
            {
                if (string.IsNullOrEmpty(e.Word) || e.Word.Any(CharClassifier.IsWhitespace))
                    throw new ArgumentException($"a dictionary word must be non-empty and free of whitespace: '{e.Word}'");
                copy[Normalize(e.Word)] = e;
            }
            _snapshot = new Snapshot(copy, copy.Count == 0 ? 0 : copy.Keys.Max(k => k.Length));
        }
    }

    public bool Remove(string word)
    {
        lock (_writeLock)
        {
            var copy = new Dictionary<string, DictionaryEntry>(_snapshot.Entries, StringComparer.Ordinal);
            bool removed = copy.Remove(Normalize(word));
            _snapshot = new Snapshot(copy, copy.Count == 0 ? 0 : copy.Keys.Max(k => k.Length));
            return removed;
        }
    }

    /// <summary>
    /// Reads <c>word [tag] [frequency]</c> lines; <c>#</c> starts a comment. A malformed line throws
    /// <see cref="CorpusException"/> naming file, line and column.
    /// </summary>
    public static UserDictionary Load(string path)
    {
        var entries = new List<DictionaryEntry>();
        using var lines = new Corpus.LineReader(File.OpenRead(path), path);
        while (lines.TryReadLine(out var line))
        {
            int hash = line.IndexOf('#');
            if (hash >= 0) line = line[..hash];
            var fields = line.ToString().Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0) continue;
            string? tag = null;
            long? frequency = null;
            foreach (var field in fields.Skip(1))
            {
                if (long.TryParse(field, out long f) && frequency is null) frequency = f;
                else if (tag is null && PeopleDailyParser.IsTag(field)) tag = field;
                else
                {
                    int column = line.ToString().IndexOf(field, StringComparison.Ordinal) + 1;
                    throw new CorpusException(new CorpusDiagnostic(Severity.Error, path, lines.LineNumber, column,
                        $"unexpected '{field}': a dictionary line is 'word [tag] [frequency]'"));
                }
            }
            entries.Add(new DictionaryEntry(fields[0], tag, frequency));
        }
        return new UserDictionary(entries);
    }

    internal static string Normalize(string word) => string.Create(word.Length, word, static (span, w) =>
    {
        for (int i = 0; i < w.Length; i++) span[i] = CharClassifier.Normalize(w[i]);
    });

    /// <summary>
    /// Finds dictionary words in <paramref name="normalized"/> left to right, longest first; a match never overlaps
    /// an earlier one. Calls <paramref name="found"/> with start, length and entry.
    /// </summary>
    internal void Match(ReadOnlySpan<char> normalized, List<(int Start, int Length, DictionaryEntry Entry)> found)
    {
        var snap = _snapshot;
        if (snap.MaxLength == 0) return;
        for (int i = 0; i < normalized.Length;)
        {
            int max = Math.Min(snap.MaxLength, normalized.Length - i);
            int matched = 0;
            for (int len = max; len >= 1; len--)
            {
                if (snap.Lookup.TryGetValue(normalized.Slice(i, len), out var entry))
                {
                    found.Add((i, len, entry));
                    matched = len;
                    break;
                }
            }
            i += matched > 0 ? matched : 1;
        }
    }
}
