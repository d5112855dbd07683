namespace HanLex.Corpus;

/// <summary>
/// A sentence: its innermost words (compounds flattened), the compounds over them, and optional metadata.
/// A sentence with no words stands for an empty line, so line-based formats keep their blank lines.
/// </summary>
public sealed class Sentence
{
    public static readonly Sentence Empty = new([], [], null);

    public Sentence(IReadOnlyList<Word> words, IReadOnlyList<Compound> compounds, string? id = null, int line = 0, string? text = null)
    {
        Words = words;
        Compounds = compounds;
        Id = id;
        Line = line;
        _text = text;
    }

    private string? _text;

    public IReadOnlyList<Word> Words { get; }

    /// <summary>Compounds in word order; they never nest or overlap.</summary>
    public IReadOnlyList<Compound> Compounds { get; }

    /// <summary>The 1998 line id (<c>YYYYMMDD-PP-AAA-SSS</c>) or a CoNLL-U <c>sent_id</c>.</summary>
    public string? Id { get; }

    /// <summary>1-based line in the source file where the sentence starts; 0 when not read from a file.</summary>
    public int Line { get; }

    /// <summary>The sentence's characters. Word offsets index into it. Built on first use for corpus sentences.</summary>
    public string Text => _text ??= Concat(Words);

    public bool IsEmpty => Words.Count == 0;

    /// <summary>Builds a sentence from word texts and tags, computing offsets.</summary>
    public static Sentence FromWords(IEnumerable<(string Text, string? Tag)> words, IReadOnlyList<Compound>? compounds = null, string? id = null)
    {
        var list = new List<Word>();
        int offset = 0;
        foreach (var (text, tag) in words)
        {
            list.Add(new Word(text, tag, offset));
            offset += text.Length;
        }
        return new Sentence(list, compounds ?? [], id);
    }

    private static string Concat(IReadOnlyList<Word> words)
    {
        if (words.Count == 0) return "";
        if (words.Count == 1) return words[0].Text;
        int length = words[^1].End;
        return string.Create(length, words, static (span, ws) =>
        {
            foreach (var w in ws) w.Text.AsSpan().CopyTo(span[w.Offset..]);
        });
    }

    public override string ToString() => PeopleDailyWriter.Format(this, PeopleDailyDialect.Pd2014);
}
