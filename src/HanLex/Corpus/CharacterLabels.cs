using System.Text;

namespace HanLex.Corpus;

/// <summary>
/// One character a line with a label (MSRA, Weibo NER): <c>char TAB label</c>, a blank line between sentences.
/// Typed labels (B-ORG, I-ORG, E-…, M-…, S-…) mark entities; untyped B/M/E/S mark word boundaries; O is outside.
/// Weibo's <c>char+position</c> form (<c>科0</c>) gives word boundaries too. Entities become compounds.
/// </summary>
public static class CharacterLabels
{
    public static Sentence Parse(IReadOnlyList<(int Line, string Text)> rows, string file)
    {
        var cells = new List<(string Char, bool WordStart, string? Type, bool EntityStart)>(rows.Count);
        foreach (var (line, text) in rows)
        {
            int split = text.IndexOfAny([' ', '\t']);
            if (split <= 0)
                throw new CorpusException(new CorpusDiagnostic(Severity.Error, file, line, 1,
                    "expected a character and a label separated by a tab or space"));
            var ch = text.AsSpan(0, split);
            var label = text.AsSpan(split + 1).Trim();
            bool wordStart = true;
            // Weibo: the character followed by its position in its word ("科0", "3" at position 10 is "310").
            int digits = 0;
            while (digits < ch.Length - 1 && char.IsAsciiDigit(ch[^(digits + 1)])) digits++;
            if (digits > 0 && ch.Length > 1)
            {
                wordStart = ch[^digits..] is "0";
                ch = ch[..^digits];
            }
            string? type = null;
            bool begins = false;
            if (label is "O") { }
            else if (label.Length >= 3 && label[1] is '-' or '_' && "BIMES".Contains(label[0]))
            {
                type = label[2..].ToString();
                begins = label[0] is 'B' or 'S' || cells.Count == 0 || cells[^1].Type != type;
            }
            else if (label.Length == 1 && "BIMES".Contains(label[0]))
                wordStart = label[0] is 'B' or 'S';
            else
                throw new CorpusException(new CorpusDiagnostic(Severity.Error, file, line, split + 2, $"bad label '{label}'"));
            cells.Add((ch.ToString(), wordStart, type, begins));
        }

        // A word ends where the next one starts, and wherever an entity begins or ends.
        var words = new List<Word>();
        var compounds = new List<Compound>();
        int offset = 0, entityFrom = 0;
        var current = new StringBuilder();
        for (int r = 0; r < cells.Count; r++)
        {
            var cell = cells[r];
            bool entityBoundary = r > 0 && (cell.Type != cells[r - 1].Type || cell.EntityStart);
            if (r > 0 && (cell.WordStart || entityBoundary))
            {
                words.Add(new Word(current.ToString(), null, offset));
                offset += current.Length;
                current.Clear();
            }
            if (r > 0 && entityBoundary)
            {
                if (cells[r - 1].Type is { } t) compounds.Add(new Compound(entityFrom, words.Count - entityFrom, t));
                entityFrom = words.Count;
            }
            else if (r == 0) entityFrom = 0;
            current.Append(cell.Char);
        }
        if (cells.Count > 0)
        {
            words.Add(new Word(current.ToString(), null, offset));
            if (cells[^1].Type is { } t) compounds.Add(new Compound(entityFrom, words.Count - entityFrom, t));
        }
        return new Sentence(words, compounds, null, rows.Count > 0 ? rows[0].Line : 0);
    }

    /// <summary>Writes one line per character with BIO labels for the entities that <paramref name="labels"/> selects.</summary>
    public static void Append(StringBuilder sb, Sentence sentence, EntityLabels labels)
    {
        var text = sentence.Text;
        var types = new string?[text.Length];
        var begins = new bool[text.Length];
        foreach (var e in labels.Extract(sentence))
        {
            begins[e.Start] = true;
            for (int i = e.Start; i < e.End; i++) types[i] = e.Type;
        }
        for (int i = 0; i < text.Length; i++)
        {
            int n = char.IsHighSurrogate(text[i]) && i + 1 < text.Length ? 2 : 1;
            sb.Append(text, i, n).Append('\t');
            if (types[i] is null) sb.Append('O');
            else sb.Append(begins[i] ? "B-" : "I-").Append(types[i]);
            sb.Append('\n');
            i += n - 1;
        }
    }
}
