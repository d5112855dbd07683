using HanLex.Analysis;
using HanLex.Text;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.TokenAttributes;

namespace HanLex.Lucene;

/// <summary>
/// Emits the words HanLex finds, line by line, with offsets into the original text and the part-of-speech tag as the
/// token type (<see cref="PunctuationType"/> for punctuation, <see cref="WordType"/> when not tagging). In search mode
/// a long word is followed, at the same position, by the known words inside it (中华人民共和国 → 中华, 人民, 共和国…),
/// so a query for a part finds the whole.
/// </summary>
public sealed class HanLexTokenizer : Tokenizer
{
    /// <summary>The type of punctuation tokens, as the PKU tag set names it.</summary>
    public const string PunctuationType = "w";

    /// <summary>The type of word tokens when the analyzer does not tag.</summary>
    public const string WordType = "word";

    private readonly LexicalAnalyzer _analyzer;
    private readonly HanLexTokenizerOptions _options;
    private readonly ICharTermAttribute _term;
    private readonly IOffsetAttribute _offset;
    private readonly ITypeAttribute _type;
    private readonly IPositionIncrementAttribute _increment;
    private readonly List<Token> _tokens = [];
    private int _next;
    private int _length;

    private readonly record struct Token(int Start, int End, string Type, bool Stacked);

    public HanLexTokenizer(TextReader input, LexicalAnalyzer analyzer, HanLexTokenizerOptions? options = null) : base(input)
    {
        _analyzer = analyzer;
        _options = options ?? new HanLexTokenizerOptions();
        _term = AddAttribute<ICharTermAttribute>();
        _offset = AddAttribute<IOffsetAttribute>();
        _type = AddAttribute<ITypeAttribute>();
        _increment = AddAttribute<IPositionIncrementAttribute>();
    }

    private string _text = "";

    public override void Reset()
    {
        base.Reset();
        _text = m_input.ReadToEnd();
        _length = _text.Length;
        _tokens.Clear();
        _next = 0;
        int lineStart = 0;
        while (lineStart <= _text.Length)
        {
            int lineEnd = _text.IndexOf('\n', lineStart);
            if (lineEnd < 0) lineEnd = _text.Length;
            AddLine(lineStart, lineEnd);
            lineStart = lineEnd + 1;
        }
    }

    private void AddLine(int start, int end)
    {
        if (end == start) return;
        if (_options.Tag)
        {
            foreach (var w in _analyzer.Analyze(_text[start..end]).Words) AddWord(start + w.Offset, start + w.End, w.Tag ?? WordType);
            return;
        }
        // Untagged: the words' ranges of the line where it stands, with no string for it or its words.
        var line = _text.AsSpan(start, end - start);
        if (_ranges.Length < line.Length) _ranges = new Range[Math.Max(line.Length, 2 * _ranges.Length)];
        int count = _analyzer.Segment(line, _ranges);
        foreach (var r in _ranges.AsSpan(0, count)) AddWord(start + r.Start.Value, start + r.End.Value, WordType);
    }

    private Range[] _ranges = [];

    private void AddWord(int start, int end, string type)
    {
        bool punctuation = IsPunctuation(_text.AsSpan(start, end - start));
        _tokens.Add(new Token(start, end, punctuation ? PunctuationType : type, Stacked: false));
        if (_options.SearchMode && !punctuation && end - start > 2) AddSubWords(start, end, type);
    }

    /// <summary>Known words strictly inside a long word, in order of start then length.</summary>
    private void AddSubWords(int start, int end, string type)
    {
        int longest = end - start - 1;
        for (int s = start; s < end - 1; s++)
            for (int len = 2; len <= longest && s + len <= end; len++)
                if (_analyzer.IsKnownWord(_text.AsSpan(s, len)))
                    _tokens.Add(new Token(s, s + len, type, Stacked: true));
    }

    private static bool IsPunctuation(ReadOnlySpan<char> word)
    {
        foreach (char c in word)
            if (CharClassifier.Classify(c) is not (CharClass.Punctuation or CharClass.Other) || char.IsLetterOrDigit(c)) return false;
        return true;
    }

    public override bool IncrementToken()
    {
        if (_next >= _tokens.Count) return false;
        ClearAttributes();
        var t = _tokens[_next++];
        int length = t.End - t.Start;
        _text.CopyTo(t.Start, _term.ResizeBuffer(length), 0, length);
        _term.SetLength(length);
        _offset.SetOffset(CorrectOffset(t.Start), CorrectOffset(t.End));
        _type.Type = t.Type;
        _increment.PositionIncrement = t.Stacked ? 0 : 1;
        return true;
    }

    public override void End()
    {
        base.End();
        int final = CorrectOffset(_length);
        _offset.SetOffset(final, final);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _tokens.Clear();
            _text = "";
        }
    }
}

/// <summary>How <see cref="HanLexTokenizer"/> cuts text.</summary>
public sealed record HanLexTokenizerOptions
{
    /// <summary>Tag words (token type = POS tag); off is faster and gives every word the type <c>word</c>.</summary>
    public bool Tag { get; init; } = true;

    /// <summary>Also emit the known sub-words of long words, stacked at the long word's position.</summary>
    public bool SearchMode { get; init; }
}
