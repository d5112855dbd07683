namespace HanLex.Corpus;

/// <summary>
/// Parses one line of People's Daily annotation (either dialect) into a <see cref="Sentence"/>.
/// Both label spellings, <c>]/nt</c> and <c>]nt</c>, are accepted; whitespace that is not the dialect's
/// canonical separator is accepted and reported as a warning.
/// </summary>
public sealed class PeopleDailyParser(PeopleDailyDialect dialect)
{
    private readonly TagInterner _tags = new();

    public PeopleDailyDialect Dialect => dialect;

    /// <summary>Parses one line of text in <paramref name="dialect"/>; throws <see cref="CorpusException"/> on malformed input.</summary>
    public static Sentence Parse(string line, PeopleDailyDialect dialect = PeopleDailyDialect.Pd2014) =>
        new PeopleDailyParser(dialect).Parse(line, "<text>", 1, null);

    /// <summary>Parses <paramref name="line"/>; throws <see cref="CorpusException"/> on malformed input.</summary>
    public Sentence Parse(ReadOnlySpan<char> line, string file, int lineNumber, Action<CorpusDiagnostic>? warn)
    {
        var words = new List<Word>(line.Length / 3 + 1);
        var compounds = new List<Compound>();
        string? id = null;
        int compoundStart = -1, compoundColumn = 0;
        int offset = 0;
        int pos = 0;
        bool irregular = false;
        string separator = dialect == PeopleDailyDialect.Pd1998 ? "  " : " ";

        // Leading whitespace is irregular in both dialects.
        while (pos < line.Length && IsSpace(line[pos])) pos++;
        if (pos > 0 && pos < line.Length)
        {
            irregular = true;
            Warn(warn, file, lineNumber, 1, "irregular whitespace at the start of the line; normalized");
        }
        if (pos == line.Length)
        {
            if (line.Length > 0) Warn(warn, file, lineNumber, 1, "line holds only whitespace; read as an empty line");
            return new Sentence([], [], null, lineNumber);
        }

        bool firstToken = true;
        while (pos < line.Length)
        {
            int tokenStart = pos;
            while (pos < line.Length && !IsSpace(line[pos])) pos++;
            var token = line[tokenStart..pos];
            int column = tokenStart + 1;

            int gapStart = pos;
            while (pos < line.Length && IsSpace(line[pos])) pos++;
            var gap = line[gapStart..pos];
            bool last = pos == line.Length;
            if (!irregular)
            {
                bool ok = last
                    ? (dialect == PeopleDailyDialect.Pd1998 ? gap is "  " : gap.IsEmpty)
                    : gap.SequenceEqual(separator);
                if (!ok) irregular = true;
                if (!ok) Warn(warn, file, lineNumber, gapStart + 1, last
                    ? $"irregular whitespace at the end of the line (the {Spell(dialect)} dialect ends a line with {(dialect == PeopleDailyDialect.Pd1998 ? "two spaces" : "the last word")}); normalized"
                    : $"irregular whitespace between words ({Describe(gap)} instead of {Describe(separator)}); normalized");
            }

            if (firstToken && dialect == PeopleDailyDialect.Pd1998 && IsLineId(token))
            {
                id = token[..^2].ToString();
                firstToken = false;
                continue;
            }
            firstToken = false;

            // Opening bracket: "[word/tag"; a bare "[/w" is the bracket character as a word.
            if (token.Length > 1 && token[0] == '[' && token[1] != '/')
            {
                if (compoundStart >= 0)
                    throw Error(file, lineNumber, column, $"nested '[' in '{token}': the compound opened at column {compoundColumn} is not closed");
                compoundStart = words.Count;
                compoundColumn = column;
                token = token[1..];
                column++;
            }

            // Closing bracket: "word/tag]/label" or "word/tag]label".
            string? label = null;
            int close = token.LastIndexOf(']');
            if (close > 0 && token[..close].Contains('/'))
            {
                var rest = token[(close + 1)..];
                if (rest.Length > 0 && rest[0] == '/') rest = rest[1..];
                if (rest.Length > 0 && IsTag(rest))
                {
                    if (compoundStart < 0)
                        throw Error(file, lineNumber, column + close, $"']' in '{token}' closes no compound");
                    label = rest.ToString();
                    token = token[..close];
                }
            }

            int slash = token.LastIndexOf('/');
            if (slash < 0)
                throw Error(file, lineNumber, column, $"missing tag in '{token}': expected word/tag");
            if (slash == 0)
                throw Error(file, lineNumber, column, $"empty word in '{token}'");
            var tag = token[(slash + 1)..];
            if (tag.IsEmpty)
                throw Error(file, lineNumber, column + slash + 1, $"missing tag in '{token}': nothing after '/'");
            if (!IsTag(tag))
                throw Error(file, lineNumber, column + slash + 1, $"bad tag '{tag}' in '{token}': a tag is a letter followed by letters or digits");

            var text = token[..slash].ToString();
            words.Add(new Word(text, _tags.Get(tag), offset));
            offset += text.Length;

            if (label is not null)
            {
                compounds.Add(new Compound(compoundStart, words.Count - compoundStart, _tags.Get(label)));
                compoundStart = -1;
            }
        }
        if (compoundStart >= 0)
            throw Error(file, lineNumber, compoundColumn, "unbalanced '[': the compound is not closed by the end of the line");
        return new Sentence(words, compounds, id, lineNumber);
    }

    /// <summary>True for a 1998 line id token <c>YYYYMMDD-PP-AAA-SSS/m</c> (date, page, article, sentence).</summary>
    public static bool IsLineId(ReadOnlySpan<char> token)
    {
        if (token.Length != 21 || !token.EndsWith("/m")) return false;
        for (int i = 0; i < 19; i++)
        {
            bool dash = i is 8 or 11 or 15;
            if (dash ? token[i] != '-' : !char.IsAsciiDigit(token[i])) return false;
        }
        return true;
    }

    internal static bool IsTag(ReadOnlySpan<char> tag)
    {
        if (tag.IsEmpty || !char.IsAsciiLetter(tag[0])) return false;
        foreach (char c in tag) if (!char.IsAsciiLetterOrDigit(c)) return false;
        return true;
    }

    private static bool IsSpace(char c) => c is ' ' or '\t';

    private static string Spell(PeopleDailyDialect d) => d == PeopleDailyDialect.Pd1998 ? "1998" : "2014";

    private static string Describe(ReadOnlySpan<char> gap) =>
        gap.IsEmpty ? "nothing" : gap.IndexOf('\t') >= 0 ? "a tab" : gap.Length == 1 ? "one space" : $"{gap.Length} spaces";

    private static void Warn(Action<CorpusDiagnostic>? warn, string file, int line, int column, string message) =>
        warn?.Invoke(new CorpusDiagnostic(Severity.Warning, file, line, column, message));

    private static CorpusException Error(string file, int line, int column, string message) =>
        new(new CorpusDiagnostic(Severity.Error, file, line, column, message));
}
